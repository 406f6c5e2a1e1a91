/** X's DAY window rule (account-local midnight with TODAY's offset, ≤7 days), sale amounts and billable budgets. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../../lib/model/dates.ts';
import { chunks } from '../../../../lib/platforms/slices.ts';
import { XAdsValueError } from '../../../../lib/platforms/x-ads/errors.ts';
import { billableBudget, dayWindows, localMidnight, saleAmountToMicros, statsTime } from '../../../../lib/platforms/x-ads/values.ts';

describe('dayWindows', () => {
  it('matches the documented examples: Los Angeles during PDT, Tokyo', () => {
    const pdt = new Date('2017-05-22T18:00:00Z');
    expect(statsTime(localMidnight('2017-05-21', 'America/Los_Angeles', pdt))).toBe('2017-05-21T07:00:00Z');
    expect(statsTime(localMidnight('2017-05-21', 'Asia/Tokyo', pdt))).toBe('2017-05-20T15:00:00Z');
  });

  it('uses the offset in effect today, not on the target day', () => {
    // Today is in PST (UTC−8); 10 October was in PDT, but X wants 08:00Z for it.
    const windows = dayWindows('2026-10-10', '2026-10-12', 'America/Los_Angeles', new Date('2026-11-20T12:00:00Z'));
    expect(windows).toEqual([
      { from: '2026-10-10', to: '2026-10-12', days: 3, startTime: '2026-10-10T08:00:00Z', endTime: '2026-10-13T08:00:00Z' },
    ]);
  });

  it('cuts a range into 7-day windows that tile it', () => {
    expect(
      dayWindows('2026-03-01', '2026-03-16', 'Europe/Paris', new Date('2026-03-20T00:00:00Z')).map((w) => [w.from, w.to, w.days]),
    ).toEqual([
      ['2026-03-01', '2026-03-07', 7],
      ['2026-03-08', '2026-03-14', 7],
      ['2026-03-15', '2026-03-16', 2],
    ]);
    expect(dayWindows('2026-03-02', '2026-03-01', 'UTC', new Date())).toEqual([]);
  });

  it('property: windows are contiguous, at most `max` days, each exactly `days` × 24 h', () => {
    const date = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2020-01-01', n));
    const zone = fc.constantFrom('America/Los_Angeles', 'Asia/Tokyo', 'Europe/Paris', 'Australia/Sydney', 'UTC', 'Asia/Kolkata');
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 200 }), zone, fc.integer({ min: 1, max: 90 }), date, (from, span, tz, max, today) => {
        const to = addDays(from, span);
        const windows = dayWindows(from, to, tz, new Date(`${today}T12:00:00Z`), max);
        expect(windows[0]?.from).toBe(from);
        expect(windows.at(-1)?.to).toBe(to);
        windows.forEach((w, i) => {
          expect(w.days).toBe(daysBetween(w.from, w.to) + 1);
          expect(w.days).toBeLessThanOrEqual(max);
          expect(Date.parse(w.endTime) - Date.parse(w.startTime)).toBe(w.days * 86_400_000);
          if (i > 0) expect(w.startTime).toBe(windows[i - 1]?.endTime);
        });
      }),
      { numRuns: 80 },
    );
  });
});

describe('values', () => {
  it('chunks id lists', () => {
    expect(chunks(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('reads sale amounts in micros or major units exactly', () => {
    expect(saleAmountToMicros(5998, 'micros')).toBe(5998);
    expect(saleAmountToMicros(59.98, 'major')).toBe(59_980_000);
    expect(saleAmountToMicros(0.000001, 'major')).toBe(1);
    expect(() => saleAmountToMicros(1.5, 'micros')).toThrow(XAdsValueError);
    expect(() => saleAmountToMicros(1e-7, 'major')).toThrow(XAdsValueError);
    expect(() => saleAmountToMicros(-1, 'major')).toThrow(XAdsValueError);
  });

  it('rounds budgets down to cents, or whole yen', () => {
    expect(billableBudget(150_456_789, 'USD')).toBe(150_450_000);
    expect(billableBudget(18_000_999_999, 'JPY')).toBe(18_000_000_000);
    expect(() => billableBudget(-1, 'USD')).toThrow(XAdsValueError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), fc.constantFrom('USD', 'EUR', 'JPY', 'KRW'), (micros, currency) => {
        const b = billableBudget(micros, currency);
        expect(b).toBeLessThanOrEqual(micros);
        expect(micros - b).toBeLessThan(currency === 'JPY' || currency === 'KRW' ? 1_000_000 : 10_000);
        expect(billableBudget(b, currency)).toBe(b);
      }),
    );
  });
});
