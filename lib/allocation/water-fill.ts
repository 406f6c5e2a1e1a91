/**
 * Constrained split of a budget across Michaelis–Menten curves: maximize Σ R_i(x_i) subject to
 * Σ x_i = B and lo_i ≤ x_i ≤ hi_i. The optimum equalizes marginal returns among the ad sets that are
 * not at a bound (KKT), so we search the common marginal λ: each x_i(λ) is the closed-form spend at
 * marginal λ clipped to its bounds, and Σ x_i(λ) falls as λ rises.
 */
import { type MichaelisMentenCurve, mmSpendAtMarginal } from './curves.ts';

/** One ad set's curve and bounds, in major units of spend. */
export interface BoundedCurve {
  readonly curve: MichaelisMentenCurve;
  readonly lo: number;
  readonly hi: number;
}

/** The split, the common marginal return of the unconstrained ad sets, and whether the budget fit the bounds. */
export interface WaterFillResult {
  readonly spend: number[];
  /** Marginal response at the optimum (λ); NaN when every ad set sits at a bound. */
  readonly marginal: number;
  /** 'ok', or which side of the bounds the budget fell on (then every ad set is at that bound). */
  readonly fit: 'ok' | 'below-minimums' | 'above-maximums';
}

/** Splits `budget` across bounded Michaelis–Menten curves so that marginal returns are equal where bounds allow. */
export function waterFill(items: readonly BoundedCurve[], budget: number): WaterFillResult {
  const loSum = items.reduce((s, it) => s + it.lo, 0);
  const hiSum = items.reduce((s, it) => s + it.hi, 0);
  if (budget <= loSum) return { spend: items.map((it) => it.lo), marginal: Number.NaN, fit: budget < loSum ? 'below-minimums' : 'ok' };
  if (budget >= hiSum) return { spend: items.map((it) => it.hi), marginal: Number.NaN, fit: budget > hiSum ? 'above-maximums' : 'ok' };
  const clipAt = (it: BoundedCurve, lambda: number) => Math.min(it.hi, Math.max(it.lo, mmSpendAtMarginal(lambda, it.curve)));
  const totalAt = (lambda: number) => {
    let sum = 0;
    for (const it of items) sum += clipAt(it, lambda);
    return sum;
  };
  // Bracket λ in log space: a tiny λ buys every ad set's maximum, a huge one leaves each at its minimum.
  let logLo = Math.log(1e-12);
  let logHi = Math.log(1e12);
  const tolerance = 1e-10 * Math.max(1, budget);
  for (let i = 0; i < 200 && logHi - logLo > 1e-13; i++) {
    const mid = (logLo + logHi) / 2;
    const sum = totalAt(Math.exp(mid));
    if (Math.abs(sum - budget) < tolerance) {
      logLo = mid;
      logHi = mid;
    } else if (sum > budget) logLo = mid;
    else logHi = mid;
  }
  const lambda = Math.exp((logLo + logHi) / 2);
  const spend = items.map((it) => clipAt(it, lambda));
  // Spread the last rounding residual over the ad sets with room, so the sum is B to float precision.
  let residual = budget - spend.reduce((s, x) => s + x, 0);
  for (let i = 0; i < spend.length && Math.abs(residual) > 0; i++) {
    const it = items[i];
    const x = spend[i];
    if (it === undefined || x === undefined) continue;
    const next = Math.min(it.hi, Math.max(it.lo, x + residual));
    residual -= next - x;
    spend[i] = next;
  }
  return { spend, marginal: lambda, fit: 'ok' };
}
