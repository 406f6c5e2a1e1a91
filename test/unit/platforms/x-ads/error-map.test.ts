/** X Ads error answers → typed errors: the rate-limit header precedence, 503 retry-after, auth and request errors. */
import { describe, expect, it } from 'vitest';
import { AuthError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../../../../lib/platforms/errors.ts';
import { DEFAULT_THROTTLE_WAIT_MS, rateLimitOf, xAdsErrorFor } from '../../../../lib/platforms/x-ads/error-map.ts';

const NOW_MS = 1_780_000_000_000;
const NOW_S = NOW_MS / 1000;
const clean = (text: string) => text.replace('secret', '[redacted]');

function map(status: number, codes: string[], headers: Record<string, string> = {}, message?: string) {
  return xAdsErrorFor(
    { status, codes, headers: new Headers(headers), ...(message === undefined ? {} : { message }) },
    'GET /12/x',
    NOW_MS,
    clean,
  );
}

describe('xAdsErrorFor', () => {
  it('a 429 waits until the ad-account reset when both levels are present', () => {
    const error = map(429, ['TOO_MANY_REQUESTS'], {
      'x-rate-limit-limit': '2000',
      'x-rate-limit-remaining': '1999',
      'x-rate-limit-reset': String(NOW_S + 900),
      'x-account-rate-limit-limit': '10000',
      'x-account-rate-limit-remaining': '0',
      'x-account-rate-limit-reset': String(NOW_S + 42),
    });
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(42_000);
    expect(error.message).toBe('X Ads GET /12/x: HTTP 429 TOO_MANY_REQUESTS; account-level limit resets in 42 s');
  });

  it('a 429 with user-level headers only waits for those; without any, a default minute', () => {
    expect((map(429, [], { 'x-rate-limit-reset': String(NOW_S + 5) }) as RateLimitedError).retryAfterMs).toBe(5_000);
    expect((map(429, []) as RateLimitedError).retryAfterMs).toBe(DEFAULT_THROTTLE_WAIT_MS);
    expect((map(429, [], { 'x-rate-limit-reset': String(NOW_S - 5) }) as RateLimitedError).retryAfterMs).toBe(0);
  });

  it('a 503 honours retry-after in seconds or as a date; without it, it is transient', () => {
    expect((map(503, ['SERVICE_UNAVAILABLE'], { 'retry-after': '7' }) as RateLimitedError).retryAfterMs).toBe(7_000);
    const at = new Date(NOW_MS + 30_000).toUTCString();
    expect((map(503, ['OVER_CAPACITY'], { 'retry-after': at }) as RateLimitedError).retryAfterMs).toBe(30_000);
    expect(map(503, ['SERVICE_UNAVAILABLE'])).toBeInstanceOf(TransientPlatformError);
    expect(map(500, ['INTERNAL_ERROR'])).toBeInstanceOf(TransientPlatformError);
    expect(map(502, [])).toBeInstanceOf(TransientPlatformError);
  });

  it('401 and 403 are AuthErrors; 400 and 404 request errors, with the code and a cleaned message', () => {
    const auth = map(401, ['UNAUTHORIZED_ACCESS'], {}, 'This request is not properly authenticated');
    expect(auth).toBeInstanceOf(AuthError);
    expect({ code: auth.code, status: auth.status, platform: auth.platform, retryable: auth.retryable }).toEqual({
      code: 'UNAUTHORIZED_ACCESS',
      status: 401,
      platform: 'x-ads',
      retryable: false,
    });
    expect(map(403, [])).toBeInstanceOf(AuthError);
    const bad = map(400, ['INVALID_PARAMETER'], {}, 'Expected time, got "secret" for start_time');
    expect(bad).toBeInstanceOf(PlatformRequestError);
    expect(bad.message).toBe('X Ads GET /12/x: HTTP 400 INVALID_PARAMETER (Expected time, got "[redacted]" for start_time)');
    expect(map(404, ['CAMPAIGN_NOT_FOUND'])).toBeInstanceOf(PlatformRequestError);
  });

  it('rateLimitOf prefers the account headers and ignores non-numbers', () => {
    expect(rateLimitOf(new Headers({ 'x-rate-limit-remaining': '3', 'x-account-rate-limit-remaining': 'x' }))).toEqual({
      level: 'account',
    });
    expect(rateLimitOf(new Headers({ 'x-rate-limit-remaining': '3' }))).toEqual({ level: 'user', remaining: 3 });
    expect(rateLimitOf(new Headers())).toBeUndefined();
  });
});
