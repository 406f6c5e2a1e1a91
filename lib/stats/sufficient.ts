/**
 * Per-arm sufficient statistics and the per-unit moments they imply.
 * The unit is the day: impressions are not independent trials, days (roughly) are.
 */
import { InvalidStatsInputError } from './errors.ts';

/** A mean metric: n units with Σy and Σy². */
export interface MeanStats {
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
}

/** A proportion: n units of which `sum` succeeded (each unit is 0 or 1). */
export interface ProportionStats {
  readonly n: number;
  readonly sum: number;
}

/** A ratio metric ΣM/ΣD over n units (days), with the sums the delta method needs. */
export interface RatioStats {
  readonly n: number;
  readonly sumNum: number;
  readonly sumNumSquares: number;
  readonly sumDen: number;
  readonly sumDenSquares: number;
  readonly sumNumDen: number;
}

/** Sufficient statistics of one arm, in any of the three forms. */
export type ArmStats = MeanStats | ProportionStats | RatioStats;

/** One day's numerator and denominator of a ratio metric (revenue/spend for ROAS, spend/conversions for CPA…). */
export interface RatioDay {
  readonly num: number;
  readonly den: number;
}

/**
 * What the tests consume: the estimate of the metric and the variance of ONE unit's contribution,
 * so that Var(estimate) = variance / n.
 */
export interface Moments {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

function requireFinite(value: number, field: string): void {
  if (!Number.isFinite(value)) throw new InvalidStatsInputError(`${field} must be a finite number, got ${value}`, field);
}

function requireCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new InvalidStatsInputError(`n must be a non-negative integer, got ${n}`, 'n');
}

/** Sample variance from sums, clamped at 0 because Σy² − (Σy)²/n can dip below zero by rounding. */
function sampleVariance(n: number, sum: number, sumSquares: number): number {
  if (n < 2) return 0;
  return Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1));
}

/** Sample covariance from sums. */
function sampleCovariance(n: number, sumX: number, sumY: number, sumXY: number): number {
  if (n < 2) return 0;
  return (sumXY - (sumX * sumY) / n) / (n - 1);
}

/** Tells the ratio form apart from the others by its fields. */
export function isRatioStats(stats: ArmStats): stats is RatioStats {
  return 'sumNum' in stats;
}

/** Tells the mean form apart from the proportion form by its fields. */
export function isMeanStats(stats: ArmStats): stats is MeanStats {
  return 'sumSquares' in stats;
}

/** Validates an arm's statistics and returns its estimate and per-unit variance (delta method for ratios). */
export function armMoments(stats: ArmStats): Moments & { readonly denominatorZero: boolean } {
  requireCount(stats.n);
  if (isRatioStats(stats)) {
    for (const field of ['sumNum', 'sumNumSquares', 'sumDen', 'sumDenSquares', 'sumNumDen'] as const) requireFinite(stats[field], field);
    if (stats.sumDen === 0) return { n: stats.n, mean: 0, variance: 0, denominatorZero: true };
    const n = stats.n;
    const meanNum = stats.sumNum / n;
    const meanDen = stats.sumDen / n;
    const varNum = sampleVariance(n, stats.sumNum, stats.sumNumSquares);
    const varDen = sampleVariance(n, stats.sumDen, stats.sumDenSquares);
    const cov = sampleCovariance(n, stats.sumNum, stats.sumDen, stats.sumNumDen);
    const variance = varNum / meanDen ** 2 + (varDen * meanNum ** 2) / meanDen ** 4 - (2 * cov * meanNum) / meanDen ** 3;
    return { n, mean: stats.sumNum / stats.sumDen, variance: Math.max(0, variance), denominatorZero: false };
  }
  requireFinite(stats.sum, 'sum');
  if (stats.n === 0) return { n: 0, mean: 0, variance: 0, denominatorZero: false };
  const mean = stats.sum / stats.n;
  if (isMeanStats(stats)) {
    requireFinite(stats.sumSquares, 'sumSquares');
    return { n: stats.n, mean, variance: sampleVariance(stats.n, stats.sum, stats.sumSquares), denominatorZero: false };
  }
  if (stats.sum < 0 || stats.sum > stats.n)
    throw new InvalidStatsInputError(`a proportion needs 0 ≤ sum ≤ n, got ${stats.sum}/${stats.n}`, 'sum');
  return { n: stats.n, mean, variance: mean * (1 - mean), denominatorZero: false };
}

/** Mean-metric statistics of per-unit values (e.g. one value per day). */
export function meanStats(values: readonly number[]): MeanStats {
  let sum = 0;
  let sumSquares = 0;
  for (const [i, value] of values.entries()) {
    requireFinite(value, `values[${i}]`);
    sum += value;
    sumSquares += value * value;
  }
  return { n: values.length, sum, sumSquares };
}

/** Proportion statistics: `successes` out of `n` units. */
export function proportionStats(successes: number, n: number): ProportionStats {
  requireCount(n);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new InvalidStatsInputError(`successes must be an integer in [0, ${n}], got ${successes}`, 'successes');
  }
  return { n, sum: successes };
}

/** Ratio-metric statistics from daily numerator/denominator rows (the day is the unit). */
export function ratioStats(days: readonly RatioDay[]): RatioStats {
  let sumNum = 0;
  let sumNumSquares = 0;
  let sumDen = 0;
  let sumDenSquares = 0;
  let sumNumDen = 0;
  for (const [i, { num, den }] of days.entries()) {
    requireFinite(num, `days[${i}].num`);
    requireFinite(den, `days[${i}].den`);
    sumNum += num;
    sumNumSquares += num * num;
    sumDen += den;
    sumDenSquares += den * den;
    sumNumDen += num * den;
  }
  return { n: days.length, sumNum, sumNumSquares, sumDen, sumDenSquares, sumNumDen };
}
