/**
 * Exact conversions of TikTok values (../shared/PLATFORM_APIS.md §3): report metrics arrive as strings in
 * account-currency major units ("20.00", "5830"), sometimes as numbers, and empty as "-" or null (read as 0).
 * Budgets are written as a JSON number in major units, rounded DOWN to the currency's billable unit.
 */
import { decimalToMicros, floorToBillable, microsToDecimal, minorUnitOffset } from '../../model/money.ts';
import { TikTokValueError } from './errors.ts';

/** A raw metric value as TikTok sends it. */
export type MetricValue = string | number | null | undefined;

/** The empty-metric sentinel ([U] in the docs: Airbyte's TransformEmptyMetrics maps it to null). */
export const EMPTY_METRIC = '-';

function text(value: MetricValue): string | undefined {
  if (value === null || value === undefined || value === EMPTY_METRIC) return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new TikTokValueError(`not a finite non-negative number: ${value}`);
    // String() of a JSON number is its shortest decimal form; exponents only appear for tiny or huge values.
    const s = String(value);
    if (/e/i.test(s)) throw new TikTokValueError(`number in exponent form: ${s}`);
    return s;
  }
  return value.trim();
}

/** A money metric ("20.00", 20, "-", null) in major units as integer micros; empty is 0. */
export function moneyToMicros(value: MetricValue): number {
  const s = text(value);
  if (s === undefined) return 0;
  if (!/^\d+(\.\d+)?$/.test(s)) throw new TikTokValueError(`not a non-negative decimal amount: ${JSON.stringify(value)}`);
  try {
    return decimalToMicros(s);
  } catch (error) {
    throw new TikTokValueError(`amount cannot be read exactly: ${JSON.stringify(value)} (${(error as Error).message})`);
  }
}

/** A count metric ("5830", 5830, "3.0", "-", null) as a whole number; empty is 0. */
export function countToNumber(value: MetricValue): number {
  const s = text(value);
  if (s === undefined) return 0;
  const m = /^(\d+)(?:\.0+)?$/.exec(s);
  const n = Number(m?.[1]);
  if (!m || !Number.isSafeInteger(n)) throw new TikTokValueError(`not a whole count: ${JSON.stringify(value)}`);
  return n;
}

/** A daily budget in micros as TikTok's `budget`: major units, rounded down to the billable unit (whole yen for JPY, cents otherwise). */
export function budgetToMajor(micros: number, currency: string): { readonly appliedMicros: number; readonly budget: number } {
  if (!Number.isSafeInteger(micros) || micros < 0) throw new TikTokValueError(`a budget is whole micros >= 0, got ${micros}`);
  const appliedMicros = floorToBillable(micros, currency);
  const decimals = minorUnitOffset(currency) === 1 ? 0 : 2;
  // The decimal string has at most 2 decimals, so Number() of it prints back to the same string.
  return { appliedMicros, budget: Number(microsToDecimal(appliedMicros, decimals)) };
}

/** `stat_time_day` ("2026-10-01 00:00:00") as a LocalDate. */
export function statDay(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?: 00:00:00)?$/.exec(value);
  if (!m?.[1]) throw new TikTokValueError(`not a stat_time_day: ${JSON.stringify(value)}`);
  return m[1];
}
