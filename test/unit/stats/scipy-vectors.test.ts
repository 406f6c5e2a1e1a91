/**
 * Vectors computed independently with Debian's python3-scipy / python3-numpy by
 * test/fixtures/stats/generate_vectors.py (output: vectors.json; Python is not needed to run this test).
 * Ratio metrics: general delta method in matrix form (numpy.cov and the gradient of the ratio).
 * Sequential: the p-value is the root (scipy.optimize.brentq) of "confidence sequence excludes 0".
 * Bayesian risks: scipy.integrate.quad of the posterior. Mean-metric Welch: scipy.stats.ttest_ind(equal_var=False).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  armMoments,
  bayesianTest,
  chiSquareSf,
  type EffectPrior,
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

type Pair = readonly [number, number];
interface TSummary {
  effect: number;
  se: number;
  df: number;
  ci: Pair;
  pValue: number;
}
interface Vectors {
  computedWith: string;
  alpha: number;
  ratioWelch: {
    name: string;
    control: RatioDay[];
    treatment: RatioDay[];
    expected: {
      controlMoments: { n: number; mean: number; variance: number };
      treatmentMoments: { n: number; mean: number; variance: number };
      absolute: TSummary;
      relative: TSummary;
    };
  }[];
  meanWelch: { name: string; control: number[]; treatment: number[]; expected: TSummary & { t: number } }[];
  sequential: {
    name: string;
    tuning: number;
    relative: boolean;
    control: RatioDay[];
    treatment: RatioDay[];
    looks: { day: number; effect: number; se: number; ci: Pair; lookPValue: number; pValue: number }[];
  }[];
  bayesian: {
    name: string;
    prior: EffectPrior;
    control: RatioDay[];
    treatment: RatioDay[];
    expected: { mean: number; sd: number; ci: Pair; chanceToWin: number; risk: Pair };
  }[];
  distributions: {
    tCdf: { t: number; df: number; cdf: number }[];
    tQuantile: { p: number; df: number; quantile: number }[];
    normalCdf: { x: number; cdf: number }[];
    normalQuantile: { p: number; quantile: number }[];
    chiSquareSf: { x: number; k: number; sf: number }[];
  };
  srm: { observed: number[]; weights: number[]; chiSquare: number; pValue: number }[];
  winsorize: { values: number[]; quantile: number; cap: number; winsorized: number[] }[];
}

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/stats/vectors.json', import.meta.url), 'utf8')) as Vectors;
// Independent double-precision computations agree far below the 1e-5 product tolerance; the floor is
// scipy's t.ppf (cephes stdtri), accurate to about 1e-9 relative, which moves Welch CI bounds by ~1e-9.
const TIGHT = { abs: 1e-9, rel: 1e-8 };

describe(`scipy/numpy vectors (${vectors.computedWith})`, () => {
  describe('ratio metrics by the delta method, day as the unit (numpy.cov + gradient)', () => {
    it.each(vectors.ratioWelch)('$name', ({ control, treatment, expected }) => {
      const c = ratioStats(control);
      const t = ratioStats(treatment);
      const moments = (m: { n: number; mean: number; variance: number }) => ({ ...m, denominatorZero: false });
      expect(armMoments(c)).toEqual(approx(moments(expected.controlMoments), TIGHT));
      expect(armMoments(t)).toEqual(approx(moments(expected.treatmentMoments), TIGHT));
      expect(welchTest(c, t, { relative: false })).toEqual(approx({ kind: 'ok', ...expected.absolute }, TIGHT));
      expect(welchTest(c, t, { relative: true })).toEqual(approx({ kind: 'ok', ...expected.relative }, TIGHT));
    });
  });

  describe('mean-metric Welch (scipy.stats.ttest_ind, equal_var=False)', () => {
    it.each(vectors.meanWelch)('$name', ({ control, treatment, expected }) => {
      const { t, ...summary } = expected;
      const result = welchTest(meanStats(control), meanStats(treatment), { relative: false });
      expect(result).toEqual(approx({ kind: 'ok', ...summary }, TIGHT));
      expect(result.kind === 'ok' && result.effect / result.se).toEqual(approx(t, TIGHT));
    });
  });

  describe('sequential test: asymptotic confidence sequence, p-value by root-finding, running minimum', () => {
    it.each(vectors.sequential)('$name', ({ tuning, relative, control, treatment, looks }) => {
      const history: number[] = [];
      for (const look of looks) {
        const result = sequentialTest(ratioStats(control.slice(0, look.day)), ratioStats(treatment.slice(0, look.day)), {
          relative,
          tuning,
          alpha: vectors.alpha,
          previousPValues: history,
        });
        const { day: _day, ...expected } = look;
        expect(result).toEqual(approx({ kind: 'ok', ...expected }, TIGHT));
        if (result.kind === 'ok') history.push(result.lookPValue);
      }
      expect(history).toHaveLength(looks.length);
    });
  });

  describe('Bayesian posterior, chance to win and risk (scipy.integrate.quad)', () => {
    it.each(vectors.bayesian)('$name', ({ prior, control, treatment, expected }) => {
      expect(bayesianTest(ratioStats(control), ratioStats(treatment), { prior })).toEqual(approx({ kind: 'ok', ...expected }, TIGHT));
    });
  });

  describe('distributions (scipy.stats)', () => {
    it.each(vectors.distributions.tCdf)('t CDF at $t with $df df', ({ t, df, cdf }) => {
      expect(studentTCdf(t, df)).toEqual(approx(cdf, { abs: 1e-12, rel: 1e-10 }));
    });
    // scipy's t.ppf (cephes stdtri) is itself accurate to about 1e-9 relative, so compare at 1e-8.
    it.each(vectors.distributions.tQuantile)('t quantile at $p with $df df', ({ p, df, quantile: q }) => {
      expect(studentTQuantile(p, df)).toEqual(approx(q, { abs: 1e-12, rel: 1e-8 }));
    });
    it.each(vectors.distributions.normalCdf)('normal CDF at $x', ({ x, cdf }) => {
      expect(normalCdf(x)).toEqual(approx(cdf, { abs: 1e-15, rel: 1e-12 }));
    });
    it.each(vectors.distributions.normalQuantile)('normal quantile at $p', ({ p, quantile: q }) => {
      expect(normalQuantile(p)).toEqual(approx(q, { abs: 1e-13, rel: 1e-12 }));
    });
    it.each(vectors.distributions.chiSquareSf)('chi-square survival at $x with $k df', ({ x, k, sf }) => {
      expect(chiSquareSf(x, k)).toEqual(approx(sf, { abs: 1e-14, rel: 1e-11 }));
    });
  });

  it.each(vectors.srm)('SRM chi-square for $observed at $weights (scipy.stats.chisquare)', ({ observed, weights, chiSquare, pValue }) => {
    expect(srmTest(observed, weights)).toEqual(
      approx({ kind: 'ok', chiSquare, df: observed.length - 1, pValue, alarm: pValue < 0.001 }, TIGHT),
    );
  });

  it.each(vectors.winsorize)('winsorize at the $quantile quantile (numpy.quantile, linear)', ({ values, quantile: q, cap, winsorized }) => {
    expect(quantile(values, q)).toEqual(approx(cap, TIGHT));
    expect(winsorize(values, q)).toEqual(approx(winsorized, TIGHT));
  });
});
