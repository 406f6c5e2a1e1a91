/**
 * Maps a failed Graph API response to the typed platform errors (../errors.ts). Branches on Meta's
 * `error.code`, not on the HTTP status, as Meta documents (PLATFORM_APIS.md §1 "Rate limits and errors").
 */
import { AuthError, type PlatformError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../errors.ts';
import { InsightsTooLargeError } from './errors.ts';
import { AdAccountUsage, BusinessUseCaseUsage, MetaErrorBody } from './schemas.ts';

/** Meta blocks budget changes of an ad set for an hour after its 4th change within an hour (code 17). */
export const BUDGET_CHANGE_BLOCK_MS = 3_600_000;

/** (code, subcode) pairs of "insights request timed out: use a smaller range or async". */
const INSIGHTS_TOO_LARGE: readonly (readonly [number, number])[] = [
  [100, 1504018],
  [2, 1504038],
];

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

/** `reset_time_duration` (seconds) of `x-ad-account-usage`, in ms; undefined when absent or 0. */
export function retryAfterFromAccountUsage(header: string | null): number | undefined {
  if (!header) return undefined;
  try {
    const usage = AdAccountUsage.safeParse(JSON.parse(header));
    const seconds = usage.success ? (usage.data.reset_time_duration ?? 0) : 0;
    return seconds > 0 ? seconds * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** What the request was, where the same code means different things. */
export interface MetaRequestKind {
  /** A daily_budget write: code 17 is then the hour-long budget-change block, not the general user limit. */
  readonly budgetWrite?: boolean;
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
  kind: MetaRequestKind = {},
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
    const fromBuc = retryAfterFromUsage(response.headers.get('x-business-use-case-usage'));
    if (error.code === 17 && kind.budgetWrite === true) {
      // The budget-change block lifts by itself within the hour: a RateLimitedError carrying that wait, which
      // withRetries will not sit through (it exceeds maxRetryWaitMs), so the caller gets it after one POST.
      return new RateLimitedError(
        `${message} (budget changed too often; blocked for up to an hour)`,
        context,
        fromBuc ?? BUDGET_CHANGE_BLOCK_MS,
      );
    }
    const fromAccount = error.code === 613 ? retryAfterFromAccountUsage(response.headers.get('x-ad-account-usage')) : undefined;
    return new RateLimitedError(message, context, fromBuc ?? fromAccount ?? defaultRetryAfterMs);
  }
  if (INSIGHTS_TOO_LARGE.some(([code, subcode]) => error.code === code && error.error_subcode === subcode)) {
    return new InsightsTooLargeError(message, context);
  }
  if (isAuthCode(error.code)) return new AuthError(message, context);
  if (isTransientCode(error.code) || error.is_transient === true || status >= 500) return new TransientPlatformError(message, context);
  return new PlatformRequestError(message, context);
}
