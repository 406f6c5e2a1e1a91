/**
 * Conversion of integer micros into the reporting currency with configured rates, exactly.
 *
 * Rounding: a rate is read as the shortest decimal that round-trips the configured number
 * (`1.0834` is taken as exactly 1.0834, not its binary approximation); an amount is
 * multiplied by it in BigInt and rounded once to the nearest micro, ties to even. The
 * report converts every daily metric row separately and then only adds integers, so ad set
 * lines add up exactly to campaign, platform and total lines (the error per row is at most
 * half a micro, far below a cent even over thousands of rows).
 */
import { InvalidReportInputError, MissingExchangeRateError } from './errors.ts';

/** A positive decimal as numerator × 10^exponent. */
interface DecimalRate {
  readonly numerator: bigint;
  readonly exponent: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

function toDecimalRate(rate: number, currency: string): DecimalRate {
  const match = Number.isFinite(rate) && rate > 0 ? DECIMAL.exec(String(rate)) : null;
  if (!match) throw new InvalidReportInputError(`exchangeRates.${currency}`, `must be a positive finite number, got ${rate}`);
  const [, whole = '0', frac = '', exp = '0'] = match;
  return { numerator: BigInt(whole + frac), exponent: Number(exp) - frac.length };
}

/** Integer division rounded to nearest, ties to even (both operands non-negative, divisor > 0). */
export function divideRoundHalfEven(dividend: bigint, divisor: bigint): bigint {
  const quotient = dividend / divisor;
  const twiceRemainder = (dividend % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** Rounds `micros × rate` to the nearest micro, ties to even, exactly. */
function convertExact(micros: number, rate: DecimalRate): number {
  const negative = micros < 0;
  const scaled = BigInt(Math.abs(micros)) * rate.numerator;
  const result = rate.exponent >= 0 ? scaled * 10n ** BigInt(rate.exponent) : divideRoundHalfEven(scaled, 10n ** BigInt(-rate.exponent));
  const value = Number(negative ? -result : result);
  if (!Number.isSafeInteger(value)) throw new InvalidReportInputError('exchangeRates', `converted amount out of range: ${micros} micros`);
  return value;
}

/** Converts integer micros of one currency into integer micros of the reporting currency. */
export type CurrencyConverter = (micros: number, currency: string) => number;

/** One rate the report used, for the footnote. */
export interface UsedRate {
  readonly currency: string;
  readonly rate: number;
}

/**
 * Builds a converter for the currencies the report needs; throws MissingExchangeRateError
 * naming every needed currency without a rate. The reporting currency converts at 1.
 */
export function makeConverter(
  reportingCurrency: string,
  rates: Readonly<Record<string, number>>,
  neededCurrencies: Iterable<string>,
): { convert: CurrencyConverter; used: UsedRate[] } {
  const own = rates[reportingCurrency];
  if (own !== undefined && own !== 1) {
    throw new InvalidReportInputError(`exchangeRates.${reportingCurrency}`, `the reporting currency converts at 1, got ${own}`);
  }
  const needed = [...new Set(neededCurrencies)].filter((c) => c !== reportingCurrency).sort();
  const missing = needed.filter((c) => rates[c] === undefined);
  if (missing.length > 0) throw new MissingExchangeRateError(missing, reportingCurrency);
  const parsed = new Map<string, DecimalRate>();
  const used: UsedRate[] = [];
  for (const currency of needed) {
    const rate = rates[currency] as number;
    parsed.set(currency, toDecimalRate(rate, currency));
    used.push({ currency, rate });
  }
  const convert: CurrencyConverter = (micros, currency) => {
    if (currency === reportingCurrency) return micros;
    const rate = parsed.get(currency);
    if (!rate) throw new MissingExchangeRateError([currency], reportingCurrency);
    return convertExact(micros, rate);
  };
  return { convert, used };
}
