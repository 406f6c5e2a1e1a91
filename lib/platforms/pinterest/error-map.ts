/**
 * Pinterest HTTP statuses and error bodies → typed platform errors (../shared/PLATFORM_APIS.md §7.2.5).
 * 429 (or body code 8, "Max rate limit exceeded") waits for `X-RateLimit-Reset`; like Airbyte's
 * WaitTimeFromHeader we read it as seconds to wait, and a value that looks like a Unix time as the instant.
 * Analytics 400s that say "Retry after", code 12 or "something went wrong" are transient, as Airbyte treats them.
 */
import { AuthError, type PlatformError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../errors.ts';

/** Body code of "Max rate limit exceeded". */
const RATE_LIMIT_CODE = 8;
/** Body code Airbyte retries on analytics 400s. */
const TRANSIENT_CODE = 12;
/** A reset value above this is a Unix time in seconds, not a wait (2001-09-09). */
const UNIX_TIME_FLOOR = 1_000_000_000;

export interface PinterestFailure {
  readonly status: number;
  readonly code?: number;
  readonly message?: string;
  /** The `X-RateLimit-Reset` header, as sent. */
  readonly rateLimitReset?: string | null;
}

/** Milliseconds to wait from an `X-RateLimit-Reset` value (seconds, or a Unix time); `fallbackMs` when absent or unreadable. */
export function retryAfterMs(reset: string | null | undefined, nowMs: number, fallbackMs: number): number {
  const seconds = reset === null || reset === undefined || reset.trim() === '' ? Number.NaN : Number(reset);
  if (!Number.isFinite(seconds) || seconds < 0) return fallbackMs;
  if (seconds > UNIX_TIME_FLOOR) return Math.max(0, Math.ceil(seconds * 1000 - nowMs));
  return Math.ceil(seconds * 1000);
}

/** The typed error of a non-2xx answer (or a 2xx whose body is an error with code 8). */
export function pinterestErrorFor(
  failure: PinterestFailure,
  endpoint: string,
  wait: { readonly nowMs: number; readonly defaultRetryAfterMs: number },
  clean: (text: string) => string,
): PlatformError {
  const { status, code } = failure;
  const context = { platform: 'pinterest' as const, endpoint, status, ...(code === undefined ? {} : { code }) };
  const what = code === undefined ? `HTTP ${status}` : `HTTP ${status}, code ${code}`;
  const message = clean(`Pinterest ${endpoint}: ${what}${failure.message ? ` (${failure.message})` : ''}`);
  if (status === 429 || code === RATE_LIMIT_CODE) {
    return new RateLimitedError(message, context, retryAfterMs(failure.rateLimitReset, wait.nowMs, wait.defaultRetryAfterMs));
  }
  if (status === 401) return new AuthError(message, context);
  if (status >= 500) return new TransientPlatformError(message, context);
  const text = (failure.message ?? '').toLowerCase();
  if (status === 400 && (code === TRANSIENT_CODE || text.includes('retry after') || text.includes('something went wrong'))) {
    return new TransientPlatformError(message, context);
  }
  return new PlatformRequestError(message, context);
}
