/** LinkedIn value conversions, Rest.li encoding, analytics slicing and error mapping. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateRange } from '../../../../lib/model/dates.ts';
import { microsToDecimal } from '../../../../lib/model/money.ts';
import { AuthError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../../../../lib/platforms/errors.ts';
import { linkedinErrorFor } from '../../../../lib/platforms/linkedin/error-map.ts';
import { restliDateRange, restliList, restliValue } from '../../../../lib/platforms/linkedin/restli.ts';
import { analyticsSlices } from '../../../../lib/platforms/linkedin/slices.ts';
import {
  budgetAmount,
  budgetToMicros,
  countToNumber,
  idOfUrn,
  metricMoneyToMicros,
  msUntilUtcMidnight,
} from '../../../../lib/platforms/linkedin/values.ts';

describe('LinkedIn values', () => {
  it('reads money exactly, rounding digits past the micro half-up', () => {
    expect(metricMoneyToMicros('10.00')).toBe(10_000_000);
    expect(metricMoneyToMicros('37.10254065395')).toBe(37_102_541);
    expect(metricMoneyToMicros('0.0000004')).toBe(0);
    expect(metricMoneyToMicros('0.0000005')).toBe(1);
    expect(metricMoneyToMicros('5830')).toBe(5_830_000_000);
    for (const bad of ['-1.00', '1,5', '', '1e3', 'NaN']) expect(() => metricMoneyToMicros(bad)).toThrow(/decimal/);
  });

  it('property: any micros amount written with extra zero or sub-micro digits reads back to within half a micro', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), fc.stringMatching(/^[0-9]{0,8}$/), (micros, tail) => {
        const text = `${microsToDecimal(micros, 6)}${tail}`;
        const expected = micros + (Number(tail[0] ?? '0') >= 5 ? 1 : 0);
        expect(metricMoneyToMicros(text)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: a budget amount is billable, never above the asked micros, less than one unit below, and reads back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 14 }), fc.constantFrom('USD', 'EUR', 'JPY', 'KRW', 'GBP'), (micros, currency) => {
        const { appliedMicros, amount } = budgetAmount(micros, currency);
        const unit = currency === 'JPY' || currency === 'KRW' ? 1_000_000 : 10_000;
        expect(appliedMicros).toBeLessThanOrEqual(micros);
        expect(micros - appliedMicros).toBeLessThan(unit);
        expect(appliedMicros % unit).toBe(0);
        expect(budgetToMicros(amount)).toBe(appliedMicros);
        expect(amount).toMatch(unit === 1_000_000 ? /^\d+$/ : /^\d+\.\d{2}$/);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads counts, URNs and refuses what is not exact', () => {
    expect(countToNumber(3)).toBe(3);
    expect(countToNumber('3.0')).toBe(3);
    expect(() => countToNumber(2.5)).toThrow(/whole/);
    expect(idOfUrn('urn:li:sponsoredCampaign:1001', 'urn:li:sponsoredCampaign:')).toBe('1001');
    expect(() => idOfUrn('urn:li:sponsoredCreative:1001', 'urn:li:sponsoredCampaign:')).toThrow(/URN/);
    expect(() => budgetToMicros('1.0000001')).toThrow(/exactly/);
  });

  it('counts the wait until the daily limits reset at midnight UTC', () => {
    expect(msUntilUtcMidnight(new Date('2026-10-15T22:00:00Z'))).toBe(2 * 3_600_000);
    expect(msUntilUtcMidnight(new Date('2026-12-31T23:59:59.900Z'))).toBe(1_000);
  });
});

describe('Rest.li 2.0 encoding', () => {
  it('encodes URNs inside List() but leaves the Rest.li syntax as it is', () => {
    expect(restliList(['urn:li:sponsoredAccount:123', 'urn:li:sponsoredAccount:4'])).toBe(
      'List(urn%3Ali%3AsponsoredAccount%3A123,urn%3Ali%3AsponsoredAccount%3A4)',
    );
    expect(restliDateRange('2026-10-01', '2026-10-07')).toBe('(start:(year:2026,month:10,day:1),end:(year:2026,month:10,day:7))');
    expect(restliValue("a(b),c:d'e")).toBe('a%28b%29%2Cc%3Ad%27e');
  });
});

describe('analytics slicing', () => {
  const CALENDAR = dateRange('2026-01-01', '2026-12-31');
  it('property: slices cover every campaign × day exactly once and no request may exceed the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 50 }),
        (campaignCount, days, maxElements, maxCampaigns) => {
          const ids = Array.from({ length: campaignCount }, (_, i) => String(1000 + i));
          const to = CALENDAR[days - 1] ?? '';
          const slices = analyticsSlices(ids, '2026-01-01', to, { maxElements, maxCampaigns });
          const seen = new Set<string>();
          for (const slice of slices) {
            const span = dateRange(slice.from, slice.to);
            expect(slice.campaignIds.length * span.length).toBeLessThanOrEqual(maxElements);
            expect(slice.campaignIds.length).toBeLessThanOrEqual(maxCampaigns);
            for (const id of slice.campaignIds) for (const d of span) seen.add(`${id}|${d}`);
          }
          expect(seen.size).toBe(campaignCount * days);
          expect(slices.reduce((n, s) => n + s.campaignIds.length * dateRange(s.from, s.to).length, 0)).toBe(campaignCount * days);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('LinkedIn error mapping', () => {
  const context = {
    defaultRetryAfterMs: 5_000,
    now: new Date('2026-10-15T22:00:00Z'),
    clean: (t: string) => t.replaceAll('secret', '[redacted]'),
  };
  const map = (status: number, body: unknown, retryAfter?: string) =>
    linkedinErrorFor({ status, body, retryAfter: retryAfter ?? null }, 'GET /rest/adAnalytics', context);

  it('maps statuses and bodies to typed errors', () => {
    const burst = map(429, {
      status: 429,
      serviceErrorCode: 101,
      message: 'Resource level throttle limit for calls to this resource is reached.',
    });
    expect(burst).toBeInstanceOf(RateLimitedError);
    expect((burst as RateLimitedError).retryAfterMs).toBe(5_000);
    expect((map(429, undefined, '30') as RateLimitedError).retryAfterMs).toBe(30_000);
    const daily = map(429, { status: 429, message: 'Resource level throttle MEMBER DAY limit for calls to this resource is reached.' });
    expect((daily as RateLimitedError).retryAfterMs).toBe(2 * 3_600_000);
    const expired = map(401, {
      status: 401,
      serviceErrorCode: 65602,
      code: 'EXPIRED_ACCESS_TOKEN',
      message: 'The token used in the request has expired',
    });
    expect(expired).toBeInstanceOf(AuthError);
    expect(expired.message).toBe(
      'LinkedIn GET /rest/adAnalytics: HTTP 401 EXPIRED_ACCESS_TOKEN serviceErrorCode 65602 (The token used in the request has expired)',
    );
    expect(expired.code).toBe('EXPIRED_ACCESS_TOKEN');
    expect(map(403, { status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions' })).toBeInstanceOf(
      AuthError,
    );
    expect(map(500, { status: 500, message: 'Internal Server Error' })).toBeInstanceOf(TransientPlatformError);
    expect(map(504, undefined)).toBeInstanceOf(TransientPlatformError);
    for (const status of [400, 404, 414, 422, 426]) expect(map(status, { status, message: 'no' })).toBeInstanceOf(PlatformRequestError);
    expect(map(400, { status: 400, message: 'bad token secret' }).message).not.toContain('secret');
  });
});
