/** Typed errors of the platform connectors. Messages never contain tokens. */
import type { Platform } from '../model/ads.ts';

interface PlatformErrorContext {
  readonly platform: Platform;
  readonly endpoint: string;
  readonly status?: number;
  readonly code?: number | string;
  readonly cause?: unknown;
}

export class PlatformError extends Error {
  override readonly name: string = 'PlatformError';
  readonly platform: Platform;
  readonly endpoint: string;
  readonly status: number | undefined;
  readonly code: number | string | undefined;
  /** True when the same request may succeed later (throttles, 5xx, timeouts). */
  readonly retryable: boolean = false;
  constructor(message: string, context: PlatformErrorContext) {
    super(message, { cause: context.cause });
    this.platform = context.platform;
    this.endpoint = context.endpoint;
    this.status = context.status;
    this.code = context.code;
  }
}

/** The platform throttled us; retry after `retryAfterMs`. */
export class RateLimitedError extends PlatformError {
  override readonly name = 'RateLimitedError';
  override readonly retryable = true;
  constructor(
    message: string,
    context: PlatformErrorContext,
    readonly retryAfterMs: number,
  ) {
    super(message, context);
  }
}

/** A 5xx, a timeout, a dropped connection or a platform error documented as transient. */
export class TransientPlatformError extends PlatformError {
  override readonly name = 'TransientPlatformError';
  override readonly retryable = true;
}

/** The token is expired or invalid: a human must act. */
export class AuthError extends PlatformError {
  override readonly name = 'AuthError';
}

/** A response that does not match the documented wire format; names the field. */
export class MalformedResponseError extends PlatformError {
  override readonly name = 'MalformedResponseError';
  override readonly retryable = true;
  constructor(
    message: string,
    context: PlatformErrorContext,
    readonly field: string,
  ) {
    super(message, context);
  }
}

/** The platform refused the request for a reason that retrying will not fix. */
export class PlatformRequestError extends PlatformError {
  override readonly name = 'PlatformRequestError';
}
