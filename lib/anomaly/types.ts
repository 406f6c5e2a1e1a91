/** The plain data the ad-set detectors take and the anomalies they return. */
import type { Platform } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';

/** Named faults, each with its own detector and hint. */
export const FAULT_TYPES = [
  'delivery-stop',
  'tracking-breakage',
  'overspend',
  'spend-spike',
  'cpa-step',
  'roas-step',
  'ctr-decay',
  'stale-data',
  'budget-exhausted-early',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export type Severity = 'low' | 'medium' | 'high';

/** One detected anomaly, in the shape of the `Anomaly Detected` event detail's own fields. */
export interface AdAnomaly {
  readonly faultType: FaultType;
  /** What was measured, with its unit in the name where it has one (spendMicros, cpaMicros, roas, ctr, conversions). */
  readonly metric: string;
  readonly observed: number;
  /** The range the metric was expected in; values outside it are what made this an anomaly. */
  readonly expected: { readonly low: number; readonly high: number };
  readonly severity: Severity;
  /** Plain English for a marketer: what happened, what it costs, what to check first. */
  readonly hint: string;
  readonly date: LocalDate;
}

/** The ad set as the detectors need it. */
export interface AdSetFacts {
  readonly platform: Platform;
  readonly accountId: string;
  readonly adsetId: string;
  readonly name: string;
  readonly status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED' | 'DELETED';
  /** Daily budget in micros; null when the budget is a lifetime one or lives on the campaign. */
  readonly dailyBudgetMicros: number | null;
  readonly learning: boolean;
  /** ISO 4217 code used to format money in hints; amounts are shown as plain numbers without it. */
  readonly currency?: string;
}

/** One complete day of an ad set's metrics. */
export interface AdSetDay {
  readonly date: LocalDate;
  readonly spendMicros: number;
  readonly revenueMicros: number;
  readonly impressions: number;
  readonly clicks: number;
  readonly conversions: number;
}

/** What to hold back, and why. */
export interface Suppression {
  /** Whether the ad set was in its learning phase on the judged day; defaults to `adset.learning`. */
  readonly learning?: boolean;
  /** The last day adpilot changed this ad set's budget. */
  readonly budgetChangedAt?: LocalDate;
  /** The first day whose conversions and revenue are not yet final (attribution still open). */
  readonly immatureFrom?: LocalDate;
  /**
   * Least share of a day's final conversions reported per age of an immature day (0 = the judged day), e.g.
   * MATURITY_FLOOR[platform]; ages past the list use its last entry.
   * @default DEFAULT_MATURITY_FLOOR (half, at any age)
   */
  readonly maturity?: readonly number[];
}

/** Input of `detectAdSetAnomalies`. */
export interface AdSetAnomalyInput {
  readonly adset: AdSetFacts;
  /** Ascending by date, complete days only; a missing day counts as a day without delivery. */
  readonly days: readonly AdSetDay[];
  /** The day to judge. */
  readonly date: LocalDate;
  readonly suppress?: Suppression;
}
