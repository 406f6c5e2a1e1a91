/**
 * The expected response (conversions, revenue) of an ad set at a given day's spend, relative to its reference
 * weeks. Returns diminish with spend: when adpilot raises a budget, CPA rises along the response curve and
 * ROAS falls, which is expected and no fault. The detectors therefore compare a day with what its own spend
 * should have bought, not with the reference CPA or ROAS.
 */

/**
 * Least elasticity of response to spend assumed above the reference spend (d ln response / d ln spend).
 * Saturating Hill curves near a typical budget have elasticities of roughly 0.4–1; assuming 0.5 makes doubling
 * the spend expect 1.41× the conversions (CPA 1.41× the reference) before anything counts as a step. The
 * practical-significance gates of the step detectors add their margin on top.
 */
export const MIN_SPEND_ELASTICITY = 0.5;

/**
 * A lenient response curve anchored at the reference spend s₀: g(s) = s at or below s₀ (a budget cut is not
 * assumed to improve CPA) and s₀·(s/s₀)^e above it (a budget rise is assumed to cost as much as a plausibly
 * saturated curve would). Multiplying g by the reference's response per unit of g gives the expectation.
 */
export function spendResponse(referenceSpend: number, elasticity = MIN_SPEND_ELASTICITY): (spend: number) => number {
  return (spend) => (spend <= referenceSpend || referenceSpend <= 0 ? spend : referenceSpend * (spend / referenceSpend) ** elasticity);
}
