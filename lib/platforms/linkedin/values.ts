/**
 * Exact conversions of LinkedIn values (../shared/PLATFORM_APIS.md §4): money arrives as decimal strings in major
 * units of the account currency ("10.00"), counts as integers, entities as URNs (`urn:li:sponsoredCampaign:1001`)
 * or int64 ids, dates as `{year, month, day}` records. Budgets are written as `{amount: "150.00", currencyCode}`.
 */
import { isLocalDate, type LocalDate } from '../../model/dates.ts';
import { decimalToMicros, floorToBillable, microsToDecimal, minorUnitOffset } from '../../model/money.ts';
import { LinkedInValueError } from './errors.ts';

export const ACCOUNT_URN = 'urn:li:sponsoredAccount:';
export const CAMPAIGN_URN = 'urn:li:sponsoredCampaign:';
export const CAMPAIGN_GROUP_URN = 'urn:li:sponsoredCampaignGroup:';
export const CREATIVE_URN = 'urn:li:sponsoredCreative:';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * A money metric (a decimal string in major units) as integer micros. LinkedIn may send more decimals than a
 * micro holds; those are rounded half-up on the decimal digits themselves (no float ever touches the amount).
 */
export function metricMoneyToMicros(value: string): number {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new LinkedInValueError(`not a non-negative decimal amount: ${JSON.stringify(value)}`);
  const [, whole = '0', frac = ''] = m;
  const micros = decimalToMicros(`${whole}.${(frac.slice(0, 6) || '0').padEnd(6, '0')}`);
  const rounded = micros + (Number(frac[6] ?? '0') >= 5 ? 1 : 0);
  if (!Number.isSafeInteger(rounded)) throw new LinkedInValueError(`amount out of range: ${JSON.stringify(value)}`);
  return rounded;
}

/** A budget amount (decimal string in major units) as micros, exactly: a budget with sub-micro digits is not a budget. */
export function budgetToMicros(value: string): number {
  if (!DECIMAL.test(value.trim())) throw new LinkedInValueError(`not a non-negative decimal amount: ${JSON.stringify(value)}`);
  try {
    return decimalToMicros(value);
  } catch (error) {
    throw new LinkedInValueError(`budget cannot be read exactly: ${JSON.stringify(value)} (${(error as Error).message})`);
  }
}

/** A count: a whole non-negative number, or ([U] for conversions) its decimal string; "3.0" is 3. */
export function countToNumber(value: number | string): number {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(\d+)(?:\.0+)?$/.exec(text);
  const n = Number(m?.[1]);
  if (!m || !Number.isSafeInteger(n)) throw new LinkedInValueError(`not a whole count: ${JSON.stringify(value)}`);
  return n;
}

/** The numeric id at the end of a URN of the given prefix (`urn:li:sponsoredCampaign:1001` → "1001"). */
export function idOfUrn(urn: string, prefix: string): string {
  if (!urn.startsWith(prefix) || !/^\d+$/.test(urn.slice(prefix.length)))
    throw new LinkedInValueError(`not a ${prefix}<id> URN: ${JSON.stringify(urn)}`);
  return urn.slice(prefix.length);
}

/** An int64 id sent as a JSON number: a safe integer, else its digits were already lost in JSON parsing. */
export function idToString(id: number): string {
  if (!Number.isSafeInteger(id) || id < 0) throw new LinkedInValueError(`id is not a safe whole number: ${id}`);
  return String(id);
}

/** A Rest.li Date record as a LocalDate. */
export function recordToDate(record: { readonly year: number; readonly month: number; readonly day: number }): LocalDate {
  const date = `${String(record.year).padStart(4, '0')}-${String(record.month).padStart(2, '0')}-${String(record.day).padStart(2, '0')}`;
  if (!isLocalDate(date)) throw new LinkedInValueError(`not a calendar date: ${JSON.stringify(record)}`);
  return date;
}

/**
 * A daily budget in micros as LinkedIn's `amount`: rounded DOWN to the currency's billable unit (whole yen for
 * JPY and the other zero-decimal currencies, cents otherwise), written with 2 decimals (0 for those currencies).
 */
export function budgetAmount(micros: number, currency: string): { readonly appliedMicros: number; readonly amount: string } {
  if (!Number.isSafeInteger(micros) || micros < 0) throw new LinkedInValueError(`a budget is whole micros >= 0, got ${micros}`);
  const appliedMicros = floorToBillable(micros, currency);
  return { appliedMicros, amount: microsToDecimal(appliedMicros, minorUnitOffset(currency) === 1 ? 0 : 2) };
}

/** Milliseconds from `now` to the next midnight UTC, when LinkedIn's daily limits reset (at least 1 s). */
export function msUntilUtcMidnight(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1_000, next - now.getTime());
}
