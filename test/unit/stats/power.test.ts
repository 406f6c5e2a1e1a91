/** daysToDetect and minimumDetectableEffect: hand-computed cases and their consistency with each other. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  daysToDetect,
  meanStats,
  minimumDetectableEffect,
  normalCdf,
  normalQuantile,
  sequentialMultiplier,
} from '../../../lib/stats/index.ts';
import { approx } from './approx.ts';

// Ten days alternating ±√0.9: mean 0, sample variance exactly 1 per day.
const a = Math.sqrt(0.9);
const unitVarianceDays = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : -a));

describe('daysToDetect', () => {
  it('matches the textbook fixed-horizon sample size: n = 2σ²(z₀.₉₇₅ + z₀.₈)²/δ² per arm', () => {
    const arm = meanStats(unitVarianceDays);
    // 2·(1.959964 + 0.841621)²/0.5² = 62.79 → 63 days per arm, 53 more than the 10 we have.
    const result = daysToDetect(arm, arm, { mde: 0.5, relative: false, method: 'fixed' });
    const power = normalCdf(0.5 / Math.sqrt(2 / 63) - normalQuantile(0.975));
    expect(result).toEqual(approx({ kind: 'ok', additionalDays: 53, power }, { abs: 1e-12 }));
    expect(power).toBeGreaterThanOrEqual(0.8);
    expect(normalCdf(0.5 / Math.sqrt(2 / 62) - normalQuantile(0.975))).toBeLessThan(0.8);
  });

  it('uses the confidence-sequence width for the sequential method, so it needs more days than a fixed test', () => {
    const arm = meanStats(unitVarianceDays);
    const fixed = daysToDetect(arm, arm, { mde: 0.5, relative: false, method: 'fixed' });
    const sequential = daysToDetect(arm, arm, { mde: 0.5, relative: false, method: 'sequential', tuning: 100 });
    if (fixed.kind !== 'ok' || sequential.kind !== 'ok') throw new Error('expected estimates');
    const n = 10 + sequential.additionalDays;
    const expectedPower = normalCdf(0.5 / Math.sqrt(2 / n) - sequentialMultiplier(2 * n, 0.05, 100));
    expect(sequential).toEqual(approx({ kind: 'ok', additionalDays: sequential.additionalDays, power: expectedPower }, { abs: 1e-12 }));
    expect(sequential.additionalDays).toBeGreaterThan(fixed.additionalDays);
  });

  it('reports an unreachable effect and too little data as insufficient data', () => {
    const arm = meanStats(unitVarianceDays);
    expect(daysToDetect(arm, arm, { mde: 0.01, relative: false, maxDays: 30 })).toEqual({
      kind: 'insufficient-data',
      reason: 'unreachable',
      message: 'a 0.01 effect is not detectable within 30 more days at the current volume and variance',
    });
    expect(daysToDetect(arm, arm, { mde: 0.5, relative: false, method: 'fixed', maxDays: 0 })).toEqual({
      kind: 'insufficient-data',
      reason: 'unreachable',
      message: 'a 0.5 effect is not detectable within 0 more days at the current volume and variance',
    });
    expect(daysToDetect(arm, arm, { mde: 0.5, relative: false, method: 'fixed', maxDays: 53 })).toMatchObject({
      kind: 'ok',
      additionalDays: 53,
    });
    expect(daysToDetect(arm, arm, { mde: 0.5, relative: false, method: 'fixed', maxDays: 52 })).toMatchObject({ reason: 'unreachable' });
    expect(daysToDetect(meanStats([1]), arm, { mde: 0.1 })).toEqual({
      kind: 'insufficient-data',
      reason: 'too-few-units',
      message: 'each arm needs at least 2 days to estimate its variance, got 1 and 10',
    });
  });

  it('agrees with minimumDetectableEffect: the MDE after the returned days is at most the target, the day before it is above', () => {
    const days = fc.array(fc.double({ min: 50, max: 150, noNaN: true }), { minLength: 3, maxLength: 30 });
    fc.assert(
      fc.property(
        days,
        days,
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        fc.constantFrom('fixed' as const, 'sequential' as const),
        (c, t, mde, method) => {
          const control = meanStats(c);
          const treatment = meanStats(t);
          const options = { method, tuning: 200 };
          const result = daysToDetect(control, treatment, { ...options, mde, maxDays: 2000 });
          if (result.kind !== 'ok') return;
          const at = minimumDetectableEffect(control, treatment, { ...options, additionalDays: result.additionalDays });
          if (at.kind !== 'ok') throw new Error('expected an MDE');
          expect(at.mde).toBeLessThanOrEqual(mde * (1 + 1e-9));
          if (result.additionalDays > 0) {
            const before = minimumDetectableEffect(control, treatment, { ...options, additionalDays: result.additionalDays - 1 });
            if (before.kind !== 'ok') throw new Error('expected an MDE');
            expect(before.mde).toBeGreaterThan(mde * (1 - 1e-9));
          }
        },
      ),
    );
  });
});

describe('minimumDetectableEffect', () => {
  it('is (z₀.₉₇₅ + z₀.₈)·SE for an absolute fixed test', () => {
    const arm = meanStats(unitVarianceDays);
    const expected = (normalQuantile(0.975) + normalQuantile(0.8)) * Math.sqrt(2 / 10);
    expect(minimumDetectableEffect(arm, arm, { relative: false, method: 'fixed' })).toEqual(
      approx({ kind: 'ok', mde: expected }, { abs: 1e-12 }),
    );
  });

  it('solves the relative case where the treatment mean moves with the effect', () => {
    const arm = meanStats([90, 110, 95, 105, 100, 100]);
    const result = minimumDetectableEffect(arm, arm, { method: 'fixed' });
    if (result.kind !== 'ok') throw new Error('expected an MDE');
    // Check the fixed point m = M·√(σ_T²/(μ²n) + σ_C²(1+m)²/(μ²n)) directly.
    const variance = (90 ** 2 + 110 ** 2 + 95 ** 2 + 105 ** 2 + 2 * 100 ** 2 - 600 ** 2 / 6) / 5;
    const m = result.mde;
    const multiplier = normalQuantile(0.975) + normalQuantile(0.8);
    expect(m).toBeCloseTo(multiplier * Math.sqrt(variance / (100 ** 2 * 6) + (variance * (1 + m) ** 2) / (100 ** 2 * 6)), 12);
  });
});
