/** Errors of the TikTok connector's own configuration and value conversions; errors from TikTok itself are the typed errors of ../errors.ts. */
export class TikTokConnectorConfigError extends Error {
  override readonly name = 'TikTokConnectorConfigError';
}

/** A TikTok metric or budget value that cannot be converted exactly (not a decimal, negative, more than 6 decimals). */
export class TikTokValueError extends Error {
  override readonly name = 'TikTokValueError';
}
