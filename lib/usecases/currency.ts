/** Conversion of account currencies into the client's reporting currency, from configured rates (no network). */
import type { ClientConfig } from '../config/schema.ts';
import { makeConverter } from '../report/currency.ts';
import { MissingExchangeRateError } from '../report/errors.ts';
import { UseCaseError } from './errors.ts';

/**
 * Micros of `currency` in micros of the reporting currency, with the report's exact conversion (the rate read as the
 * decimal written in the config, rounded once, half to even), so guardrails and the email agree to the micro.
 */
export function toReportingMicros(config: ClientConfig, micros: number, currency: string): number {
  try {
    return makeConverter(config.currency, config.report.exchangeRates, [currency]).convert(micros, currency);
  } catch (error) {
    if (error instanceof MissingExchangeRateError) {
      throw new UseCaseError(
        `no exchange rate from ${currency} to ${config.currency}: add report.exchangeRates.${currency} to the client config`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
