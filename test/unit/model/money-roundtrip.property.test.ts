/**
 * Properties of money conversion per currency: a decimal string in major units → micros → minor units → micros →
 * decimal string round-trips exactly whenever the amount is representable in the currency's minor unit (as Meta
 * counts it: offset 100, or 1 for JPY and the others), and a finer amount is always rounded DOWN to the minor
 * unit, by less than one minor unit, never up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decimalToMicros,
  floorToBillable,
  MICROS_PER_UNIT,
  microsToDecimal,
  microsToMinorFloor,
  minorToMicros,
  minorUnitOffset,
} from '../../../lib/model/money.ts';

/** The currencies Meta counts in whole major units (offset 1): ../shared/PLATFORM_APIS.md §1, plus VND. */
const OFFSET_ONE = ['JPY', 'KRW', 'TWD', 'IDR', 'HUF', 'ISK', 'CLP', 'COP', 'CRC', 'PYG', 'VND'] as const;
/** A sample of other ISO 4217 codes: two-decimal majors, and three-decimal ones (KWD, BHD, JOD, OMR, TND, IQD, LYD). */
const OFFSET_HUNDRED = ['USD', 'EUR', 'GBP', 'CHF', 'AUD', 'CAD', 'SEK', 'NOK', 'INR', 'BRL', 'MXN', 'CNY', 'ZAR', 'PLN'] as const;
const THREE_DECIMALS = ['KWD', 'BHD', 'JOD', 'OMR', 'TND', 'IQD', 'LYD'] as const;
const ALL = [...OFFSET_ONE, ...OFFSET_HUNDRED, ...THREE_DECIMALS];

const RUNS = { numRuns: 2_000 };

/** Micros in one minor unit of the currency. */
const unitMicros = (currency: string) => MICROS_PER_UNIT / minorUnitOffset(currency);
/** Decimals a minor unit has in major units: 0 for offset 1, 2 for offset 100. */
const minorDecimals = (currency: string) => (minorUnitOffset(currency) === 1 ? 0 : 2);

/** A whole number of minor units whose micros stay a safe integer; small amounts are drawn often. */
function minorAmount(currency: string): fc.Arbitrary<number> {
  const max = Math.floor(Number.MAX_SAFE_INTEGER / unitMicros(currency));
  return fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max }));
}

/** The amount as a platform may write it: exactly `decimals` places, or with trailing zeros dropped or added. */
function spellings(minor: number, currency: string): fc.Arbitrary<string> {
  const decimals = minorDecimals(currency);
  const whole = String(Math.floor(minor / minorUnitOffset(currency)));
  const fraction = decimals === 0 ? '' : String(minor % minorUnitOffset(currency)).padStart(decimals, '0');
  const trimmed = fraction.replace(/0+$/, '');
  return fc.constantFrom(
    fraction === '' ? whole : `${whole}.${fraction}`,
    trimmed === '' ? whole : `${whole}.${trimmed}`,
    `${whole}.${fraction.padEnd(6, '0')}`,
    `${whole}.${fraction.padEnd(9, '0')}`,
  );
}

describe('money round trips per currency', () => {
  it('knows the offset of every currency listed: 1 for the zero-decimal ones, 100 for the rest (three-decimal ones included)', () => {
    expect(Object.fromEntries(ALL.map((c) => [c, minorUnitOffset(c)]))).toEqual({
      ...Object.fromEntries(OFFSET_ONE.map((c) => [c, 1])),
      ...Object.fromEntries([...OFFSET_HUNDRED, ...THREE_DECIMALS].map((c) => [c, 100])),
    });
    expect(minorUnitOffset('jpy')).toBe(1);
  });

  it('decimal string → micros → minor units → micros → decimal string is exact for amounts in whole minor units', () => {
    const amount = fc
      .constantFrom(...ALL)
      .chain((currency) => minorAmount(currency).chain((minor) => spellings(minor, currency).map((text) => ({ currency, minor, text }))));
    fc.assert(
      fc.property(amount, ({ currency, minor, text }) => {
        const micros = decimalToMicros(text);
        expect(micros).toBe(minor * unitMicros(currency));
        expect(microsToMinorFloor(micros, currency)).toBe(minor);
        expect(minorToMicros(minor, currency)).toBe(micros);
        expect(floorToBillable(micros, currency)).toBe(micros);
        const written = microsToDecimal(micros, minorDecimals(currency));
        expect(decimalToMicros(written)).toBe(micros);
        // The canonical spelling: exactly the minor unit's decimals, no more, no fewer.
        expect(written).toMatch(minorDecimals(currency) === 0 ? /^\d+$/ : /^\d+\.\d{2}$/);
        expect(micros % unitMicros(currency)).toBe(0);
      }),
      RUNS,
    );
  });

  it('minor units → micros → decimal string → micros → minor units is exact', () => {
    const amount = fc.constantFrom(...ALL).chain((currency) => minorAmount(currency).map((minor) => ({ currency, minor })));
    fc.assert(
      fc.property(amount, ({ currency, minor }) => {
        const text = microsToDecimal(minorToMicros(minor, currency), minorDecimals(currency));
        expect(microsToMinorFloor(decimalToMicros(text), currency)).toBe(minor);
      }),
      RUNS,
    );
  });

  it('an amount finer than the minor unit is rounded down by less than one minor unit, never up', () => {
    const amount = fc.constantFrom(...ALL).chain((currency) =>
      fc
        // Negative amounts down to one major unit above the safe range: flooring moves them further from zero.
        .integer({ min: -Number.MAX_SAFE_INTEGER + MICROS_PER_UNIT, max: Number.MAX_SAFE_INTEGER })
        .map((micros) => ({ currency, micros, text: microsToDecimal(micros, 6) })),
    );
    fc.assert(
      fc.property(amount, ({ currency, micros, text }) => {
        expect(decimalToMicros(text)).toBe(micros);
        const minor = microsToMinorFloor(micros, currency);
        const back = minorToMicros(minor, currency);
        expect(back).toBeLessThanOrEqual(micros);
        expect(micros - back).toBeLessThan(unitMicros(currency));
        expect(floorToBillable(micros, currency)).toBe(back);
        // Already billable: unchanged; one micro short of the next minor unit: still the lower one.
        expect(floorToBillable(back, currency)).toBe(back);
        if (back + unitMicros(currency) - 1 <= Number.MAX_SAFE_INTEGER) {
          expect(microsToMinorFloor(back + unitMicros(currency) - 1, currency)).toBe(minor);
        }
      }),
      RUNS,
    );
  });

  it('three-decimal currencies keep Meta’s offset 100: a third decimal is below the minor unit and is floored', () => {
    const amount = fc.record({
      currency: fc.constantFrom(...THREE_DECIMALS),
      whole: fc.integer({ min: 0, max: 1_000_000_000 }),
      thousandths: fc.integer({ min: 0, max: 999 }),
    });
    fc.assert(
      fc.property(amount, ({ currency, whole, thousandths }) => {
        const text = `${whole}.${String(thousandths).padStart(3, '0')}`;
        const micros = decimalToMicros(text);
        const minor = microsToMinorFloor(micros, currency);
        expect(minor).toBe(whole * 100 + Math.floor(thousandths / 10));
        expect(microsToDecimal(minorToMicros(minor, currency), 2)).toBe(
          `${whole}.${String(Math.floor(thousandths / 10)).padStart(2, '0')}`,
        );
      }),
      RUNS,
    );
  });

  it('examples at the edges of the minor unit', () => {
    expect(microsToMinorFloor(decimalToMicros('1234'), 'JPY')).toBe(1234);
    expect(microsToMinorFloor(decimalToMicros('1234.999999'), 'KRW')).toBe(1234);
    expect(microsToMinorFloor(decimalToMicros('0.999999'), 'CLP')).toBe(0);
    expect(microsToMinorFloor(decimalToMicros('12.345'), 'KWD')).toBe(1234);
    expect(microsToMinorFloor(decimalToMicros('0.009999'), 'BHD')).toBe(0);
    expect(microsToMinorFloor(decimalToMicros('19.99'), 'USD')).toBe(1999);
    expect(microsToDecimal(minorToMicros(1999, 'EUR'), 2)).toBe('19.99');
    expect(microsToDecimal(minorToMicros(5000, 'JPY'), 0)).toBe('5000');
  });
});
