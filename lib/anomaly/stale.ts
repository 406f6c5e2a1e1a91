/** Stale data: a platform that has been silent for longer than the data can be trusted. */
import { AnomalyInputError } from './errors.ts';

/**
 * Hours without a successful fetch after which an account's data is stale, by default (the client config's
 * `alerts.staleAfterHours`). Ingestion runs hourly (at :00, up to 15 minutes late) and the check at :50, so
 * three runs in a row must fail to deliver, which a platform's short hiccups rarely do, and a real outage is
 * announced within about three hours of its first missed run (bench: `npm run bench -- anomaly freshness`).
 */
export const DEFAULT_STALE_AFTER_HOURS = 3;

/** Input of `detectStaleData`: instants as ISO-8601 strings or Dates, all passed in (no clock here). */
export interface StaleDataInput {
  /** When data was last fetched successfully; null when never. */
  readonly lastFetchedAt: string | Date | null;
  /**
   * When adpilot began watching the account (its first freshness check). An account never fetched is silent
   * from then on; without it, never fetched is stale at once.
   */
  readonly monitoredSince?: string | Date;
  readonly now: string | Date;
  readonly maxAgeHours: number;
}

/** The verdict: fresh, or stale with how old the data is. */
export type StaleDataResult =
  | { readonly kind: 'fresh'; readonly ageHours: number | null }
  | {
      readonly kind: 'stale';
      readonly faultType: 'stale-data';
      readonly metric: 'dataAgeHours';
      /** Hours since the last successful fetch; null when there never was one. */
      readonly ageHours: number | null;
      /** Hours without data: since the last fetch, or since monitoring began when there never was one (null: unknown). */
      readonly silentHours: number | null;
      readonly expected: { readonly low: 0; readonly high: number };
      readonly severity: 'high';
      readonly hint: string;
    };

function instant(value: string | Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new AnomalyInputError(field, `not an instant: ${String(value)}`);
  return ms;
}

/**
 * Whether the last successful fetch is older than `maxAgeHours`. An account never fetched is stale once it has
 * been watched for longer than the limit (at once when `monitoredSince` is not given). Stale data is always
 * "high": adpilot is blind on the account, its budget moves work from old numbers, and it is announced once
 * per outage, so it must reach people the first time.
 */
export function detectStaleData({ lastFetchedAt, monitoredSince, now, maxAgeHours }: StaleDataInput): StaleDataResult {
  if (!(maxAgeHours > 0)) throw new AnomalyInputError('maxAgeHours', `must be positive, got ${maxAgeHours}`);
  const nowMs = instant(now, 'now');
  const expected = { low: 0, high: maxAgeHours } as const;
  if (lastFetchedAt === null) {
    const watchedHours = monitoredSince === undefined ? null : (nowMs - instant(monitoredSince, 'monitoredSince')) / 3_600_000;
    if (watchedHours !== null && watchedHours <= maxAgeHours) return { kind: 'fresh', ageHours: null };
    return {
      kind: 'stale',
      faultType: 'stale-data',
      metric: 'dataAgeHours',
      ageHours: null,
      silentHours: watchedHours,
      expected,
      severity: 'high',
      hint:
        (watchedHours === null
          ? 'No data has ever been fetched for this account'
          : `No data has been fetched for this account in the ${Math.floor(watchedHours)} hours since adpilot began watching it`) +
        ': check that the access token is set and has read access to the ad account.',
    };
  }
  const ageHours = (nowMs - instant(lastFetchedAt, 'lastFetchedAt')) / 3_600_000;
  if (ageHours <= maxAgeHours) return { kind: 'fresh', ageHours };
  return {
    kind: 'stale',
    faultType: 'stale-data',
    metric: 'dataAgeHours',
    ageHours,
    silentHours: ageHours,
    expected,
    severity: 'high',
    hint:
      `The latest data is ${Math.floor(ageHours)} hours old (limit ${maxAgeHours}), so anomaly checks and budget moves are working ` +
      'from old numbers. Check the ingestion runs for failures: an expired token, revoked permissions, or platform rate limits.',
  };
}
