/** The effect of treatment over control (absolute or relative) with its standard error and Welch degrees of freedom. */
import { InvalidStatsInputError } from './errors.ts';
import { insufficient, type Outcome } from './outcome.ts';
import { type ArmStats, armMoments, type Moments } from './sufficient.ts';

/** An effect estimate, the common input of every test. */
export interface EffectEstimate {
  /** μ_T − μ_C, or (μ_T − μ_C)/|μ_C| when relative. */
  readonly effect: number;
  readonly se: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  readonly relative: boolean;
  readonly control: Moments;
  readonly treatment: Moments;
}

/** Throws unless 0 < alpha < 1. */
export function requireAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new InvalidStatsInputError(`alpha must be in (0, 1), got ${alpha}`, 'alpha');
}

/**
 * Δ = μ_T − μ_C with Var = σ_C²/n_C + σ_T²/n_T, or the relative Δr = Δ/|μ_C| with
 * Var = σ_T²/(μ_C²·n_T) + σ_C²·μ_T²/(μ_C⁴·n_C) (delta method).
 */
export function estimateEffect(control: ArmStats, treatment: ArmStats, relative: boolean): Outcome<EffectEstimate> {
  const c = armMoments(control);
  const t = armMoments(treatment);
  if (c.n < 2 || t.n < 2) return insufficient('too-few-units', `each arm needs at least 2 units (days), got ${c.n} and ${t.n}`);
  if (c.denominatorZero || t.denominatorZero)
    return insufficient('zero-denominator', 'an arm has a zero denominator sum (no spend, clicks or conversions)');
  if (relative && c.mean === 0) return insufficient('zero-control-mean', 'the control mean is 0, so a relative effect is undefined');
  const vc = c.variance / c.n;
  const vt = t.variance / t.n;
  const df = (vc + vt) ** 2 / (vc ** 2 / (c.n - 1) + vt ** 2 / (t.n - 1));
  const absolute = t.mean - c.mean;
  const variance = relative ? vt / c.mean ** 2 + (vc * t.mean ** 2) / c.mean ** 4 : vc + vt;
  if (!(variance > 0)) return insufficient('zero-variance', 'both arms have zero variance, so the effect has no standard error');
  const moments = (m: Moments): Moments => ({ n: m.n, mean: m.mean, variance: m.variance });
  return {
    kind: 'ok',
    effect: relative ? absolute / Math.abs(c.mean) : absolute,
    se: Math.sqrt(variance),
    df,
    relative,
    control: moments(c),
    treatment: moments(t),
  };
}
