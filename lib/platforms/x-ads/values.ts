/**
 * Exact conversions of X Ads values (../shared/PLATFORM_APIS.md §7.1): stats windows aligned to account-local
 * midnight with the offset in effect TODAY (X's DAY rule), ISO times without milliseconds, sale amounts in micros
 * or major units ([U]), and budgets rounded down to a billable amount.
 */
import { addDays, daysBetween, type LocalDate, zoneOffsetMinutes } from '../../model/dates.ts';
import { decimalToMicros, floorToBillable } from '../../model/money.ts';
import { XAdsValueError } from './errors.ts';

/** DAY stats cover at most 7 days per synchronous request. */
export const MAX_SYNC_DAYS = 7;
/** An async job covers at most 90 days (non-segmented). */
export const MAX_JOB_DAYS = 90;
/** At most 20 entity ids per stats request or job. */
export const MAX_ENTITY_IDS = 20;

/** A span of whole account-local days and the instants X wants for it. */
export interface StatsWindow {
  readonly from: LocalDate;
  readonly to: LocalDate;
  /** Number of DAY steps (`time_series_length`). */
  readonly days: number;
  /** Local midnight of `from`, with today's offset, e.g. 2026-05-19T07:00:00Z. */
  readonly startTime: string;
  /** Local midnight after `to` (exclusive end). */
  readonly endTime: string;
}

/** An instant as X echoes it: ISO 8601 in UTC without milliseconds. */
export function statsTime(instant: Date): string {
  return `${instant.toISOString().slice(0, 19)}Z`;
}

/**
 * Midnight starting `date` in the account's zone, using the UTC offset in effect at `now` (not on `date`):
 * X aligns DAY windows that way, so across a DST change the steps are the "today" days.
 */
export function localMidnight(date: LocalDate, timezone: string, now: Date): Date {
  const offset = zoneOffsetMinutes(now, timezone);
  const utc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(utc - offset * 60_000);
}

/** [from, to] cut into consecutive windows of at most `maxDays` days, each with its aligned start and end times. */
export function dayWindows(from: LocalDate, to: LocalDate, timezone: string, now: Date, maxDays = MAX_SYNC_DAYS): StatsWindow[] {
  if (to < from) return [];
  const out: StatsWindow[] = [];
  for (let start = from; start <= to; start = addDays(start, maxDays)) {
    const last = addDays(start, maxDays - 1) < to ? addDays(start, maxDays - 1) : to;
    out.push({
      from: start,
      to: last,
      days: daysBetween(start, last) + 1,
      startTime: statsTime(localMidnight(start, timezone, now)),
      endTime: statsTime(localMidnight(addDays(last, 1), timezone, now)),
    });
  }
  return out;
}

/** How `sale_amount` is expressed: integer micros like every other X amount, or a decimal in major units [U]. */
export type SaleAmountUnit = 'micros' | 'major';

/** A `sale_amount` value as micros. */
export function saleAmountToMicros(value: number, unit: SaleAmountUnit): number {
  if (!Number.isFinite(value) || value < 0) throw new XAdsValueError(`not a non-negative amount: ${value}`);
  if (unit === 'micros') {
    if (!Number.isSafeInteger(value)) throw new XAdsValueError(`a micros amount is a whole number: ${value}`);
    return value;
  }
  const text = String(value);
  if (/e/i.test(text)) throw new XAdsValueError(`amount in exponent form: ${text}`);
  try {
    return decimalToMicros(text);
  } catch (error) {
    throw new XAdsValueError(`amount cannot be read exactly: ${text} (${(error as Error).message})`);
  }
}

/** A daily budget in micros rounded DOWN to the currency's billable unit (cents, or whole yen) [U: X names no unit]. */
export function billableBudget(micros: number, currency: string): number {
  if (!Number.isSafeInteger(micros) || micros < 0) throw new XAdsValueError(`a budget is whole micros >= 0, got ${micros}`);
  return floorToBillable(micros, currency);
}
