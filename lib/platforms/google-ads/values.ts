/**
 * Exact conversions of Google Ads proto3 JSON values (../shared/PLATFORM_APIS.md §2): int64 fields arrive as
 * decimal strings, doubles (`conversions`, `conversionsValue`) as JSON numbers in currency units.
 *
 * Rounding, chosen once and applied the same way on every re-read so restated rows compare equal:
 * - `conversionsValue` → revenue micros: the double's shortest decimal form (what Google wrote), rounded
 *   half-up at the sixth decimal. Values with up to 6 decimals (every real currency amount) are exact.
 * - `conversions` → whole conversions: nearest integer, ties to even, so the many half conversions that
 *   data-driven attribution splits between two clicks are not all rounded up.
 */
import { decimalToMicros, MICROS_PER_UNIT } from '../../model/money.ts';
import { GoogleAdsValueError } from './errors.ts';

/** An int64 decimal string as a number; throws when it is not a whole number or past 2^53. */
export function int64ToNumber(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new GoogleAdsValueError(`not an int64: ${JSON.stringify(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new GoogleAdsValueError(`int64 out of the exact range: ${value}`);
  return n;
}

/** A non-negative JSON number written in plain decimal notation ("1e-7" → "0.0000001"), digits unchanged. */
export function plainDecimal(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new GoogleAdsValueError(`not a finite non-negative number: ${value}`);
  const text = String(value);
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const digits = `${m[1]}${m[2] ?? ''}`;
  const point = 1 + Number(m[3]);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A double in currency units (`conversionsValue`) as integer micros, rounded half-up at the sixth decimal. */
export function doubleToMicros(value: number): number {
  const text = plainDecimal(value);
  const [whole = '0', frac = ''] = text.split('.');
  const micros = decimalToMicros(`${whole}.${(frac + '000000').slice(0, 6)}`);
  const roundUp = frac.length > 6 && (frac[6] ?? '0') >= '5';
  const out = roundUp ? micros + 1 : micros;
  if (!Number.isSafeInteger(out)) throw new GoogleAdsValueError(`amount out of range: ${text}`);
  return out;
}

/** A (possibly fractional) conversion count as a whole number: nearest, ties to even. */
export function roundConversions(value: number): number {
  const text = plainDecimal(value);
  const [wholeText = '0', frac = ''] = text.split('.');
  const whole = Number(wholeText);
  if (!Number.isSafeInteger(whole + 1)) throw new GoogleAdsValueError(`conversions out of range: ${text}`);
  const first = frac[0] ?? '0';
  const rest = frac.slice(1);
  if (first > '5' || (first === '5' && /[1-9]/.test(rest))) return whole + 1;
  if (first === '5') return whole % 2 === 0 ? whole : whole + 1;
  return whole;
}

/** Micros written as Google's `amountMicros` int64 string. */
export function microsToInt64(micros: number): string {
  if (!Number.isSafeInteger(micros)) throw new GoogleAdsValueError(`micros must be a safe integer: ${micros}`);
  return String(micros);
}

/** Rounds micros down to a multiple of the currency's billable unit (`currency_constant.billable_unit_micros`). */
export function floorToUnit(micros: number, unitMicros: number): number {
  if (!Number.isSafeInteger(unitMicros) || unitMicros <= 0 || unitMicros > 1000 * MICROS_PER_UNIT) {
    throw new GoogleAdsValueError(`not a billable unit: ${unitMicros}`);
  }
  return Math.floor(micros / unitMicros) * unitMicros;
}
