/** Properties of Pinterest value conversions: int64 reading, budget rounding, date slicing, chunking, credentials. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../../lib/model/dates.ts';
import { PinterestCredentials, pinterestCredentialsFromEnv } from '../../../../lib/platforms/pinterest/credentials.ts';
import { PinterestValueError } from '../../../../lib/platforms/pinterest/errors.ts';
import { billableBudget, int64 } from '../../../../lib/platforms/pinterest/values.ts';
import { chunks, dateSlices } from '../../../../lib/platforms/slices.ts';

describe('int64', () => {
  it('reads every safe non-negative integer the same as a number or a digit string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(int64(n)).toBe(n);
        expect(int64(String(n))).toBe(n);
      }),
    );
  });

  it('refuses fractions, negatives and values past 2^53; absent is 0', () => {
    for (const bad of [1.5, -1, '9007199254740993', Number.NaN]) expect(() => int64(bad)).toThrow(PinterestValueError);
    expect([int64(undefined), int64(null)]).toEqual([0, 0]);
  });
});

describe('billableBudget', () => {
  it('rounds down by less than one minor unit, never up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), fc.constantFrom('USD', 'EUR', 'JPY', 'KRW'), (micros, currency) => {
        const billed = billableBudget(micros, currency);
        const unit = currency === 'JPY' || currency === 'KRW' ? 1_000_000 : 10_000;
        expect(billed).toBeLessThanOrEqual(micros);
        expect(micros - billed).toBeLessThan(unit);
        expect(billed % unit).toBe(0);
      }),
    );
  });
});

describe('dateSlices and chunks', () => {
  it('cover the range exactly, in order, each at most `days` long', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 186 }),
        (offset, length, days) => {
          const from = addDays('2024-01-01', offset);
          const to = addDays(from, length);
          const slices = dateSlices(from, to, days);
          expect(slices[0]?.from).toBe(from);
          expect(slices.at(-1)?.to).toBe(to);
          slices.forEach((s, i) => {
            expect(daysBetween(s.from, s.to) + 1).toBeLessThanOrEqual(days);
            if (i > 0) expect(s.from).toBe(addDays(slices[i - 1]?.to ?? '', 1));
          });
        },
      ),
    );
  });

  it('chunks keep every item once, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 300 }), (items, size) => {
        const parts = chunks(items, size);
        expect(parts.flat()).toEqual(items);
        expect(parts.every((p) => p.length >= 1 && p.length <= size)).toBe(true);
      }),
    );
  });
});

describe('PinterestCredentials', () => {
  it('reads the local environment variables', () => {
    expect(
      pinterestCredentialsFromEnv({
        PINTEREST_ACCESS_TOKEN: 'pina_a',
        PINTEREST_REFRESH_TOKEN: 'pinr_b',
        PINTEREST_CLIENT_ID: '1500',
        PINTEREST_CLIENT_SECRET: 'shh',
        PINTEREST_TOKEN_EXPIRES_AT: '2026-12-01T00:00:00Z',
        OTHER: 'x',
      }),
    ).toEqual({ accessToken: 'pina_a', refreshToken: 'pinr_b', clientId: '1500', clientSecret: 'shh', expiresAt: '2026-12-01T00:00:00Z' });
    expect(pinterestCredentialsFromEnv({ PINTEREST_ACCESS_TOKEN: 'pina_a', PINTEREST_REFRESH_TOKEN: '' })).toEqual({
      accessToken: 'pina_a',
    });
  });

  it('refuses a refresh token without the client, and a bad expiresAt, without echoing secrets', () => {
    const partial = PinterestCredentials.safeParse({ accessToken: 'pina_a', refreshToken: 'pinr_secret' });
    expect(partial.success).toBe(false);
    expect(JSON.stringify(partial.error?.issues)).not.toContain('pinr_secret');
    expect(PinterestCredentials.safeParse({ accessToken: 'pina_a', expiresAt: 'tomorrow' }).success).toBe(false);
  });
});
