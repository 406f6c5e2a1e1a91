/**
 * Change-point test on an entity's response level: did the most recent days run at a different level,
 * relative to the fitted curve, than the days before them? A collapse (tracking broken, an audience
 * exhausted, a product out of stock) or a sudden lift makes old history misleading; recency weighting
 * follows such a step only slowly, so the model restarts the entity's history at a detected change.
 *
 * The statistic is the quasi-Poisson likelihood ratio of "one level factor before and another after the
 * split" against "one common factor", maximized over the split. Observed and expected responses are in
 * count units already tempered by the dispersion, so the ratio is on the scale of a Poisson count. Only
 * the ratio of levels matters, so a curve fitted on both sides (whose level is a blend) is fine to test against.
 */

/** One day: observed and fitted response (count units), the day's age in days and its evidence weight (0..1). */
export interface LevelDay {
  readonly age: number;
  readonly observed: number;
  readonly expected: number;
  readonly weight: number;
}

/** Tuning of the test. */
export interface ChangePointOptions {
  /** Fewest recent days a change may be declared on. @default 3 */
  readonly minAfterDays?: number;
  /** Most recent days a split may put after the change. @default 28 */
  readonly maxAfterDays?: number;
  /** Fewest days that must remain before the split. @default 7 */
  readonly minBeforeDays?: number;
  /**
   * Log-likelihood ratio a split must pass. One split passes 6 with probability 5e-4 under no change (χ²₁ > 12),
   * so with the ratio floor a stable ad set is rarely restarted; and a false restart costs little (the pooled
   * priors carry the refit), while a missed collapse costs a day of spend per day of delay. @default 6
   */
  readonly threshold?: number;
  /** Smallest level ratio (after/before or its inverse) worth acting on. @default 1.3 */
  readonly minRatio?: number;
}

/** A detected change: how many of the most recent days run at the new level, the level ratio and its evidence. */
export interface LevelChange {
  readonly afterDays: number;
  /** Age of the oldest day at the new level. */
  readonly oldestAge: number;
  /** Level after the split over level before it. */
  readonly ratio: number;
  readonly logLikelihoodRatio: number;
}

const xlog = (c: number, r: number) => (c > 0 ? c * Math.log(r) : 0);

/** The strongest level change among the splits allowed by `options`, or null when none passes the threshold. */
export function detectLevelChange(days: readonly LevelDay[], options: ChangePointOptions = {}): LevelChange | null {
  const minAfter = Math.max(1, options.minAfterDays ?? 3);
  const maxAfter = options.maxAfterDays ?? 28;
  const minBefore = Math.max(1, options.minBeforeDays ?? 7);
  const threshold = options.threshold ?? 6;
  const minLogRatio = Math.log(Math.max(1, options.minRatio ?? 1.3));
  const sorted = days.filter((d) => d.weight > 0 && d.expected > 0).sort((a, b) => a.age - b.age);
  let observedTotal = 0;
  let expectedTotal = 0;
  for (const d of sorted) {
    observedTotal += d.weight * Math.max(0, d.observed);
    expectedTotal += d.weight * d.expected;
  }
  if (!(expectedTotal > 0)) return null;
  const common = observedTotal / expectedTotal;
  let best: LevelChange | null = null;
  let observedAfter = 0;
  let expectedAfter = 0;
  for (let k = 1; k <= Math.min(maxAfter, sorted.length - minBefore); k++) {
    const d = sorted[k - 1];
    if (!d) break;
    observedAfter += d.weight * Math.max(0, d.observed);
    expectedAfter += d.weight * d.expected;
    if (k < minAfter) continue;
    const observedBefore = observedTotal - observedAfter;
    const expectedBefore = expectedTotal - expectedAfter;
    if (!(expectedBefore > 0) || !(observedBefore > 0) || !(common > 0)) continue;
    const after = observedAfter / expectedAfter;
    const before = observedBefore / expectedBefore;
    // A silent period (after = 0) is the strongest collapse there is: its ratio is floored, not skipped.
    const ratio = Math.max(after, 1e-6) / before;
    if (Math.abs(Math.log(ratio)) < minLogRatio) continue;
    // Poisson log-likelihood ratio; the linear terms cancel because each fitted factor reproduces its side's total.
    const llr = xlog(observedAfter, after / common) + xlog(observedBefore, before / common);
    if (llr > threshold && (!best || llr > best.logLikelihoodRatio))
      best = { afterDays: k, oldestAge: d.age, ratio, logLikelihoodRatio: llr };
  }
  return best;
}
