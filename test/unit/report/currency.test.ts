import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRoundHalfEven, makeConverter } from '../../../lib/report/currency.ts';
import { InvalidReportInputError } from '../../../lib/report/errors.ts';

describe('makeConverter', () => {
  it('rounds to the nearest micro with ties to even', () => {
    const { convert } = makeConverter('EUR', { USD: 0.5 }, ['USD']);
    expect([1, 3, 5, 7, 2].map((m) => convert(m, 'USD'))).toEqual([0, 2, 2, 4, 1]);
  });

  it('uses the decimal the config wrote, not its binary approximation', () => {
    // 0.1 + 0.2 style trap: 1.1 is 1.100000000000000088… in binary; as a decimal, 5 micros × 1.1 = 5.5 → 6 (tie to even).
    const { convert } = makeConverter('EUR', { USD: 1.1 }, ['USD']);
    expect(convert(5, 'USD')).toBe(6);
    expect(convert(15, 'USD')).toBe(16); // 16.5 → 16
    expect(convert(1_000_000_000_000, 'USD')).toBe(1_100_000_000_000);
  });

  it('handles rates JavaScript prints in exponent form', () => {
    const { convert } = makeConverter('EUR', { VND: 3.5e-7, XBT: 1e21 }, ['VND']);
    expect(convert(10_000_000_000_000, 'VND')).toBe(3_500_000); // 10,000,000 VND → 3.50 EUR
    expect(() => makeConverter('EUR', { XBT: 1e21 }, ['XBT']).convert(10, 'XBT')).toThrow(InvalidReportInputError);
  });

  it('converts negative amounts symmetrically (budget decreases)', () => {
    const { convert } = makeConverter('EUR', { USD: 0.92 }, ['USD']);
    expect(convert(-10_000_000, 'USD')).toBe(-9_200_000);
    expect(convert(-3, 'USD')).toBe(-convert(3, 'USD'));
  });

  it('reports the rates it will use, sorted, and ignores the reporting currency', () => {
    expect(makeConverter('EUR', { USD: 0.92, GBP: 1.17, CHF: 1.05 }, ['USD', 'EUR', 'GBP', 'USD']).used).toEqual([
      { currency: 'GBP', rate: 1.17 },
      { currency: 'USD', rate: 0.92 },
    ]);
  });

  it('rejects non-positive and non-finite rates', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => makeConverter('EUR', { USD: rate }, ['USD'])).toThrow(InvalidReportInputError);
    }
  });

  it('matches an independent BigInt computation for any amount up to 90 million units and any six-decimal rate below 100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 90_000_000_000_000 }), fc.integer({ min: 1, max: 99_999_999 }), (micros, rateMillionths) => {
        const rate = rateMillionths / 1_000_000;
        const { convert } = makeConverter('EUR', { USD: rate }, ['USD']);
        const result = convert(micros, 'USD');
        // |result − micros × rate| ≤ ½ micro, checked in integers: result × 10⁶ vs micros × rateMillionths.
        const error = BigInt(result) * 1_000_000n - BigInt(micros) * BigInt(rateMillionths);
        return error >= -500_000n && error <= 500_000n;
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps sums exact: converting rows and adding never drifts more than half a micro per row', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000_000 }), { maxLength: 50 }), (rows) => {
        const { convert } = makeConverter('EUR', { JPY: 0.0061 }, ['JPY']);
        const sum = rows.reduce((s, m) => s + convert(m, 'JPY'), 0);
        const exact = rows.reduce((s, m) => s + BigInt(m) * 61n, 0n); // in 10⁻⁴ micros
        const drift = BigInt(sum) * 10_000n - exact;
        return drift <= BigInt(rows.length) * 5_000n && drift >= -BigInt(rows.length) * 5_000n;
      }),
      { numRuns: 500 },
    );
  });
});

describe('divideRoundHalfEven', () => {
  it('rounds halves to the even quotient', () => {
    expect([divideRoundHalfEven(5n, 2n), divideRoundHalfEven(7n, 2n), divideRoundHalfEven(8n, 3n), divideRoundHalfEven(7n, 3n)]).toEqual([
      2n,
      4n,
      3n,
      2n,
    ]);
  });
});
