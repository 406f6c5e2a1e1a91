/** Robust location and scale (median, MAD) and the robust z-score of STATS_REFERENCE §3. */

/** Median of a sample (mean of the two middle values for an even count); NaN when empty. */
export function median(sample: readonly number[]): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function mad(sample: readonly number[]): number {
  const center = median(sample);
  return median(sample.map((x) => Math.abs(x - center)));
}

/** Consistency constant: MAD·1.4826 estimates σ of a normal sample, i.e. z = 0.6745·(x − median)/MAD. */
export const MAD_TO_SIGMA = 1.4826;

/** The conventional robust-z alarm level (Iglewicz & Hoaglin). */
export const ROBUST_Z_LIMIT = 3.5;

/**
 * Robust z of x against a baseline sample: 0.6745·(x − median)/MAD. When the baseline has no spread
 * (MAD = 0), `minSpread` stands in for the MAD so that a flat history does not make every wiggle infinite.
 */
export function robustZ(x: number, baseline: readonly number[], minSpread = 0): number {
  const center = median(baseline);
  const spread = Math.max(mad(baseline), minSpread);
  if (spread === 0) return x === center ? 0 : Math.sign(x - center) * Number.POSITIVE_INFINITY;
  return (0.6745 * (x - center)) / spread;
}

/** The band of values whose robust z stays within ±limit: median ± limit·MAD/0.6745. */
export function robustBand(baseline: readonly number[], limit = ROBUST_Z_LIMIT, minSpread = 0): { low: number; high: number } {
  const center = median(baseline);
  const spread = Math.max(mad(baseline), minSpread);
  const half = (limit * spread) / 0.6745;
  return { low: center - half, high: center + half };
}
