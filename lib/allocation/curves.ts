/**
 * Saturating response curves and carry-over (STATS_REFERENCE §2): Hill, Michaelis–Menten (Hill with α = 1),
 * geometric adstock, and the closed-form split of a budget across Michaelis–Menten curves.
 */

/** A Michaelis–Menten curve R(x) = beta·x/(x + kappa), x = daily spend in major units. */
export interface MichaelisMentenCurve {
  /** Saturation level: the most response a day can bring. */
  readonly beta: number;
  /** Half-saturation spend (major units). */
  readonly kappa: number;
}

/** Hill response y = beta·x^alpha/(x^alpha + kappa^alpha); 0 for x <= 0. */
export function hillResponse(x: number, curve: { beta: number; alpha: number; kappa: number }): number {
  if (x <= 0) return 0;
  const xa = x ** curve.alpha;
  return (curve.beta * xa) / (xa + curve.kappa ** curve.alpha);
}

/** Michaelis–Menten response beta·x/(x + kappa). */
export function mmResponse(x: number, curve: MichaelisMentenCurve): number {
  return x <= 0 ? 0 : (curve.beta * x) / (x + curve.kappa);
}

/** Marginal response dR/dx = beta·kappa/(x + kappa)² of a Michaelis–Menten curve. */
export function mmMarginal(x: number, curve: MichaelisMentenCurve): number {
  const d = Math.max(0, x) + curve.kappa;
  return (curve.beta * curve.kappa) / (d * d);
}

/** Spend at which a Michaelis–Menten curve's marginal response equals `lambda` (0 if it never does). */
export function mmSpendAtMarginal(lambda: number, curve: MichaelisMentenCurve): number {
  if (!(lambda > 0)) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.sqrt((curve.beta * curve.kappa) / lambda) - curve.kappa);
}

/** Geometric adstock x̃_t = x_t + theta·x̃_{t−1}: spend carried over into later days. */
export function geometricAdstock(xs: readonly number[], theta: number): number[] {
  const out: number[] = [];
  let carry = 0;
  for (const x of xs) {
    carry = x + theta * carry;
    out.push(carry);
  }
  return out;
}

/**
 * Unbounded optimal split of `budget` across Michaelis–Menten curves, equalizing marginal returns:
 * x_i = √(β_iκ_i)·(B + Σκ)/Σ√(β_jκ_j) − κ_i. May be negative for a poor curve: callers clip and re-solve
 * (see `waterFill`).
 */
export function mmClosedFormSplit(curves: readonly MichaelisMentenCurve[], budget: number): number[] {
  const roots = curves.map((c) => Math.sqrt(c.beta * c.kappa));
  const rootSum = roots.reduce((s, r) => s + r, 0);
  const kappaSum = curves.reduce((s, c) => s + c.kappa, 0);
  return curves.map((c, i) => ((roots[i] ?? 0) * (budget + kappaSum)) / rootSum - c.kappa);
}
