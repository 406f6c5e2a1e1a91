/** Errors of the LinkedIn connector's own configuration and value conversions; errors from LinkedIn itself are the typed errors of ../errors.ts. */
export class LinkedInConnectorConfigError extends Error {
  override readonly name = 'LinkedInConnectorConfigError';
}

/** A LinkedIn value that cannot be converted exactly (not a decimal string, negative, not a whole count, not a URN). */
export class LinkedInValueError extends Error {
  override readonly name = 'LinkedInValueError';
}
