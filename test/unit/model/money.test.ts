import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from '../../../lib/model/errors.ts';
import {
  decimalToMicros,
  floorToBillable,
  formatMoney,
  microsToDecimal,
  microsToMinorFloor,
  minorToMicros,
  minorUnitOffset,
} from '../../../lib/model/money.ts';

describe('decimalToMicros', () => {
  it('parses platform decimal strings exactly', () => {
    expect(decimalToMicros('5339.5')).toBe(5_339_500_000);
    expect(decimalToMicros('0.000001')).toBe(1);
    expect(decimalToMicros('3272.50')).toBe(3_272_500_000);
    expect(decimalToMicros('-3')).toBe(-3_000_000);
    expect(decimalToMicros('0.1')).toBe(100_000);
    expect(decimalToMicros('1.2300000')).toBe(1_230_000);
  });

  it('rejects what is not a plain decimal, and precision it would lose', () => {
    for (const bad of ['', 'abc', '1e5', '1,000.00', '.5', '5.', 'NaN', '0x10', '1.0000001']) {
      expect(() => decimalToMicros(bad), bad).toThrow(MoneyError);
    }
  });

  it('round-trips any micro amount through its decimal string', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9_000_000_000_000_000 + 1, max: 9_000_000_000_000_000 - 1 }), (micros) => {
        expect(decimalToMicros(microsToDecimal(micros, 6))).toBe(micros);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('minor units', () => {
  it('uses offset 1 for the zero-decimal currencies Meta lists and 100 otherwise', () => {
    for (const c of ['JPY', 'KRW', 'TWD', 'IDR', 'HUF', 'ISK', 'CLP', 'COP', 'CRC', 'PYG']) expect(minorUnitOffset(c)).toBe(1);
    for (const c of ['USD', 'EUR', 'GBP']) expect(minorUnitOffset(c)).toBe(100);
  });

  it('rounds budgets down to a billable amount, never up past a cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), fc.constantFrom('USD', 'EUR', 'JPY', 'KRW'), (micros, currency) => {
        const billable = floorToBillable(micros, currency);
        expect(billable).toBeLessThanOrEqual(micros);
        expect(micros - billable).toBeLessThan(1_000_000 / minorUnitOffset(currency));
        expect(minorToMicros(microsToMinorFloor(billable, currency), currency)).toBe(billable);
      }),
      { numRuns: 2000 },
    );
    expect(microsToMinorFloor(20_009_999, 'USD')).toBe(2000);
    expect(microsToMinorFloor(2_000_999_999, 'JPY')).toBe(2000);
  });
});

describe('formatMoney', () => {
  it('formats for people', () => {
    expect(formatMoney(1_234_560_000, 'EUR')).toBe('€1,234.56');
    expect(formatMoney(2_000_000_000, 'JPY')).toBe('¥2,000');
  });
});
