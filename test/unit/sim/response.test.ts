import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hillConversions, hillMarginalConversions } from '../../../lib/sim/response.ts';

describe('Hill response', () => {
  it('saturates at beta and is half-way at kappa', () => {
    const curve = { beta: 30, alpha: 1.4, kappa: 250 };
    expect(hillConversions(curve, 250_000_000)).toBeCloseTo(15, 10);
    expect(hillConversions(curve, 10 ** 15)).toBeCloseTo(30, 3);
    expect(hillConversions(curve, 0)).toBe(0);
  });

  it('has a marginal equal to the central finite difference (property, relative tolerance 1e-4)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        fc.double({ min: 10, max: 5000, noNaN: true }),
        fc.integer({ min: 5, max: 20_000 }),
        (beta, alpha, kappa, spend) => {
          const curve = { beta, alpha, kappa };
          const h = 0.01;
          const micros = spend * 1_000_000;
          const numeric = (hillConversions(curve, micros + h * 1_000_000) - hillConversions(curve, micros - h * 1_000_000)) / (2 * h);
          const exact = hillMarginalConversions(curve, micros);
          expect(Math.abs(exact - numeric)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(exact), 1e-9) + 1e-12);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('at zero spend: infinite for alpha < 1, beta/kappa for alpha = 1, zero for alpha > 1', () => {
    expect([0.5, 1, 2].map((alpha) => hillMarginalConversions({ beta: 10, alpha, kappa: 100 }, 0))).toEqual([
      Number.POSITIVE_INFINITY,
      0.1,
      0,
    ]);
  });
});
