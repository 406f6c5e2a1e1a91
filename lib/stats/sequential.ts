/**
 * Always-valid inference under daily peeking: asymptotic confidence sequences
 * (Waudby-Smith et al., arXiv 2103.06476), in the form GrowthBook uses.
 */
import { estimateEffect, requireAlpha } from './effect.ts';
import { InvalidStatsInputError } from './errors.ts';
import type { Interval, Outcome } from './outcome.ts';
import type { ArmStats } from './sufficient.ts';

export interface SequentialOptions {
  /** @default true */
  readonly relative?: boolean;
  /** @default 0.05 */
  readonly alpha?: number;
  /** N*, the total sample size (n_A + n_B) at which the sequence is tightest. @default 5000 */
  readonly tuning?: number;
  /** Effect under the null hypothesis. @default 0 */
  readonly nullEffect?: number;
  /** This comparison's p-values at earlier looks (raw or already running-minimum); the result is the running minimum. */
  readonly previousPValues?: readonly number[];
}

export interface SequentialResult {
  readonly effect: number;
  readonly se: number;
  /** Confidence-sequence interval at this look. */
  readonly ci: Interval;
  /** Always-valid p-value: running minimum over this and the previous looks, capped at 1. */
  readonly pValue: number;
  /** This look's own p-value, to be stored and passed back as history. */
  readonly lookPValue: number;
}

export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/** ρ² = (−2 ln α + ln(−2 ln α + 1)) / N*. */
export function sequentialRhoSquared(alpha: number, tuning: number): number {
  const minusTwoLogAlpha = -2 * Math.log(alpha);
  return (minusTwoLogAlpha + Math.log(minusTwoLogAlpha + 1)) / tuning;
}

/**
 * Half-width of the confidence sequence divided by SE, at total sample size N:
 * √N · √[2(Nρ²+1)·ln(√(Nρ²+1)/α) / (N²ρ²)]  (the reference writes it with s² = SE²·N).
 */
export function sequentialMultiplier(totalN: number, alpha: number, tuning: number): number {
  const rho2 = sequentialRhoSquared(alpha, tuning);
  const a = totalN * rho2 + 1;
  return Math.sqrt(totalN) * Math.sqrt((2 * a * Math.log(Math.sqrt(a) / alpha)) / (totalN * totalN * rho2));
}

/** One look of the p-value 1/e, e = exp(ρ²·st²/(2(Nρ²+1)))/√(Nρ²+1), st² = (Δ−θ₀)²·N/SE² (computed in logs). */
function lookPValue(effect: number, se: number, totalN: number, alpha: number, tuning: number, nullEffect: number): number {
  const rho2 = sequentialRhoSquared(alpha, tuning);
  const a = totalN * rho2 + 1;
  const st2 = ((effect - nullEffect) ** 2 * totalN) / se ** 2;
  const logE = (rho2 * st2) / (2 * a) - 0.5 * Math.log(a);
  return Math.min(1, Math.exp(-logE));
}

/** Asymptotic confidence sequence and its always-valid p-value (running minimum when given earlier looks). */
export function sequentialTest(control: ArmStats, treatment: ArmStats, options: SequentialOptions = {}): Outcome<SequentialResult> {
  const alpha = options.alpha ?? 0.05;
  requireAlpha(alpha);
  const tuning = options.tuning ?? DEFAULT_SEQUENTIAL_TUNING;
  if (!(tuning > 0 && Number.isFinite(tuning))) throw new InvalidStatsInputError(`tuning must be positive, got ${tuning}`, 'tuning');
  for (const [i, p] of (options.previousPValues ?? []).entries()) {
    if (!(p >= 0 && p <= 1)) throw new InvalidStatsInputError(`previousPValues[${i}] must be in [0, 1], got ${p}`, `previousPValues[${i}]`);
  }
  const estimate = estimateEffect(control, treatment, options.relative ?? true);
  if (estimate.kind !== 'ok') return estimate;
  const { effect, se } = estimate;
  const totalN = estimate.control.n + estimate.treatment.n;
  const halfWidth = sequentialMultiplier(totalN, alpha, tuning) * se;
  const look = lookPValue(effect, se, totalN, alpha, tuning, options.nullEffect ?? 0);
  return {
    kind: 'ok',
    effect,
    se,
    ci: [effect - halfWidth, effect + halfWidth],
    pValue: (options.previousPValues ?? []).reduce((min, p) => Math.min(min, p), Math.min(1, look)),
    lookPValue: look,
  };
}
