import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnomalyInputError } from '../../../lib/anomaly/errors.ts';
import { mad, median, robustBand, robustZ } from '../../../lib/anomaly/robust.ts';
import { RollingQuantiles } from '../../../lib/anomaly/rolling-quantiles.ts';

describe('robust statistics', () => {
  it('median, MAD and robust z = 0.6745·(x − median)/MAD', () => {
    const sample = [10, 12, 11, 13, 9, 100];
    expect(median(sample)).toBe(11.5);
    expect(mad(sample)).toBe(1.5);
    expect(robustZ(20, sample)).toBeCloseTo((0.6745 * 8.5) / 1.5, 12);
    expect(robustBand(sample)).toEqual({ low: 11.5 - (3.5 * 1.5) / 0.6745, high: 11.5 + (3.5 * 1.5) / 0.6745 });
  });

  it('a flat baseline gives 0 for the same value, ±∞ otherwise, unless a minimum spread is given', () => {
    expect([robustZ(5, [5, 5, 5]), robustZ(6, [5, 5, 5]), robustZ(4, [5, 5, 5])]).toEqual([0, Infinity, -Infinity]);
    expect(robustZ(6, [5, 5, 5], 0.5)).toBeCloseTo(0.6745 * 2, 12);
  });
});

describe('RollingQuantiles', () => {
  it('keeps exactly the last N values and interpolates quantiles like a sorted copy', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        (xs, n) => {
          const window = new RollingQuantiles(n);
          for (const x of xs) window.push(x);
          const last = xs.slice(-n).sort((a, b) => a - b);
          const at = (q: number) => {
            const pos = q * (last.length - 1);
            const i = Math.floor(pos);
            return (last[i] ?? 0) + (pos - i) * ((last[Math.min(i + 1, last.length - 1)] ?? 0) - (last[i] ?? 0));
          };
          expect([window.size, window.min(), window.max(), window.quantile(0.5), window.quantile(0.9)]).toEqual([
            last.length,
            last[0],
            last[last.length - 1],
            at(0.5),
            at(0.9),
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a non-positive capacity and is NaN when empty', () => {
    expect(() => new RollingQuantiles(0)).toThrow(AnomalyInputError);
    expect(new RollingQuantiles(3).quantile(0.5)).toBeNaN();
  });
});
