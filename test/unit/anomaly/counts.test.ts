import { describe, expect, it } from 'vitest';
import {
  estimateDispersion,
  logGamma,
  negBinomialCdf,
  negBinomialPmf,
  negBinomialQuantile,
  poissonCdf,
  poissonPmf,
  poissonQuantile,
} from '../../../lib/anomaly/counts.ts';

describe('count tail probabilities (STATS_REFERENCE §3)', () => {
  it('P(0 | λ) = e^−λ: λ=3 → 0.0498, λ=5 → 0.00674', () => {
    expect(poissonCdf(0, 3)).toBeCloseTo(0.0498, 4);
    expect(poissonCdf(0, 5)).toBeCloseTo(0.00674, 5);
    expect(poissonCdf(0, 5)).toBeCloseTo(Math.exp(-5), 12);
  });

  it('logGamma matches factorials and Γ(1/2) = √π', () => {
    expect(Math.exp(logGamma(5))).toBeCloseTo(24, 9);
    expect(Math.exp(logGamma(11))).toBeCloseTo(3628800, 3);
    expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 12);
    // Reference: Python math.lgamma(171.5).
    expect(logGamma(171.5)).toBeCloseTo(709.1431630309282, 9);
  });

  it('Poisson pmf sums to one, has mean λ, and the quantile inverts the cdf', () => {
    const pmf = Array.from({ length: 80 }, (_, k) => poissonPmf(k, 12.5));
    expect(pmf.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect(pmf.reduce((s, p, k) => s + k * p, 0)).toBeCloseTo(12.5, 9);
    // Reference: the same sum evaluated independently with Python's math.lgamma.
    expect(poissonCdf(12, 12.5)).toBeCloseTo(0.5189752188790522, 12);
    const q = poissonQuantile(0.995, 12.5);
    expect([poissonCdf(q - 1, 12.5) < 0.995, poissonCdf(q, 12.5) >= 0.995]).toEqual([true, true]);
  });

  it('the negative binomial has mean μ and variance φ·μ, and is the Poisson at φ = 1', () => {
    const mu = 8;
    const phi = 2.5;
    const pmf = Array.from({ length: 200 }, (_, k) => negBinomialPmf(k, mu, phi));
    const mean = pmf.reduce((s, p, k) => s + k * p, 0);
    const variance = pmf.reduce((s, p, k) => s + (k - mean) ** 2 * p, 0);
    expect(pmf.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 10);
    expect(mean).toBeCloseTo(mu, 8);
    expect(variance).toBeCloseTo(phi * mu, 6);
    expect(negBinomialCdf(0, mu, phi)).toBeCloseTo(phi ** (-mu / (phi - 1)), 12);
    expect(negBinomialCdf(6, 5, 1)).toBe(poissonCdf(6, 5));
    const q = negBinomialQuantile(0.005, mu, phi);
    expect([q === 0 || negBinomialCdf(q - 1, mu, phi) < 0.005, negBinomialCdf(q, mu, phi) >= 0.005]).toEqual([true, true]);
  });

  it('overdispersion makes a collapse less surprising than Poisson says', () => {
    expect(negBinomialCdf(0, 6, 2)).toBeCloseTo(2 ** -6, 12);
    expect(negBinomialCdf(0, 6, 2)).toBeGreaterThan(poissonCdf(0, 6) * 5);
  });

  it('estimates dispersion as Pearson χ²/(n−1), floored at 1 and capped', () => {
    expect(estimateDispersion([10, 10, 10], [10, 10, 10])).toBe(1);
    expect(estimateDispersion([0, 20, 0, 20], [10, 10, 10, 10])).toBe(10);
    expect(estimateDispersion([0, 20, 0, 20], [10, 10, 10, 10], 50)).toBeCloseTo(40 / 3, 12);
    expect(estimateDispersion([5], [4])).toBe(1);
  });
});
