/** Fixed-horizon Welch t-test on the absolute or relative effect. */
import { studentTQuantile, studentTSf } from './distributions.ts';
import { estimateEffect, requireAlpha } from './effect.ts';
import type { Interval, Outcome } from './outcome.ts';
import type { ArmStats } from './sufficient.ts';

export interface WelchOptions {
  /** Relative effect (μ_T − μ_C)/|μ_C| with the relative-effect variance; false for μ_T − μ_C. @default true */
  readonly relative?: boolean;
  /** Two-sided significance level. @default 0.05 */
  readonly alpha?: number;
}

export interface WelchResult {
  readonly effect: number;
  readonly se: number;
  readonly ci: Interval;
  readonly pValue: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
}

/** Welch's unequal-variance t-test: two-sided p-value and CI Δ ± t⁻¹(1−α/2, ν)·SE. */
export function welchTest(control: ArmStats, treatment: ArmStats, options: WelchOptions = {}): Outcome<WelchResult> {
  const alpha = options.alpha ?? 0.05;
  requireAlpha(alpha);
  const estimate = estimateEffect(control, treatment, options.relative ?? true);
  if (estimate.kind !== 'ok') return estimate;
  const { effect, se, df } = estimate;
  const halfWidth = studentTQuantile(1 - alpha / 2, df) * se;
  const pValue = Math.min(1, 2 * studentTSf(Math.abs(effect / se), df));
  return { kind: 'ok', effect, se, ci: [effect - halfWidth, effect + halfWidth], pValue, df };
}
