/**
 * Errors of the Pinterest connector's own configuration and value conversions, and the per-item failure of a
 * batch budget write. Errors from Pinterest itself are the typed errors of ../errors.ts.
 */
import { PlatformError } from '../errors.ts';

/** Bad connector options or credentials (empty token, a base URL that is not a URL, an unreadable expiresAt). */
export class PinterestConnectorConfigError extends Error {
  override readonly name = 'PinterestConnectorConfigError';
}

/** A Pinterest value that cannot be converted exactly (not a whole non-negative number, past 2^53). */
export class PinterestValueError extends Error {
  override readonly name = 'PinterestValueError';
}

/**
 * One item of a batch PATCH came back with `exceptions` (or without data): that item was not written, the
 * others were. `code` is the first exception's code. Not retryable: the same item would fail again.
 */
export class PinterestItemError extends PlatformError {
  override readonly name = 'PinterestItemError';
  constructor(
    message: string,
    context: { platform: 'pinterest'; endpoint: string; status: number; code?: number },
    /** The ad group or campaign id of the failed item. */
    readonly itemId: string,
  ) {
    super(message, context);
  }
}
