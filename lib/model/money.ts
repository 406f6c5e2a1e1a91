/**
 * Money is integer micros (1 unit of currency = 1,000,000 micros) plus an ISO 4217 code.
 * Platform decimal strings are parsed exactly (no float arithmetic on money).
 */
import { MoneyError } from './errors.ts';

export const MICROS_PER_UNIT = 1_000_000;

export interface Money {
  readonly micros: number;
  readonly currency: string;
}

/** Currencies whose Meta minor unit equals the major unit (offset 1). */
const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'TWD', 'IDR', 'HUF', 'ISK', 'CLP', 'COP', 'CRC', 'PYG', 'VND']);

/** Number of minor units in one major unit, as Meta writes budgets (100, or 1 for JPY and the others). */
export function minorUnitOffset(currency: string): 1 | 100 {
  return ZERO_DECIMAL.has(currency.toUpperCase()) ? 1 : 100;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string in major units ("5339.5", "0.000001", "-3") into integer micros.
 * Digits past the sixth decimal must be zero, otherwise precision would be lost silently.
 */
export function decimalToMicros(value: string): number {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new MoneyError(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole = '0', frac = ''] = match;
  if (frac.length > 6 && /[^0]/.test(frac.slice(6))) {
    throw new MoneyError(`amount has more than 6 decimals: ${JSON.stringify(value)}`);
  }
  const fracMicros = Number((frac.slice(0, 6) + '000000').slice(0, 6));
  const micros = Number(whole) * MICROS_PER_UNIT + fracMicros;
  if (!Number.isSafeInteger(micros)) throw new MoneyError(`amount out of range: ${JSON.stringify(value)}`);
  return sign ? -micros : micros;
}

/** Formats micros as a plain decimal string in major units with exactly `decimals` places (truncating is not allowed: must be exact). */
export function microsToDecimal(micros: number, decimals = 2): string {
  assertMicros(micros);
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_UNIT);
  const frac = String(abs % MICROS_PER_UNIT).padStart(6, '0');
  const trimmed = frac.replace(/0+$/, '');
  const shown = trimmed.length > decimals ? trimmed : frac.slice(0, decimals);
  return decimals === 0 && trimmed.length === 0 ? `${sign}${whole}` : `${sign}${whole}${shown ? `.${shown}` : ''}`;
}

/** Integer minor units (Meta budgets) to micros. */
export function minorToMicros(minor: number, currency: string): number {
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`minor units must be an integer: ${minor}`);
  return minor * (MICROS_PER_UNIT / minorUnitOffset(currency));
}

/**
 * Micros to integer minor units, rounding down so a budget never goes past a cap.
 */
export function microsToMinorFloor(micros: number, currency: string): number {
  assertMicros(micros);
  return Math.floor(micros / (MICROS_PER_UNIT / minorUnitOffset(currency)));
}

/** Rounds micros down to what the platform can bill in this currency's minor unit. */
export function floorToBillable(micros: number, currency: string): number {
  return minorToMicros(microsToMinorFloor(micros, currency), currency);
}

export function assertMicros(micros: number): void {
  if (!Number.isSafeInteger(micros)) throw new MoneyError(`micros must be a safe integer: ${micros}`);
}

/** Ratio of two micro amounts (e.g. ROAS = revenue / spend); null when the denominator is 0. */
export function ratio(numeratorMicros: number, denominatorMicros: number): number | null {
  return denominatorMicros === 0 ? null : numeratorMicros / denominatorMicros;
}

/** Display formatting for people (emails, CLI): "€1,234.56". */
export function formatMoney(micros: number, currency: string, locale = 'en-US'): string {
  const digits = minorUnitOffset(currency) === 1 ? 0 : 2;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(micros / MICROS_PER_UNIT);
}
