/**
 * Maps a failed Graph API response to the typed platform errors (../errors.ts). Branches on Meta's
 * `error.code`, not on the HTTP status, as Meta documents (PLATFORM_APIS.md §1 "Rate limits and errors").
 */
import { AuthError, type PlatformError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../errors.ts';
import { BusinessUseCaseUsage, MetaErrorBody } from './schemas.ts';

/** Throttle codes: app (4), user and ad-set budget changes (17), pages (32), ad account (613), business use cases (80000–80014). */
export function isRateLimitCode(code: number): boolean {
  return code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80000 && code <= 80014);
}

/** Codes Meta documents as intermittent: 1 (unknown error), 2 (service temporarily unavailable). */
export function isTransientCode(code: number): boolean {
  return code === 1 || code === 2;
}

/** 190 invalid or expired token, 102 session; 10 and 200–299 missing permissions: a human must act. */
export function isAuthCode(code: number): boolean {
  return code === 190 || code === 102 || code === 10 || (code >= 200 && code <= 299);
}

/** Longest `estimated_time_to_regain_access` (minutes) in `x-business-use-case-usage`, in ms; undefined when absent or 0. */
export function retryAfterFromUsage(header: string | null): number | undefined {
  if (!header) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(header);
  } catch {
    return undefined;
  }
  const usage = BusinessUseCaseUsage.safeParse(json);
  if (!usage.success) return undefined;
  const minutes = Math.max(
    0,
    ...Object.values(usage.data).flatMap((entries) => entries.map((e) => e.estimated_time_to_regain_access ?? 0)),
  );
  return minutes > 0 ? minutes * 60_000 : undefined;
}

export interface FailedResponse {
  readonly status: number;
  /** The parsed JSON body, or undefined when it was not JSON. */
  readonly body: unknown;
  readonly headers: Headers;
}

/**
 * The typed error for a failed response (a non-2xx, or a 2xx carrying Meta's error body).
 * `defaultRetryAfterMs` applies to throttles whose headers give no time; `clean` scrubs Meta's text
 * before it becomes a message (and so a stack trace).
 */
export function metaErrorFor(
  response: FailedResponse,
  endpoint: string,
  defaultRetryAfterMs: number,
  clean: (text: string) => string = (text) => text,
): PlatformError {
  const parsed = MetaErrorBody.safeParse(response.body);
  const status = response.status;
  if (!parsed.success) {
    const context = { platform: 'meta' as const, endpoint, status };
    if (status >= 500) return new TransientPlatformError(`Meta ${endpoint}: HTTP ${status}`, context);
    if (status === 429) return new RateLimitedError(`Meta ${endpoint}: HTTP 429`, context, defaultRetryAfterMs);
    return new PlatformRequestError(`Meta ${endpoint}: HTTP ${status} without an error body`, context);
  }
  const { error } = parsed.data;
  const codeText = error.error_subcode === undefined ? `${error.code}` : `${error.code}/${error.error_subcode}`;
  const detail = [error.error_user_title, error.error_user_msg].filter(Boolean).join(': ');
  const trace = error.fbtrace_id ? ` [fbtrace_id ${error.fbtrace_id}]` : '';
  const message = clean(`Meta ${endpoint}: (${codeText}) ${error.message}${detail ? ` (${detail})` : ''}${trace}`);
  const context = { platform: 'meta' as const, endpoint, status, code: error.code };
  if (isRateLimitCode(error.code)) {
    const retryAfterMs = retryAfterFromUsage(response.headers.get('x-business-use-case-usage')) ?? defaultRetryAfterMs;
    return new RateLimitedError(message, context, retryAfterMs);
  }
  if (isAuthCode(error.code)) return new AuthError(message, context);
  if (isTransientCode(error.code) || error.is_transient === true || status >= 500) return new TransientPlatformError(message, context);
  return new PlatformRequestError(message, context);
}
