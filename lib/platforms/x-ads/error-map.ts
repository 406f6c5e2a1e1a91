/**
 * X Ads HTTP answers → typed platform errors (../shared/PLATFORM_APIS.md §7.1.7). A 429 waits until the
 * rate-limit reset (the ad-account headers `x-account-rate-limit-*` win over the user-level `x-rate-limit-*`);
 * a 503 honours `retry-after`. The 503 wait is carried by a RateLimitedError because that is the error whose
 * wait the shared retry loop honours: X sends it when it sheds load (OVER_CAPACITY).
 */
import { AuthError, type PlatformError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../errors.ts';

/** Wait when a 429 names no reset: one 15-minute window is X's unit, but a minute is enough to try again. */
export const DEFAULT_THROTTLE_WAIT_MS = 60_000;

/** What the connector knows of an error answer. */
export interface XAdsErrorAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** `errors[].code` values, e.g. TOO_MANY_REQUESTS; empty when the body was not X's JSON. */
  readonly codes: readonly string[];
  readonly message?: string;
}

/** The rate-limit window of an answer: the ad-account headers when present, else the user-level ones. */
export function rateLimitOf(
  headers: Headers,
): { limit?: number; remaining?: number; resetEpochSeconds?: number; level: 'account' | 'user' } | undefined {
  for (const [prefix, level] of [
    ['x-account-rate-limit', 'account'],
    ['x-rate-limit', 'user'],
  ] as const) {
    const reset = headers.get(`${prefix}-reset`);
    const remaining = headers.get(`${prefix}-remaining`);
    const limit = headers.get(`${prefix}-limit`);
    if (reset === null && remaining === null && limit === null) continue;
    const num = (v: string | null) => (v !== null && /^\d+$/.test(v.trim()) ? Number(v) : undefined);
    const out: { limit?: number; remaining?: number; resetEpochSeconds?: number; level: 'account' | 'user' } = { level };
    const l = num(limit);
    const r = num(remaining);
    const s = num(reset);
    if (l !== undefined) out.limit = l;
    if (r !== undefined) out.remaining = r;
    if (s !== undefined) out.resetEpochSeconds = s;
    return out;
  }
  return undefined;
}

/** Milliseconds until the rate-limit reset of an answer, or undefined without a reset header. */
export function msUntilReset(headers: Headers, nowMs: number): number | undefined {
  const reset = rateLimitOf(headers)?.resetEpochSeconds;
  return reset === undefined ? undefined : Math.max(0, reset * 1000 - nowMs);
}

/** `retry-after` in milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const AUTH_CODES = new Set(['UNAUTHORIZED_ACCESS', 'INVALID_CREDENTIALS', 'UNAUTHORIZED_CLIENT_APPLICATION']);
const THROTTLE_CODES = new Set(['TOO_MANY_REQUESTS', 'RATE_LIMITED']);
const UNAVAILABLE_CODES = new Set(['SERVICE_UNAVAILABLE', 'OVER_CAPACITY', 'INTERNAL_ERROR']);

/** The typed error of a non-2xx X Ads answer. */
export function xAdsErrorFor(answer: XAdsErrorAnswer, endpoint: string, nowMs: number, clean: (text: string) => string): PlatformError {
  const { status, codes, headers } = answer;
  const code = codes[0];
  const context = { platform: 'x-ads' as const, endpoint, status, ...(code === undefined ? {} : { code }) };
  const detail = code === undefined ? '' : ` ${code}${answer.message ? ` (${answer.message})` : ''}`;
  const message = (extra = '') => clean(`X Ads ${endpoint}: HTTP ${status}${detail}${extra}`);
  if (status === 429 || codes.some((c) => THROTTLE_CODES.has(c))) {
    const wait = msUntilReset(headers, nowMs);
    const level = rateLimitOf(headers)?.level;
    const why = wait === undefined ? '' : `; ${level}-level limit resets in ${Math.ceil(wait / 1000)} s`;
    return new RateLimitedError(message(why), context, wait ?? DEFAULT_THROTTLE_WAIT_MS);
  }
  if (status === 401 || status === 403 || codes.some((c) => AUTH_CODES.has(c))) return new AuthError(message(), context);
  if (status === 503) {
    const wait = retryAfterMs(headers, nowMs);
    if (wait !== undefined) return new RateLimitedError(message(`; retry after ${Math.ceil(wait / 1000)} s`), context, wait);
    return new TransientPlatformError(message(), context);
  }
  if (status >= 500 || codes.some((c) => UNAVAILABLE_CODES.has(c))) return new TransientPlatformError(message(), context);
  return new PlatformRequestError(message(), context);
}
