/** Errors of the X Ads connector's own configuration and value conversions; errors from X itself are the typed errors of ../errors.ts. */
export class XAdsConnectorConfigError extends Error {
  override readonly name = 'XAdsConnectorConfigError';
}

/** An X value that cannot be converted exactly (a sale amount with too many decimals, an unknown time zone). */
export class XAdsValueError extends Error {
  override readonly name = 'XAdsValueError';
}

/** A value X sent that cannot be folded: names the field path from the answer's root. */
export class StatsShapeError extends Error {
  override readonly name = 'StatsShapeError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
