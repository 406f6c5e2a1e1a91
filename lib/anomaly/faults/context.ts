/** What every fault detector sees: the ad set, the judged day, and the dense history before it. */
import type { LocalDate } from '../../model/dates.ts';
import type { AdSetDay, AdSetFacts } from '../types.ts';

export interface FaultContext {
  readonly adset: AdSetFacts;
  readonly date: LocalDate;
  readonly today: AdSetDay;
  /** Days before `date`, ascending, gaps filled with zero days. */
  readonly history: readonly AdSetDay[];
}

/** Days of history the detectors may use: 8 weeks of same-weekday baseline plus a week. */
export const LOOKBACK_DAYS = 63;
