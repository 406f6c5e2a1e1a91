/** Pinterest statuses and error bodies → typed errors, and the X-RateLimit-Reset wait. */
import { describe, expect, it } from 'vitest';
import { AuthError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../../../../lib/platforms/errors.ts';
import { type PinterestFailure, pinterestErrorFor, retryAfterMs } from '../../../../lib/platforms/pinterest/error-map.ts';

const NOW = Date.parse('2026-11-02T07:00:00Z');
const wait = { nowMs: NOW, defaultRetryAfterMs: 60_000 };
const clean = (text: string) => text.replaceAll('pina_secret', '[redacted]');

describe('pinterestErrorFor', () => {
  it.each([
    [{ status: 429, code: 8, message: 'Max rate limit exceeded', rateLimitReset: '12' }, RateLimitedError],
    [{ status: 200, code: 8 }, RateLimitedError],
    [{ status: 401, code: 3, message: 'Authentication failed.' }, AuthError],
    [{ status: 500 }, TransientPlatformError],
    [{ status: 503 }, TransientPlatformError],
    [{ status: 400, code: 12, message: 'x' }, TransientPlatformError],
    [{ status: 400, code: 1, message: 'Please Retry after 10 seconds' }, TransientPlatformError],
    [{ status: 400, code: 1, message: 'Something went wrong' }, TransientPlatformError],
    [{ status: 400, code: 400, message: 'Invalid ad account group analytics parameters.' }, PlatformRequestError],
    [{ status: 403, code: 29, message: 'forbidden' }, PlatformRequestError],
    [{ status: 404, code: 2, message: 'AdAccount not found.' }, PlatformRequestError],
  ] as [PinterestFailure, unknown][])('%j → %o', (failure, type) => {
    const error = pinterestErrorFor(failure, 'GET /v5/ad_accounts/{id}', wait, clean);
    expect(error).toBeInstanceOf(type);
    expect(error.constructor).toBe(type);
    expect({ platform: error.platform, status: error.status, code: error.code }).toEqual({
      platform: 'pinterest',
      status: failure.status,
      code: failure.code,
    });
  });

  it('redacts the message and waits what X-RateLimit-Reset says', () => {
    const error = pinterestErrorFor({ status: 429, message: 'token pina_secret is hot', rateLimitReset: '12' }, 'GET /v5/x', wait, clean);
    expect(error.message).toBe('Pinterest GET /v5/x: HTTP 429 (token [redacted] is hot)');
    expect((error as RateLimitedError).retryAfterMs).toBe(12_000);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['12', 12_000],
    ['0.5', 500],
    ['0', 0],
    [String(NOW / 1000 + 30), 30_000],
    [String(NOW / 1000 - 30), 0],
    [null, 60_000],
    ['', 60_000],
    ['soon', 60_000],
    ['-3', 60_000],
  ])('%j → %d ms', (header, ms) => {
    expect(retryAfterMs(header, NOW, 60_000)).toBe(ms);
  });
});
