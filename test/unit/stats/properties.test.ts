/** Invariants of the statistics, checked on random inputs with fast-check. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { studentTPdf } from '../../../lib/stats/distributions.ts';
import {
  adjustPValues,
  armMoments,
  bayesianTest,
  meanStats,
  normalCdf,
  normalQuantile,
  type RatioDay,
  ratioStats,
  sequentialTest,
  srmTest,
  studentTCdf,
  studentTQuantile,
  welchTest,
  winsorize,
} from '../../../lib/stats/index.ts';
import { quantile } from '../../../lib/stats/winsorize.ts';
import { approx } from './approx.ts';

const positive = fc.double({ min: 0.01, max: 1e4, noNaN: true });
const values = fc.array(positive, { minLength: 2, maxLength: 60 });
const ratioDays = fc.array(fc.record({ num: fc.oneof(fc.constant(0), positive), den: positive }), { minLength: 2, maxLength: 60 });
const alpha = fc.constantFrom(0.01, 0.05, 0.1, 0.2);
const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 });
// Duality checks skip p-values within this distance of alpha, where rounding decides the side.
const EDGE = 1e-9;

describe('Welch test', () => {
  it('has p in [0, 1], a CI around the effect, and rejects exactly when the CI excludes 0', () => {
    fc.assert(
      fc.property(values, values, alpha, fc.boolean(), (c, t, a, relative) => {
        const result = welchTest(meanStats(c), meanStats(t), { alpha: a, relative });
        if (result.kind !== 'ok') return;
        expect(result.pValue).toBeGreaterThanOrEqual(0);
        expect(result.pValue).toBeLessThanOrEqual(1);
        expect(result.ci[0]).toBeLessThanOrEqual(result.effect);
        expect(result.ci[1]).toBeGreaterThanOrEqual(result.effect);
        if (Math.abs(result.pValue - a) > EDGE) expect(result.pValue < a).toBe(result.ci[0] > 0 || result.ci[1] < 0);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same relative effect, SE, CI and p-value when the numerator is rescaled (currency units do not matter)', () => {
    fc.assert(
      fc.property(ratioDays, ratioDays, fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (c, t, scale) => {
        const scaled = (days: RatioDay[]) => days.map((d) => ({ num: d.num * scale, den: d.den }));
        const original = welchTest(ratioStats(c), ratioStats(t));
        const rescaled = welchTest(ratioStats(scaled(c)), ratioStats(scaled(t)));
        if (original.kind !== 'ok' || rescaled.kind !== 'ok') return;
        // Variances come from sums (Σy² − (Σy)²/n), which cancel digits; 1e-7 still proves the invariance.
        expect(rescaled).toEqual(approx(original, { abs: 1e-12, rel: 1e-7 }));
      }),
    );
  });
});

describe('sequential test', () => {
  it('has p in [0, 1], a CI around the effect, and its look p-value rejects exactly when the sequence excludes 0', () => {
    fc.assert(
      fc.property(ratioDays, ratioDays, alpha, fc.integer({ min: 10, max: 10_000 }), (c, t, a, tuning) => {
        const result = sequentialTest(ratioStats(c), ratioStats(t), { alpha: a, tuning });
        if (result.kind !== 'ok') return;
        expect(result.pValue).toBeGreaterThanOrEqual(0);
        expect(result.pValue).toBeLessThanOrEqual(1);
        expect(result.ci[0]).toBeLessThanOrEqual(result.effect);
        expect(result.ci[1]).toBeGreaterThanOrEqual(result.effect);
        if (Math.abs(result.lookPValue - a) > EDGE) expect(result.lookPValue < a).toBe(result.ci[0] > 0 || result.ci[1] < 0);
      }),
      { numRuns: 500 },
    );
  });

  it('never lets the running-minimum p-value increase across daily looks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(positive, positive, positive, positive), { minLength: 3, maxLength: 40 }), (rows) => {
        const control = rows.map(([num, den]) => ({ num, den }));
        const treatment = rows.map(([, , num, den]) => ({ num, den }));
        const history: number[] = [];
        let previous = 1;
        for (let day = 2; day <= rows.length; day++) {
          const result = sequentialTest(ratioStats(control.slice(0, day)), ratioStats(treatment.slice(0, day)), {
            previousPValues: history,
            tuning: 50,
          });
          if (result.kind !== 'ok') continue;
          expect(result.pValue).toBeLessThanOrEqual(previous);
          expect(result.pValue).toBeLessThanOrEqual(result.lookPValue);
          previous = result.pValue;
          history.push(result.lookPValue);
        }
      }),
    );
  });
});

describe('Bayesian test', () => {
  it('has chance to win in [0, 1], non-negative risks whose difference is the posterior mean, and flips for lower-is-better', () => {
    fc.assert(
      fc.property(values, values, fc.boolean(), (c, t, relative) => {
        const higher = bayesianTest(meanStats(c), meanStats(t), { relative });
        const lower = bayesianTest(meanStats(c), meanStats(t), { relative, lowerIsBetter: true });
        if (higher.kind !== 'ok' || lower.kind !== 'ok') return;
        expect(higher.chanceToWin).toBeGreaterThanOrEqual(0);
        expect(higher.chanceToWin).toBeLessThanOrEqual(1);
        expect(higher.risk[0]).toBeGreaterThanOrEqual(0);
        expect(higher.risk[1]).toBeGreaterThanOrEqual(0);
        const scale = Math.max(Math.abs(higher.mean), higher.sd);
        expect(Math.abs(higher.risk[0] - higher.risk[1] - higher.mean)).toBeLessThanOrEqual(1e-9 * scale);
        expect(lower.chanceToWin).toBeCloseTo(1 - higher.chanceToWin, 12);
        expect(lower.risk).toEqual(higher.risk.toReversed());
        expect(lower.ci).toEqual(higher.ci);
      }),
      { numRuns: 500 },
    );
  });
});

describe('multiple-testing adjustments', () => {
  it('Holm and BH never lower a p-value, stay ≤ 1, keep the order of the raw p-values, and BH ≤ Holm', () => {
    fc.assert(
      fc.property(pValues, (ps) => {
        const holm = adjustPValues(ps, 'holm');
        const bh = adjustPValues(ps, 'bh');
        ps.forEach((p, i) => {
          for (const adjusted of [holm, bh]) {
            expect(adjusted[i]).toBeGreaterThanOrEqual(p);
            expect(adjusted[i]).toBeLessThanOrEqual(1);
          }
          expect(bh[i]).toBeLessThanOrEqual((holm[i] ?? 0) + 1e-15);
          ps.forEach((q, j) => {
            if (p <= q) {
              expect(holm[i]).toBeLessThanOrEqual(holm[j] ?? 0);
              expect(bh[i]).toBeLessThanOrEqual(bh[j] ?? 0);
            }
          });
        });
      }),
      { numRuns: 500 },
    );
  });

  it('leaves a single p-value unchanged', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (p) => {
        expect([adjustPValues([p], 'holm'), adjustPValues([p], 'bh')]).toEqual([[p], [p]]);
      }),
    );
  });
});

describe('SRM', () => {
  it('has p in [0, 1], and p = 1 when the counts are exactly proportional to the weights', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 6 }),
        fc.integer({ min: 1, max: 500 }),
        (weights, k) => {
          const exact = srmTest(
            weights.map((w) => w * k),
            weights,
          );
          expect(exact).toEqual(approx({ kind: 'ok', chiSquare: 0, df: weights.length - 1, pValue: 1, alarm: false }, { abs: 1e-9 }));
          const skewed = srmTest(
            weights.map((w, i) => w * k + i),
            weights,
          );
          if (skewed.kind !== 'ok') throw new Error('expected a result');
          expect(skewed.pValue).toBeGreaterThanOrEqual(0);
          expect(skewed.pValue).toBeLessThanOrEqual(1);
          expect(skewed.alarm).toBe(skewed.pValue < 0.001);
        },
      ),
    );
  });
});

describe('winsorize', () => {
  it('keeps length and order, caps only values above the quantile, and is the identity at q = 1', () => {
    fc.assert(
      fc.property(values, fc.double({ min: 0.5, max: 1, noNaN: true }), (xs, q) => {
        const cap = quantile(xs, q);
        const capped = winsorize(xs, q);
        expect(capped).toHaveLength(xs.length);
        expect(capped).toEqual(xs.map((x) => Math.min(x, cap)));
        expect(winsorize(xs, 1)).toEqual(xs);
      }),
    );
  });
});

describe('distributions', () => {
  // Near p = 1 a double holds p only to an ulp (1.1e-16), so x is recoverable only to about ulp / density:
  // the tolerance is 5e-7 or that conditioning bound, whichever is larger (the bound only matters in the far tail).
  it('t quantile inverts the t CDF, to the precision the CDF value carries', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: 1, max: 1e5, noNaN: true }), (x, df) => {
        const p = studentTCdf(x, df);
        if (p < 1e-12 || p > 1 - 1e-12) return;
        const tolerance = Math.max(5e-7, (8 * Number.EPSILON) / studentTPdf(x, df));
        expect(Math.abs(studentTQuantile(p, df) - x)).toBeLessThanOrEqual(tolerance);
      }),
      { numRuns: 5_000 },
    );
  });

  // Above x ≈ 5, Φ(x) is so close to 1 that a double cannot hold its tail; the mirrored lower tail is covered to −7.
  it('normal quantile inverts the normal CDF', () => {
    fc.assert(
      fc.property(fc.double({ min: -7, max: 5, noNaN: true }), (x) => {
        expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 7);
      }),
    );
  });
});

describe('ratio moments', () => {
  it('match a direct two-pass delta-method computation', () => {
    fc.assert(
      fc.property(ratioDays, (days) => {
        const n = days.length;
        const mm = days.reduce((s, d) => s + d.num, 0) / n;
        const md = days.reduce((s, d) => s + d.den, 0) / n;
        const vm = days.reduce((s, d) => s + (d.num - mm) ** 2, 0) / (n - 1);
        const vd = days.reduce((s, d) => s + (d.den - md) ** 2, 0) / (n - 1);
        const cov = days.reduce((s, d) => s + (d.num - mm) * (d.den - md), 0) / (n - 1);
        const variance = Math.max(0, vm / md ** 2 + (vd * mm ** 2) / md ** 4 - (2 * cov * mm) / md ** 3);
        const moments = armMoments(ratioStats(days));
        expect(moments.mean).toBeCloseTo(mm / md, 9);
        expect(Math.abs(moments.variance - variance)).toBeLessThanOrEqual(1e-6 * (vm / md ** 2 + (vd * mm ** 2) / md ** 4) + 1e-12);
      }),
      { numRuns: 500 },
    );
  });
});
