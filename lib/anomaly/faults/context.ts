/** What every fault detector sees: the ad set, the judged day, and the dense history before it. */
import { daysBetween, type LocalDate } from '../../model/dates.ts';
import { DEFAULT_MATURITY_FLOOR, maturityAt } from '../maturity.ts';
import type { AdSetDay, AdSetFacts } from '../types.ts';

export interface FaultContext {
  readonly adset: AdSetFacts;
  readonly date: LocalDate;
  readonly today: AdSetDay;
  /** Days before `date`, ascending, gaps filled with zero days. */
  readonly history: readonly AdSetDay[];
  /** First day whose conversions are not final yet (the platform still attributes to it); none when all are final. */
  readonly immatureFrom?: LocalDate;
  /** Least share of final conversions reported per age of an immature day (lib/anomaly/maturity.ts). */
  readonly maturity?: readonly number[];
}

/** Days of history the detectors may use: 8 weeks of same-weekday baseline plus a week. */
export const LOOKBACK_DAYS = 63;

/**
 * The least share of `day`'s final conversions and revenue already reported: 1 for a mature day, the
 * maturity floor of its age for an immature one.
 */
export function reportedShare(context: FaultContext, day: AdSetDay): number {
  const { immatureFrom, date } = context;
  if (immatureFrom === undefined || day.date < immatureFrom) return 1;
  return maturityAt(context.maturity ?? DEFAULT_MATURITY_FLOOR, daysBetween(day.date, date));
}
