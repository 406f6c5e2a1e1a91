/** Winsorization of heavy-tailed daily values (revenue) before they enter a ratio metric. */
import { InvalidStatsInputError } from './errors.ts';

/** The q-quantile of `values` with linear interpolation between order statistics (numpy's default, type 7). */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new InvalidStatsInputError(`quantile must be in [0, 1], got ${q}`, 'quantile');
  if (values.length === 0) throw new InvalidStatsInputError('quantile of an empty list', 'values');
  // A typed array sorts numerically without a comparator callback (several times faster on long histories).
  const sorted = Float64Array.from(values).sort();
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
  return lower + (position - below) * (upper - lower);
}

/**
 * Caps values above their q-quantile (upper tail only: revenue is bounded below by 0 and
 * its risk is the occasional huge order). Returns a new array in the original order.
 */
export function winsorize(values: readonly number[], q: number): number[] {
  if (values.length === 0) return [];
  const cap = quantile(values, q);
  return values.map((value) => Math.min(value, cap));
}
