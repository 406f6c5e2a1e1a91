/** Conversion of account currencies into the client's reporting currency, from configured rates (no network). */
import type { ClientConfig } from '../config/schema.ts';
import { UseCaseError } from './errors.ts';

/** Micros of `currency` in micros of the reporting currency; rates say how many reporting units one unit buys. */
export function toReportingMicros(config: ClientConfig, micros: number, currency: string): number {
  if (currency === config.currency) return micros;
  const rate = config.report.exchangeRates[currency];
  if (rate === undefined) {
    throw new UseCaseError(
      `no exchange rate from ${currency} to ${config.currency}: add report.exchangeRates.${currency} to the client config`,
    );
  }
  return Math.round(micros * rate);
}
