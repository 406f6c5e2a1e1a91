/** Errors of the fake X Ads API: what it answers as X's JSON error body. */
/** An X Ads error: HTTP status, CAPS code and message (rendered as `{"errors": [...], "request": {...}}`). */
export class XAdsApiError extends Error {
  override readonly name = 'XAdsApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
    /** Headers to send instead of the plain JSON ones (a throttle's rate-limit headers). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}
