/**
 * The test vectors of ../shared/STATS_REFERENCE.md §1, taken from growthbook/growthbook
 * `packages/stats` (MIT licence): its frequentist, Bayesian, SRM and multiple-testing tests.
 * Tolerance 1e-5 (the reference rounds to 5 decimals, the rounding error is at most 5e-6).
 */
import { describe, expect, it } from 'vitest';
import { adjustPValues, bayesianTest, proportionStats, srmTest, welchTest } from '../../../lib/stats/index.ts';
import { anyNumber, approx } from './approx.ts';

const TOLERANCE = { abs: 1e-5 };

describe('GrowthBook reference vectors (growthbook/growthbook packages/stats, MIT)', () => {
  const a = { n: 3407, sum: 1396.87, sumSquares: 52377.9767 };
  const b = { n: 3461, sum: 2422.7, sumSquares: 134698.29 };

  it('Welch, relative effect with the relative-effect variance', () => {
    expect(welchTest(a, b, { relative: true })).toEqual(
      approx({ kind: 'ok', effect: 0.70732, se: 0.37879, ci: [-0.03526, 1.44989], pValue: 0.06191, df: anyNumber() }, TOLERANCE),
    );
  });

  it('Welch, absolute effect', () => {
    expect(welchTest(a, b, { relative: false })).toEqual(
      approx({ kind: 'ok', effect: 0.29, se: 0.12478, ci: [0.04538, 0.53462], pValue: 0.02016, df: anyNumber() }, TOLERANCE),
    );
  });

  it('Welch on proportions, relative (14/28 vs 16/30)', () => {
    expect(welchTest(proportionStats(14, 28), proportionStats(16, 30))).toEqual(
      approx({ kind: 'ok', effect: 0.06667, se: 0.2717, ci: [-0.47767, 0.61101], pValue: 0.80707, df: anyNumber() }, TOLERANCE),
    );
  });

  it('Bayesian on proportions with a flat prior (49/100 vs 51/100)', () => {
    expect(bayesianTest(proportionStats(49, 100), proportionStats(51, 100))).toEqual(
      approx({ kind: 'ok', mean: 0.04082, sd: 0.14725, ci: [-0.24779, 0.32943], chanceToWin: 0.60918, risk: [0.0814, 0.04058] }, TOLERANCE),
    );
  });

  it('Bayesian on a mean metric with a flat prior', () => {
    const control = { n: 10, sum: 100, sumSquares: 1002.25 };
    const treatment = { n: 10, sum: 105, sumSquares: 1111.5 };
    expect(bayesianTest(control, treatment)).toEqual(
      approx({ kind: 'ok', mean: 0.05, sd: 0.03572, ci: [-0.02, 0.12], chanceToWin: 0.91923, risk: [0.05131, 0.00131] }, TOLERANCE),
    );
  });

  it.each([
    { observed: [1000, 1200], weights: [0.5, 0.5], pValue: 0.000020079, alarm: true },
    { observed: [135, 115], weights: [0.5, 0.5], pValue: 0.205903211, alarm: false },
    { observed: [310, 98], weights: [0.75, 0.25], pValue: 0.647434186, alarm: false },
    { observed: [500, 500, 600], weights: [0.34, 0.33, 0.33], pValue: 0.000592638, alarm: true },
    { observed: [0, 10, 10], weights: [0.34, 0.33, 0.33], pValue: 0.005790624, alarm: false },
    { observed: [500, 500], weights: [0.5, 0.5], pValue: 1, alarm: false },
  ])('SRM chi-square p-value for $observed at $weights', ({ observed, weights, pValue, alarm }) => {
    expect(srmTest(observed, weights)).toEqual(
      approx({ kind: 'ok', chiSquare: anyNumber(), df: observed.length - 1, pValue, alarm }, TOLERANCE),
    );
  });

  it('Holm adjustment', () => {
    expect(adjustPValues([0.01, 0.04, 0.03, 0.005, 0.55, 0.6], 'holm')).toEqual(approx([0.05, 0.12, 0.12, 0.03, 1, 1], TOLERANCE));
  });

  it('Benjamini–Hochberg adjustment', () => {
    expect(adjustPValues([0.898, 0.138, 0.007, 0.964, 0.538, 0.006, 0.138], 'bh')).toEqual(
      approx([0.964, 0.2415, 0.0245, 0.964, 0.7532, 0.0245, 0.2415], TOLERANCE),
    );
  });
});
