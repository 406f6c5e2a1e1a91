/** Monthly pacing: the daily total that lands the month on its target given what is already spent. */

/** Daily total (micros) = (target − spent to date) / days left including today, floored, within [0, maxDailyMicros]. */
export function pacedDailyTotal(input: {
  readonly monthlyTargetMicros: number;
  readonly spentToDateMicros: number;
  /** Days left in the month, today included (≥ 1). */
  readonly daysLeft: number;
  /** Optional ceiling on one day (e.g. the configured daily total). */
  readonly maxDailyMicros?: number;
}): number {
  const days = Math.max(1, Math.floor(input.daysLeft));
  const remaining = Math.max(0, input.monthlyTargetMicros - input.spentToDateMicros);
  const daily = Math.floor(remaining / days);
  return input.maxDailyMicros === undefined ? daily : Math.min(daily, input.maxDailyMicros);
}
