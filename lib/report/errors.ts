/** Errors of the weekly report. */

/** The report needs an amount in a currency for which the config has no exchange rate. */
export class MissingExchangeRateError extends Error {
  override readonly name = 'MissingExchangeRateError';
  constructor(
    /** Currencies that have amounts in the report but no rate, sorted. */
    readonly currencies: readonly string[],
    readonly reportingCurrency: string,
  ) {
    super(
      `no exchange rate to ${reportingCurrency} for ${currencies.join(', ')}: add ${currencies
        .map((c) => `${c}: <units of ${reportingCurrency} per 1 ${c}>`)
        .join(', ')} under report.exchangeRates`,
    );
  }
}

/** The report input is inconsistent (week bounds, rates, currency codes); names the field. */
export class InvalidReportInputError extends Error {
  override readonly name = 'InvalidReportInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A chart could not be rendered (missing font file, invalid spec). */
export class ChartRenderError extends Error {
  override readonly name = 'ChartRenderError';
}
