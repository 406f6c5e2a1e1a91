/** Errors of the fake TikTok API. */

/** A TikTok business error (rendered as an HTTP 200 envelope with this code). */
export class TikTokApiError extends Error {
  override readonly name = 'TikTokApiError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
