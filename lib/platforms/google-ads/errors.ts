/** Errors of the Google Ads connector's own configuration; errors from Google itself are the typed errors of ../errors.ts. */
export class GoogleAdsConnectorConfigError extends Error {
  override readonly name = 'GoogleAdsConnectorConfigError';
}

/** A proto3 JSON value that cannot be converted exactly (an int64 past 2^53, a negative amount, a non-finite double). */
export class GoogleAdsValueError extends Error {
  override readonly name = 'GoogleAdsValueError';
}
