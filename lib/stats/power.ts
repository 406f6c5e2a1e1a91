/** Power and minimum detectable effect: how many more days a test needs to detect a given lift. */
import { normalCdf, normalQuantile } from './distributions.ts';
import { requireAlpha } from './effect.ts';
import { InvalidStatsInputError } from './errors.ts';
import { insufficient, type Outcome } from './outcome.ts';
import { DEFAULT_SEQUENTIAL_TUNING, sequentialMultiplier } from './sequential.ts';
import { type ArmStats, armMoments } from './sufficient.ts';

/** Fixed-horizon tests (fixed, bayesian) use the z critical value; sequential ones the confidence-sequence width. */
export type PowerMethod = 'fixed' | 'sequential';

export interface PowerOptions {
  /** @default true */
  readonly relative?: boolean;
  /** @default 0.05 */
  readonly alpha?: number;
  /** Target probability of detecting the effect. @default 0.8 */
  readonly power?: number;
  /** @default 'sequential' */
  readonly method?: PowerMethod;
  /** N* of the sequential test. @default 5000 */
  readonly tuning?: number;
  /** Units (days) each arm gains per calendar day. @default 1 */
  readonly unitsPerDay?: number;
}

export interface DaysToDetectOptions extends PowerOptions {
  /** The effect to detect, in the scale of `relative` (0.1 = +10%). */
  readonly mde: number;
  /** Give up beyond this many additional days. @default 365 */
  readonly maxDays?: number;
}

export interface DaysToDetectResult {
  /** Calendar days to add to the test so the lift is detected with the target power. */
  readonly additionalDays: number;
  /** Power at that horizon (≥ the target). */
  readonly power: number;
}

interface Projection {
  readonly controlMean: number;
  readonly varianceControl: number;
  readonly varianceTreatment: number;
  readonly nControl: number;
  readonly nTreatment: number;
}

function projectArms(control: ArmStats, treatment: ArmStats, relative: boolean): Outcome<Projection> {
  const c = armMoments(control);
  const t = armMoments(treatment);
  if (c.n < 2 || t.n < 2)
    return insufficient('too-few-units', `each arm needs at least 2 days to estimate its variance, got ${c.n} and ${t.n}`);
  if (c.denominatorZero || t.denominatorZero) return insufficient('zero-denominator', 'an arm has a zero denominator sum');
  if (relative && c.mean === 0) return insufficient('zero-control-mean', 'the control mean is 0, so a relative effect is undefined');
  if (c.variance === 0 && t.variance === 0) return insufficient('zero-variance', 'both arms have zero variance');
  return { kind: 'ok', controlMean: c.mean, varianceControl: c.variance, varianceTreatment: t.variance, nControl: c.n, nTreatment: t.n };
}

interface ResolvedOptions {
  readonly relative: boolean;
  readonly alpha: number;
  readonly power: number;
  readonly method: PowerMethod;
  readonly tuning: number;
  readonly unitsPerDay: number;
}

function resolve(options: PowerOptions): ResolvedOptions {
  const resolved = {
    relative: options.relative ?? true,
    alpha: options.alpha ?? 0.05,
    power: options.power ?? 0.8,
    method: options.method ?? 'sequential',
    tuning: options.tuning ?? DEFAULT_SEQUENTIAL_TUNING,
    unitsPerDay: options.unitsPerDay ?? 1,
  };
  requireAlpha(resolved.alpha);
  if (!(resolved.power > 0 && resolved.power < 1))
    throw new InvalidStatsInputError(`power must be in (0, 1), got ${resolved.power}`, 'power');
  if (!(resolved.unitsPerDay > 0))
    throw new InvalidStatsInputError(`unitsPerDay must be positive, got ${resolved.unitsPerDay}`, 'unitsPerDay');
  return resolved;
}

/** SE of the effect after `extraDays`, assuming treatment's mean sits at the hypothesised effect (it drives the relative variance). */
function projectedSe(p: Projection, o: ResolvedOptions, extraDays: number, effect: number): number {
  const nC = p.nControl + extraDays * o.unitsPerDay;
  const nT = p.nTreatment + extraDays * o.unitsPerDay;
  if (!o.relative) return Math.sqrt(p.varianceControl / nC + p.varianceTreatment / nT);
  const treatmentMean = p.controlMean + effect * Math.abs(p.controlMean);
  return Math.sqrt(p.varianceTreatment / (p.controlMean ** 2 * nT) + (p.varianceControl * treatmentMean ** 2) / (p.controlMean ** 4 * nC));
}

/** Critical value in SE units: z(1−α/2) for a fixed test, the confidence-sequence multiplier for a sequential one. */
function criticalValue(p: Projection, o: ResolvedOptions, extraDays: number): number {
  if (o.method === 'fixed') return normalQuantile(1 - o.alpha / 2);
  const totalN = p.nControl + p.nTreatment + 2 * extraDays * o.unitsPerDay;
  return sequentialMultiplier(totalN, o.alpha, o.tuning);
}

/**
 * Smallest number of additional days after which a true effect of `mde` is detected with the
 * target power, at the arms' current per-day variance. For the sequential method this is the
 * power of the single look on that day, so it is conservative (earlier looks only add chances).
 */
export function daysToDetect(control: ArmStats, treatment: ArmStats, options: DaysToDetectOptions): Outcome<DaysToDetectResult> {
  const o = resolve(options);
  const mde = options.mde;
  if (!(mde !== 0 && Number.isFinite(mde))) throw new InvalidStatsInputError(`mde must be a non-zero number, got ${mde}`, 'mde');
  const maxDays = options.maxDays ?? 365;
  const projection = projectArms(control, treatment, o.relative);
  if (projection.kind !== 'ok') return projection;
  // Power ≥ target ⇔ |mde|/SE − critical ≥ z(power): compare in z units, no CDF per candidate day.
  const margin = (extra: number) => Math.abs(mde) / projectedSe(projection, o, extra, mde) - criticalValue(projection, o, extra);
  const zPower = normalQuantile(o.power);
  const detects = (extra: number) => margin(extra) >= zPower;
  const found = (extra: number): Outcome<DaysToDetectResult> => ({ kind: 'ok', additionalDays: extra, power: normalCdf(margin(extra)) });
  const unreachable = () =>
    insufficient('unreachable', `a ${mde} effect is not detectable within ${maxDays} more days at the current volume and variance`);
  if (detects(0)) return found(0);
  if (maxDays < 1) return unreachable();
  // The margin grows with days (SE shrinks like 1/√n, the sequential critical value grows at most
  // like √(log n)), so gallop to a detecting horizon and then bisect for the first one.
  let below = 0;
  let above = 1;
  while (!detects(above)) {
    if (above >= maxDays) return unreachable();
    below = above;
    above = Math.min(maxDays, above * 2);
  }
  while (above - below > 1) {
    const middle = Math.floor((below + above) / 2);
    if (detects(middle)) above = middle;
    else below = middle;
  }
  return found(above);
}

export interface MinimumDetectableEffectOptions extends PowerOptions {
  /** Additional days to project. @default 0 (the data as it is) */
  readonly additionalDays?: number;
}

/** The smallest effect (in the scale of `relative`, as a magnitude) the test detects with the target power after `additionalDays`. */
export function minimumDetectableEffect(
  control: ArmStats,
  treatment: ArmStats,
  options: MinimumDetectableEffectOptions = {},
): Outcome<{ readonly mde: number }> {
  const o = resolve(options);
  const projection = projectArms(control, treatment, o.relative);
  if (projection.kind !== 'ok') return projection;
  const extra = options.additionalDays ?? 0;
  const p = projection;
  const multiplier = criticalValue(p, o, extra) + normalQuantile(o.power);
  const nC = p.nControl + extra * o.unitsPerDay;
  const nT = p.nTreatment + extra * o.unitsPerDay;
  if (!o.relative) return { kind: 'ok', mde: multiplier * Math.sqrt(p.varianceControl / nC + p.varianceTreatment / nT) };
  // Relative: m = M·√(A + B(1+m)²) (the treatment mean moves with m); solve the quadratic for m > 0.
  const a = p.varianceTreatment / (p.controlMean ** 2 * nT);
  const b = p.varianceControl / (p.controlMean ** 2 * nC);
  const m2 = multiplier * multiplier;
  const leading = 1 - m2 * b;
  if (leading <= 0) return insufficient('unreachable', 'the control arm is too noisy for any relative effect to be detectable');
  return { kind: 'ok', mde: (m2 * b + Math.sqrt(m2 * m2 * b * b + leading * m2 * (a + b))) / leading };
}
