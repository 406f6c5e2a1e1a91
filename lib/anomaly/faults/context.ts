/** What every fault detector sees: the ad set, the judged day, and the dense history before it. */
import type { LocalDate } from '../../model/dates.ts';
import type { AdSetDay, AdSetFacts } from '../types.ts';

export interface FaultContext {
  readonly adset: AdSetFacts;
  readonly date: LocalDate;
  readonly today: AdSetDay;
  /** Days before `date`, ascending, gaps filled with zero days. */
  readonly history: readonly AdSetDay[];
  /** First day whose conversions are not final yet (the platform still attributes to it); none when all are final. */
  readonly immatureFrom?: LocalDate;
}

/**
 * The least share of a day's final conversions assumed reported while it is immature. Platforms report most
 * conversions within a day (Meta's 7-day click: typically 80–90% by the next morning); half is a safe floor,
 * so a day far below even half its expectation is a collapse whatever is still to come.
 */
export const IMMATURE_MIN_SHARE = 0.5;

/** Days of history the detectors may use: 8 weeks of same-weekday baseline plus a week. */
export const LOOKBACK_DAYS = 63;
