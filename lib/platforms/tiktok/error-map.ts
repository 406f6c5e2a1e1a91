/**
 * TikTok business codes and HTTP statuses → typed platform errors (../shared/PLATFORM_APIS.md §3). TikTok
 * answers errors as HTTP 200 with a non-zero `code`; it names no wait, so throttles use a default one.
 */
import { AuthError, type PlatformError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../errors.ts';

const RATE_LIMITED = new Set([40100, 40132, 61000]);
const AUTH = new Set([40102, 40104, 40105]);
/** 40201: an async task is not ready yet; 50000/50002 and 51xxx: server side. */
const TRANSIENT = new Set([40201, 50000, 50002]);

/** The typed error of an envelope with a non-zero `code` (or of a non-2xx HTTP status when `code` is undefined). */
export function tiktokErrorFor(
  answer: { readonly status: number; readonly code?: number; readonly message?: string },
  endpoint: string,
  defaultRetryAfterMs: number,
  clean: (text: string) => string,
): PlatformError {
  const { status, code } = answer;
  const context = { platform: 'tiktok' as const, endpoint, status, ...(code === undefined ? {} : { code }) };
  const what = code === undefined ? `HTTP ${status}` : `code ${code}`;
  const message = clean(`TikTok ${endpoint}: ${what}${answer.message ? ` (${answer.message})` : ''}`);
  if (code !== undefined) {
    if (RATE_LIMITED.has(code)) return new RateLimitedError(message, context, defaultRetryAfterMs);
    if (AUTH.has(code)) return new AuthError(message, context);
    if (TRANSIENT.has(code) || (code >= 51000 && code < 52000)) return new TransientPlatformError(message, context);
    return new PlatformRequestError(message, context);
  }
  if (status === 429) return new RateLimitedError(message, context, defaultRetryAfterMs);
  if (status === 401) return new AuthError(message, context);
  if (status >= 500) return new TransientPlatformError(message, context);
  return new PlatformRequestError(message, context);
}
