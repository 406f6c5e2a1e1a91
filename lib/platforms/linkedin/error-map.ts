/**
 * LinkedIn HTTP errors → typed platform errors (../shared/PLATFORM_APIS.md §4 "Rate limits"). Error bodies are
 * `{status, serviceErrorCode, code?, message}`. Throttles are HTTP 429; LinkedIn's limits are daily and reset at
 * midnight UTC, so a throttle that names the DAY limit ("Resource level throttle APPLICATION DAY limit …") waits
 * until then, which is longer than any retry waits: it reaches the caller as a RateLimitedError saying when to
 * come back. Other 429s use `Retry-After` when sent, else a default wait.
 */
import { AuthError, type PlatformError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../errors.ts';
import { ErrorBody } from './schemas.ts';
import { msUntilUtcMidnight } from './values.ts';

export interface LinkedInFailure {
  readonly status: number;
  /** The parsed JSON body, or undefined when it was not JSON (a proxy's HTML page). */
  readonly body: unknown;
  /** The `Retry-After` header, if any. */
  readonly retryAfter?: string | null;
}

export interface ErrorMapContext {
  /** Wait after a throttle that names neither a daily limit nor Retry-After. */
  readonly defaultRetryAfterMs: number;
  /** Now, for the time left until the daily limits reset. */
  readonly now: Date;
  /** Redacts secrets from text bound for a message. */
  readonly clean: (text: string) => string;
}

/** Seconds in a `Retry-After` header as ms; undefined when absent or not a number of seconds. */
function retryAfterMs(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

/** True when a throttle message names one of LinkedIn's daily limits (APPLICATION DAY, MEMBER DAY). */
export function isDailyLimit(message: string | undefined): boolean {
  return message !== undefined && /\bDAY\b/.test(message);
}

/** The typed error of a non-2xx LinkedIn answer. */
export function linkedinErrorFor(failure: LinkedInFailure, endpoint: string, context: ErrorMapContext): PlatformError {
  const parsed = ErrorBody.safeParse(failure.body);
  const body = parsed.success ? parsed.data : {};
  const { status } = failure;
  const code = body.code ?? body.serviceErrorCode;
  const errorContext = { platform: 'linkedin' as const, endpoint, status, ...(code === undefined ? {} : { code }) };
  const what = [`HTTP ${status}`, body.code, body.serviceErrorCode === undefined ? undefined : `serviceErrorCode ${body.serviceErrorCode}`]
    .filter(Boolean)
    .join(' ');
  const message = context.clean(`LinkedIn ${endpoint}: ${what}${body.message ? ` (${body.message})` : ''}`);
  if (status === 429) {
    const wait = isDailyLimit(body.message)
      ? msUntilUtcMidnight(context.now)
      : (retryAfterMs(failure.retryAfter) ?? context.defaultRetryAfterMs);
    return new RateLimitedError(message, errorContext, wait);
  }
  // 401: invalid, expired or revoked token; 403: the token's member lacks the ad account role or the scope.
  if (status === 401 || status === 403) return new AuthError(message, errorContext);
  if (status >= 500 || status === 408) return new TransientPlatformError(message, errorContext);
  return new PlatformRequestError(message, errorContext);
}
