/** Errors of the fake LinkedIn API, rendered as LinkedIn's error bodies. */

/** A LinkedIn error answer: HTTP `status` and the body `{status, serviceErrorCode?, code?, message}`. */
export class LinkedInApiError extends Error {
  override readonly name = 'LinkedInApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly details: { readonly serviceErrorCode?: number; readonly code?: string } = {},
  ) {
    super(message);
  }
}

/** A query value that is not valid Rest.li 2.0 syntax (e.g. a URN whose colons were not percent-encoded). */
export class RestliSyntaxError extends Error {
  override readonly name = 'RestliSyntaxError';
}
