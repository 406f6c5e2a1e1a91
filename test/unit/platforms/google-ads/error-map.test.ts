import { describe, expect, it } from 'vitest';
import { AuthError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../../../../lib/platforms/errors.ts';
import { durationToMs, googleAdsErrorFor } from '../../../../lib/platforms/google-ads/error-map.ts';
import { fixture } from './fixture-fetch.ts';

const ENDPOINT = 'POST /v26/customers/1234567890/googleAds:searchStream';
const map = (status: number, name: string) => googleAdsErrorFor({ status, body: JSON.parse(fixture(name)) }, ENDPOINT, 30_000);

/** The fields a caller relies on, for whole-object comparison. */
function shape(error: unknown) {
  if (!(error instanceof Error)) throw new Error('not an error');
  const e = error as Error & { status?: number; code?: unknown; retryable?: boolean; retryAfterMs?: number; platform?: string };
  return {
    name: e.name,
    platform: e.platform,
    status: e.status,
    code: e.code,
    retryable: e.retryable,
    ...(e instanceof RateLimitedError ? { retryAfterMs: e.retryAfterMs } : {}),
  };
}

describe('Google Ads errors mapped to typed errors', () => {
  it('parses google.protobuf.Duration', () => {
    expect(['40591s', '30s', '2.5s', '0.001s', '1.000000001s', '1.0000000015s', '5m', 's', ''].map(durationToMs)).toEqual([
      40_591_000,
      30_000,
      2_500,
      1,
      1_000,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('the documented 429 RESOURCE_EXHAUSTED honours retryDelay (hours for a daily quota)', () => {
    const error = map(429, 'error-resource-exhausted.json');
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(shape(error)).toEqual({
      name: 'RateLimitedError',
      platform: 'google-ads',
      status: 429,
      code: 'RESOURCE_EXHAUSTED',
      retryable: true,
      retryAfterMs: 40_591_000,
    });
    expect(error.message).toBe(
      `Google Ads ${ENDPOINT}: RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota). [quotaError.RESOURCE_EXHAUSTED] Too many requests. Retry in 40591 seconds. (request-id xN_KaZRHZuU6Rlgt3cM2uQ)`,
    );
  });

  it('reads an error wrapped in a searchStream array, and google.rpc.RetryInfo', () => {
    expect(shape(map(429, 'error-resource-exhausted-short.json'))).toMatchObject({ name: 'RateLimitedError', retryAfterMs: 30_000 });
    expect(shape(map(429, 'error-temporarily-exhausted.json'))).toMatchObject({ name: 'RateLimitedError', retryAfterMs: 2_500 });
  });

  it('a throttle that names no delay waits the default', () => {
    const body = { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } };
    expect(shape(googleAdsErrorFor({ status: 429, body }, ENDPOINT, 12_000))).toMatchObject({
      name: 'RateLimitedError',
      retryAfterMs: 12_000,
    });
    expect(shape(googleAdsErrorFor({ status: 429, body: undefined }, ENDPOINT, 12_000))).toMatchObject({
      name: 'RateLimitedError',
      retryAfterMs: 12_000,
    });
  });

  it('auth and permission failures need a human', () => {
    expect(shape(map(401, 'error-unauthenticated.json'))).toEqual({
      name: 'AuthError',
      platform: 'google-ads',
      status: 401,
      code: 'UNAUTHENTICATED',
      retryable: false,
    });
    expect(shape(map(403, 'error-permission-denied.json'))).toEqual({
      name: 'AuthError',
      platform: 'google-ads',
      status: 403,
      code: 'PERMISSION_DENIED',
      retryable: false,
    });
    // An access level too low for the call is a quota error that waiting does not fix.
    expect(map(403, 'error-access-prohibited.json')).toBeInstanceOf(AuthError);
  });

  it('5xx, a proxy page and a concurrent modification are transient', () => {
    expect(shape(map(500, 'error-internal.json'))).toEqual({
      name: 'TransientPlatformError',
      platform: 'google-ads',
      status: 500,
      code: 'INTERNAL',
      retryable: true,
    });
    expect(shape(map(503, 'error-unavailable.json'))).toMatchObject({ name: 'TransientPlatformError', code: 'UNAVAILABLE' });
    expect(googleAdsErrorFor({ status: 502, body: undefined }, ENDPOINT, 1)).toBeInstanceOf(TransientPlatformError);
    expect(shape(map(409, 'error-concurrent-modification.json'))).toMatchObject({ name: 'TransientPlatformError', code: 'ABORTED' });
  });

  it('bad queries and refused budgets are request errors, naming Google’s error code', () => {
    const query = map(400, 'error-query.json');
    expect(shape(query)).toEqual({
      name: 'PlatformRequestError',
      platform: 'google-ads',
      status: 400,
      code: 'INVALID_ARGUMENT',
      retryable: false,
    });
    expect(query.message).toContain("[queryError.UNRECOGNIZED_FIELD] Unrecognized field in the query: 'campaign.bogus'.");
    const budget = map(400, 'error-budget-minimum.json');
    expect(budget).toBeInstanceOf(PlatformRequestError);
    expect(budget.message).toContain('campaignBudgetError.BUDGET_BELOW_PER_DAY_MINIMUM');
    expect(googleAdsErrorFor({ status: 400, body: 'not json' }, ENDPOINT, 1)).toBeInstanceOf(PlatformRequestError);
  });

  it('scrubs Google’s text with the given cleaner', () => {
    const body = { error: { code: 400, message: 'bad header Bearer ya29.secret', status: 'INVALID_ARGUMENT' } };
    const error = googleAdsErrorFor({ status: 400, body }, ENDPOINT, 1, (t) => t.replace('ya29.secret', '[redacted]'));
    expect(error.message).toBe(`Google Ads ${ENDPOINT}: INVALID_ARGUMENT: bad header Bearer [redacted]`);
  });
});
