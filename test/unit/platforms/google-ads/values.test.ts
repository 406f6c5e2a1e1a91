import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GoogleAdsValueError } from '../../../../lib/platforms/google-ads/errors.ts';
import { doubleToMicros, floorToUnit, int64ToNumber, plainDecimal, roundConversions } from '../../../../lib/platforms/google-ads/values.ts';

describe('Google Ads proto3 JSON values', () => {
  it('reads int64 strings exactly and refuses what would lose precision', () => {
    expect(int64ToNumber('12340000')).toBe(12_340_000);
    expect(int64ToNumber('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => int64ToNumber('9007199254740993')).toThrow(GoogleAdsValueError);
    expect(() => int64ToNumber('12.5')).toThrow(GoogleAdsValueError);
    expect(() => int64ToNumber('')).toThrow(GoogleAdsValueError);
  });

  it('writes doubles in plain decimal notation, digits unchanged', () => {
    expect([1e-7, 2.5e-10, 1.5e21, 150.5, 0, 33.3333333].map(plainDecimal)).toEqual([
      '0.0000001',
      '0.00000000025',
      '1500000000000000000000',
      '150.5',
      '0',
      '33.3333333',
    ]);
    expect(() => plainDecimal(-1)).toThrow(GoogleAdsValueError);
    expect(() => plainDecimal(Number.NaN)).toThrow(GoogleAdsValueError);
  });

  it('turns conversionsValue into micros, rounding half-up at the sixth decimal', () => {
    expect([150.5, 0, 33.3333333, 33.3333335, 0.0000005, 1e-7, 12345, 0.1 + 0.2].map(doubleToMicros)).toEqual([
      150_500_000, 0, 33_333_333, 33_333_334, 1, 0, 12_345_000_000, 300_000,
    ]);
  });

  it('property: a currency amount with up to 6 decimals comes back as the same micros (micros < 1e15)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), (micros) => {
        expect(doubleToMicros(micros / 1_000_000)).toBe(micros);
      }),
      { numRuns: 5000 },
    );
  });

  it('rounds conversions to the nearest whole number, ties to even', () => {
    expect([0, 2, 2.0000001, 2.4999999, 2.5, 3.5, 0.5, 1.5, 0.5000001, 7.9].map(roundConversions)).toEqual([0, 2, 2, 2, 2, 4, 0, 2, 1, 8]);
  });

  it('property: rounded conversions are within half a conversion and stable across re-reads', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (value) => {
        const rounded = roundConversions(value);
        expect(Number.isInteger(rounded)).toBe(true);
        expect(Math.abs(rounded - value)).toBeLessThanOrEqual(0.5);
        expect(roundConversions(value)).toBe(rounded);
      }),
      { numRuns: 2000 },
    );
  });

  it('floors budgets to the billable unit, never up', () => {
    expect(floorToUnit(123_456_789, 10_000)).toBe(123_450_000);
    expect(floorToUnit(1_999_999, 1_000_000)).toBe(1_000_000);
    expect(floorToUnit(9_999, 10_000)).toBe(0);
    expect(() => floorToUnit(1, 0)).toThrow(GoogleAdsValueError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e14 }), fc.constantFrom(10_000, 1_000_000, 50_000), (micros, unit) => {
        const floored = floorToUnit(micros, unit);
        expect(floored % unit).toBe(0);
        expect(floored).toBeLessThanOrEqual(micros);
        expect(micros - floored).toBeLessThan(unit);
      }),
      { numRuns: 2000 },
    );
  });
});
