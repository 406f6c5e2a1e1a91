/**
 * The oracle: knows every ad set's true Hill curve, weekday multiplier and order value, and splits a given
 * total spend to maximize expected revenue. Searches the common marginal λ; for each ad set the best spend
 * at λ is 0 or the point on the falling branch of its marginal curve where it equals λ (S curves included).
 */
import { hillResponse } from '../../lib/allocation/curves.ts';

/** One ad set's true value curve for a day: revenue (major units) = scale · hill(x). */
export interface TrueCurve {
  readonly beta: number;
  readonly alpha: number;
  readonly kappa: number;
  /** Weekday multiplier × average order value (major units). */
  readonly scale: number;
}

function marginal(c: TrueCurve, x: number): number {
  if (x <= 0) return c.alpha === 1 ? (c.scale * c.beta) / c.kappa : c.alpha < 1 ? Number.POSITIVE_INFINITY : 0;
  const xa = x ** c.alpha;
  const ka = c.kappa ** c.alpha;
  return (c.scale * c.beta * c.alpha * ka * xa) / (x * (xa + ka) ** 2);
}

function value(c: TrueCurve, x: number): number {
  return c.scale * hillResponse(x, c);
}

/** Best spend of one ad set at marginal price λ, within [0, cap]. */
function bestAt(c: TrueCurve, lambda: number, cap: number): number {
  // The marginal curve rises until the inflection (α > 1) and falls after it.
  const peakX = c.alpha > 1 ? c.kappa * ((c.alpha - 1) / (c.alpha + 1)) ** (1 / c.alpha) : 0;
  if (peakX >= cap) return value(c, cap) - lambda * cap > 0 ? cap : 0;
  if (marginal(c, Math.max(peakX, 1e-9)) <= lambda) return 0;
  if (marginal(c, cap) >= lambda) return value(c, cap) - lambda * cap > 0 ? cap : 0;
  let lo = peakX;
  let hi = cap;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (marginal(c, mid) > lambda) lo = mid;
    else hi = mid;
  }
  const x = (lo + hi) / 2;
  return value(c, x) - lambda * x > 0 ? x : 0;
}

/** Maximum expected revenue (major units) of spending `total` (major units) across the curves. */
export function oracleRevenue(curves: readonly TrueCurve[], total: number): number {
  if (total <= 0) return 0;
  const sumAt = (lambda: number) => curves.reduce((s, c) => s + bestAt(c, lambda, total), 0);
  let logLo = Math.log(1e-9);
  let logHi = Math.log(1e6);
  for (let i = 0; i < 50; i++) {
    const mid = (logLo + logHi) / 2;
    if (sumAt(Math.exp(mid)) > total) logLo = mid;
    else logHi = mid;
  }
  const spend = curves.map((c) => bestAt(c, Math.exp(logHi), total));
  // Whatever is left (a jump of an S curve) goes to the best marginal: the oracle spends the same total.
  const left = total - spend.reduce((s, x) => s + x, 0);
  if (left > 0) {
    let best = 0;
    curves.forEach((c, i) => {
      const cur = curves[best];
      if (cur && marginal(c, spend[i] ?? 0) > marginal(cur, spend[best] ?? 0)) best = i;
    });
    spend[best] = (spend[best] ?? 0) + left;
  }
  return curves.reduce((s, c, i) => s + value(c, spend[i] ?? 0), 0);
}
