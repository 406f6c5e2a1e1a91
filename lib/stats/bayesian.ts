/** Bayesian evaluation of the effect with a Gaussian (or flat) prior and a Gaussian likelihood. */
import { normalCdf, normalPdf, normalQuantile } from './distributions.ts';
import { estimateEffect, requireAlpha } from './effect.ts';
import { InvalidStatsInputError } from './errors.ts';
import type { Interval, Outcome } from './outcome.ts';
import type { ArmStats } from './sufficient.ts';

/** Prior on the effect, in the effect's scale (relative or absolute). */
export type EffectPrior = { readonly kind: 'flat' } | { readonly kind: 'normal'; readonly mean: number; readonly variance: number };

export interface BayesianOptions {
  /** @default true */
  readonly relative?: boolean;
  /** The credible interval covers 1 − alpha. @default 0.05 */
  readonly alpha?: number;
  /** @default { kind: 'flat' } */
  readonly prior?: EffectPrior;
  /** For metrics where lower wins (CPA): chance to win is P(effect < 0) and the risks swap sides. @default false */
  readonly lowerIsBetter?: boolean;
}

export interface BayesianResult {
  /** Posterior mean of the effect. */
  readonly mean: number;
  /** Posterior standard deviation of the effect. */
  readonly sd: number;
  readonly ci: Interval;
  /** Posterior probability that treatment beats control. */
  readonly chanceToWin: number;
  /** Expected loss of choosing [control, treatment], in the effect's scale. */
  readonly risk: readonly [number, number];
}

/** E[max(X, 0)] for X ~ N(mean, sd²): the mean of the positive part (truncated-normal mean times its mass). */
function expectedPositivePart(mean: number, sd: number): number {
  const z = mean / sd;
  return mean * normalCdf(z) + sd * normalPdf(z);
}

/** Posterior of the effect, chance to win and expected loss of each choice. */
export function bayesianTest(control: ArmStats, treatment: ArmStats, options: BayesianOptions = {}): Outcome<BayesianResult> {
  const alpha = options.alpha ?? 0.05;
  requireAlpha(alpha);
  const prior = options.prior ?? { kind: 'flat' };
  if (prior.kind === 'normal' && !(prior.variance > 0 && Number.isFinite(prior.mean))) {
    throw new InvalidStatsInputError(
      `a normal prior needs a finite mean and a positive variance, got N(${prior.mean}, ${prior.variance})`,
      'prior',
    );
  }
  const estimate = estimateEffect(control, treatment, options.relative ?? true);
  if (estimate.kind !== 'ok') return estimate;
  const dataPrecision = 1 / estimate.se ** 2;
  const priorPrecision = prior.kind === 'normal' ? 1 / prior.variance : 0;
  const priorMean = prior.kind === 'normal' ? prior.mean : 0;
  const precision = dataPrecision + priorPrecision;
  const mean = (estimate.effect * dataPrecision + priorMean * priorPrecision) / precision;
  const sd = Math.sqrt(1 / precision);
  const z = normalQuantile(1 - alpha / 2);
  // The benefit of treatment is the effect itself, or its negative when lower is better.
  const benefit = options.lowerIsBetter ? -mean : mean;
  return {
    kind: 'ok',
    mean,
    sd,
    ci: [mean - z * sd, mean + z * sd],
    chanceToWin: normalCdf(benefit / sd),
    risk: [expectedPositivePart(benefit, sd), expectedPositivePart(-benefit, sd)],
  };
}
