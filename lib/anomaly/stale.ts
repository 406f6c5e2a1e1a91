/** Stale data: a platform that has been silent for longer than the data can be trusted. */
import { AnomalyInputError } from './errors.ts';

/** Input of `detectStaleData`: instants as ISO-8601 strings or Dates, both passed in (no clock here). */
export interface StaleDataInput {
  /** When data was last fetched successfully; null when never. */
  readonly lastFetchedAt: string | Date | null;
  readonly now: string | Date;
  readonly maxAgeHours: number;
}

/** The verdict: fresh, or stale with how old the data is. */
export type StaleDataResult =
  | { readonly kind: 'fresh'; readonly ageHours: number }
  | {
      readonly kind: 'stale';
      readonly faultType: 'stale-data';
      readonly metric: 'dataAgeHours';
      /** Hours since the last successful fetch; null when there never was one. */
      readonly ageHours: number | null;
      readonly expected: { readonly low: 0; readonly high: number };
      readonly severity: 'medium' | 'high';
      readonly hint: string;
    };

function instant(value: string | Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new AnomalyInputError(field, `not an instant: ${String(value)}`);
  return ms;
}

/** Whether the last successful fetch is older than `maxAgeHours`; "high" once it is twice as old, or never happened. */
export function detectStaleData({ lastFetchedAt, now, maxAgeHours }: StaleDataInput): StaleDataResult {
  if (!(maxAgeHours > 0)) throw new AnomalyInputError('maxAgeHours', `must be positive, got ${maxAgeHours}`);
  if (lastFetchedAt === null) {
    return {
      kind: 'stale',
      faultType: 'stale-data',
      metric: 'dataAgeHours',
      ageHours: null,
      expected: { low: 0, high: maxAgeHours },
      severity: 'high',
      hint: 'No data has ever been fetched for this account: check that the access token is set and has read access to the ad account.',
    };
  }
  const ageHours = (instant(now, 'now') - instant(lastFetchedAt, 'lastFetchedAt')) / 3_600_000;
  if (ageHours <= maxAgeHours) return { kind: 'fresh', ageHours };
  return {
    kind: 'stale',
    faultType: 'stale-data',
    metric: 'dataAgeHours',
    ageHours,
    expected: { low: 0, high: maxAgeHours },
    severity: ageHours >= 2 * maxAgeHours ? 'high' : 'medium',
    hint:
      `The latest data is ${Math.floor(ageHours)} hours old (limit ${maxAgeHours}), so anomaly checks and budget moves are working ` +
      'from old numbers. Check the ingestion runs for failures: an expired token, revoked permissions, or platform rate limits.',
  };
}
