/**
 * One evaluation of an A/B test from the arms' daily rows: every treatment arm against the first
 * (control) arm, multiplicity-adjusted across the test's comparisons, and a decision per comparison.
 */
import { bayesianTest, type EffectPrior } from './bayesian.ts';
import { InvalidStatsInputError } from './errors.ts';
import { type AdDay, METRICS, type MetricStatsOptions, metricStats, type TestMetric } from './metrics.ts';
import { type AdjustmentMethod, adjustPValues } from './multiple-testing.ts';
import type { InsufficientData, Interval, Outcome } from './outcome.ts';
import { daysToDetect } from './power.ts';
import { sequentialTest } from './sequential.ts';
import type { RatioStats } from './sufficient.ts';
import { welchTest } from './welch.ts';

export type TestMethod = 'sequential' | 'bayesian' | 'fixed';

/** N* for day-level data: two arms over roughly seven weeks. */
export const DEFAULT_DAY_TUNING = 100;

/** One arm: an id (ad set), an optional display name, and its daily rows (already filtered to mature, non-learning days). */
export interface ArmDays {
  readonly id: string;
  readonly name?: string;
  readonly days: readonly AdDay[];
}

export interface EvaluateOptions extends MetricStatsOptions {
  readonly metric: TestMetric;
  /** @default 'sequential' */
  readonly method?: TestMethod;
  /** @default 0.05 */
  readonly alpha?: number;
  /** @default METRICS[metric].lowerIsBetter (true for CPA) */
  readonly lowerIsBetter?: boolean;
  /** No decision before every arm has this many days (covers day-of-week effects). @default 7 */
  readonly minDays?: number;
  /** Relative effect below which a difference does not matter: an interval inside ±minimumEffect means "no difference". @default 0.05 */
  readonly minimumEffect?: number;
  /** Relative lift for the "days still needed" estimate of a test that continues. @default 0.1 */
  readonly detectEffect?: number;
  /** Bayesian method: chance to win needed to declare a winner. @default 0.95 */
  readonly winProbability?: number;
  /** Bayesian method prior on the relative effect. @default { kind: 'flat' } */
  readonly prior?: EffectPrior;
  /**
   * Sequential method N*, in days summed over both arms, where the confidence sequence is tightest.
   * @default 100 (DEFAULT_DAY_TUNING; sequentialTest's own 5000 is a user-level default: on days it
   * doubles the time to a conclusion without improving error control, see bench/ab.bench.ts)
   */
  readonly tuning?: number;
  /** Sequential method: earlier looks' raw p-values per treatment arm id (the stored `lookPValue`s). */
  readonly previousPValues?: Readonly<Record<string, readonly number[]>>;
  /** Correction across the test's comparisons when it has more than one treatment arm. @default 'holm' */
  readonly adjustment?: AdjustmentMethod | 'none';
}

/** The statistics behind a decision; effects are relative ((T − C)/|C|). */
export interface ComparisonStats {
  readonly effect: number;
  readonly ci: Interval;
  /** Running-minimum (sequential) or fixed-horizon p-value; null for the Bayesian method. */
  readonly pValue: number | null;
  /** pValue after the multiplicity correction across this test's comparisons. */
  readonly adjustedPValue: number | null;
  /** Sequential: this look's own p-value, to be stored as history. */
  readonly lookPValue: number | null;
  /** Posterior probability that treatment is better (flat prior unless the Bayesian method has a prior). */
  readonly chanceToWin: number;
  /** Expected loss of keeping [control, treatment], relative. */
  readonly risk: readonly [number, number];
}

interface ComparisonBase {
  readonly control: string;
  readonly treatment: string;
  readonly days: { readonly control: number; readonly treatment: number };
  /** Metric value ΣM/ΣD per arm (micros per conversion for CPA); null when the denominator is 0. */
  readonly values: { readonly control: number | null; readonly treatment: number | null };
}

/** What to do about one treatment arm: keep collecting, a winner, or no difference that matters. */
export type ComparisonDecision =
  | {
      readonly kind: 'continue';
      readonly reason: 'minimum-runtime' | 'not-significant';
      readonly stats: ComparisonStats;
      /** Estimated extra days to reach the minimum runtime or to detect `detectEffect` (null: beyond a year at this volume). */
      readonly additionalDays: number | null;
    }
  | { readonly kind: 'winner'; readonly winner: string; readonly loser: string; readonly stats: ComparisonStats }
  | { readonly kind: 'no-difference'; readonly stats: ComparisonStats };

/** The decision for one treatment arm against control, or why the data cannot support one yet. */
export type Comparison = ComparisonBase & (ComparisonDecision | InsufficientData);

export interface TestEvaluation {
  readonly metric: TestMetric;
  readonly method: TestMethod;
  readonly lowerIsBetter: boolean;
  readonly alpha: number;
  readonly adjustment: AdjustmentMethod | 'none';
  readonly comparisons: readonly Comparison[];
}

interface Resolved {
  readonly metric: TestMetric;
  readonly method: TestMethod;
  readonly alpha: number;
  readonly lowerIsBetter: boolean;
  readonly minDays: number;
  readonly minimumEffect: number;
  readonly detectEffect: number;
  readonly winProbability: number;
  readonly prior: EffectPrior;
  readonly tuning: number;
  readonly adjustment: AdjustmentMethod | 'none';
}

function resolve(options: EvaluateOptions): Resolved {
  const resolved: Resolved = {
    metric: options.metric,
    method: options.method ?? 'sequential',
    alpha: options.alpha ?? 0.05,
    lowerIsBetter: options.lowerIsBetter ?? METRICS[options.metric].lowerIsBetter,
    minDays: options.minDays ?? 7,
    minimumEffect: options.minimumEffect ?? 0.05,
    detectEffect: options.detectEffect ?? 0.1,
    winProbability: options.winProbability ?? 0.95,
    prior: options.prior ?? { kind: 'flat' },
    tuning: options.tuning ?? DEFAULT_DAY_TUNING,
    adjustment: options.adjustment ?? 'holm',
  };
  if (!(resolved.minimumEffect >= 0)) throw new InvalidStatsInputError('minimumEffect must be ≥ 0', 'minimumEffect');
  if (!(resolved.winProbability > 0.5 && resolved.winProbability < 1))
    throw new InvalidStatsInputError('winProbability must be in (0.5, 1)', 'winProbability');
  return resolved;
}

type Measured = Outcome<Omit<ComparisonStats, 'adjustedPValue'>>;

/** Runs the configured method (and the flat-prior posterior for the chance to win) on one pair of arms. */
function measure(control: RatioStats, treatment: RatioStats, o: Resolved, history: readonly number[]): Measured {
  const common = { relative: true, alpha: o.alpha } as const;
  const posterior = bayesianTest(control, treatment, {
    ...common,
    lowerIsBetter: o.lowerIsBetter,
    prior: o.method === 'bayesian' ? o.prior : { kind: 'flat' },
  });
  if (posterior.kind !== 'ok') return posterior;
  const bayes = { chanceToWin: posterior.chanceToWin, risk: posterior.risk };
  if (o.method === 'bayesian') return { kind: 'ok', effect: posterior.mean, ci: posterior.ci, pValue: null, lookPValue: null, ...bayes };
  if (o.method === 'fixed') {
    const result = welchTest(control, treatment, common);
    if (result.kind !== 'ok') return result;
    return { kind: 'ok', effect: result.effect, ci: result.ci, pValue: result.pValue, lookPValue: null, ...bayes };
  }
  const result = sequentialTest(control, treatment, { ...common, tuning: o.tuning, previousPValues: history });
  if (result.kind !== 'ok') return result;
  return { kind: 'ok', effect: result.effect, ci: result.ci, pValue: result.pValue, lookPValue: result.lookPValue, ...bayes };
}

function metricValue(stats: RatioStats): number | null {
  return stats.sumDen === 0 ? null : stats.sumNum / stats.sumDen;
}

/** Evaluates every treatment arm (arms[1..]) against the control arm (arms[0]) and decides continue, winner or no difference. */
export function evaluateTest(arms: readonly ArmDays[], options: EvaluateOptions): TestEvaluation {
  const o = resolve(options);
  const [controlArm, ...treatmentArms] = arms;
  if (!controlArm || treatmentArms.length === 0)
    throw new InvalidStatsInputError('a test needs a control arm and at least one treatment arm', 'arms');
  if (new Set(arms.map((a) => a.id)).size !== arms.length) throw new InvalidStatsInputError('arm ids must be unique', 'arms');
  const statsOptions = { winsorizeQuantile: options.winsorizeQuantile };
  const controlStats = metricStats(controlArm.days, o.metric, statsOptions);
  const measured = treatmentArms.map((arm) => {
    const treatmentStats = metricStats(arm.days, o.metric, statsOptions);
    const base: ComparisonBase = {
      control: controlArm.id,
      treatment: arm.id,
      days: { control: controlArm.days.length, treatment: arm.days.length },
      values: { control: metricValue(controlStats), treatment: metricValue(treatmentStats) },
    };
    return { base, treatmentStats, result: measure(controlStats, treatmentStats, o, options.previousPValues?.[arm.id] ?? []) };
  });
  const adjusted = adjustAcrossComparisons(
    measured.map((m) => (m.result.kind === 'ok' ? m.result.pValue : null)),
    o.adjustment,
  );
  const comparisons = measured.map(({ base, treatmentStats, result }, i): Comparison => {
    if (result.kind !== 'ok') return { ...base, ...result };
    const stats: ComparisonStats = {
      effect: result.effect,
      ci: result.ci,
      pValue: result.pValue,
      adjustedPValue: adjusted[i] ?? null,
      lookPValue: result.lookPValue,
      chanceToWin: result.chanceToWin,
      risk: result.risk,
    };
    return { ...base, ...decide(stats, base, o, controlStats, treatmentStats) };
  });
  return { metric: o.metric, method: o.method, lowerIsBetter: o.lowerIsBetter, alpha: o.alpha, adjustment: o.adjustment, comparisons };
}

function adjustAcrossComparisons(pValues: readonly (number | null)[], method: AdjustmentMethod | 'none'): (number | null)[] {
  const present = pValues.filter((p): p is number => p !== null);
  if (method === 'none' || present.length < 2) return [...pValues];
  const adjusted = adjustPValues(present, method);
  let next = 0;
  return pValues.map((p) => (p === null ? null : (adjusted[next++] ?? p)));
}

function decide(stats: ComparisonStats, base: ComparisonBase, o: Resolved, control: RatioStats, treatment: RatioStats): ComparisonDecision {
  const days = Math.min(base.days.control, base.days.treatment);
  if (days < o.minDays) return { kind: 'continue', reason: 'minimum-runtime', stats, additionalDays: o.minDays - days };
  const treatmentBetter = o.lowerIsBetter ? stats.effect < 0 : stats.effect > 0;
  const decisive =
    o.method === 'bayesian'
      ? stats.chanceToWin >= o.winProbability || stats.chanceToWin <= 1 - o.winProbability
      : (stats.adjustedPValue ?? 1) < o.alpha;
  if (decisive) {
    const [winner, loser] = treatmentBetter ? [base.treatment, base.control] : [base.control, base.treatment];
    return { kind: 'winner', winner, loser, stats };
  }
  if (stats.ci[0] > -o.minimumEffect && stats.ci[1] < o.minimumEffect) return { kind: 'no-difference', stats };
  const estimate = daysToDetect(control, treatment, {
    mde: o.lowerIsBetter ? -o.detectEffect : o.detectEffect,
    alpha: o.alpha,
    method: o.method === 'sequential' ? 'sequential' : 'fixed',
    tuning: o.tuning,
  });
  return {
    kind: 'continue',
    reason: 'not-significant',
    stats,
    additionalDays: estimate.kind === 'ok' ? Math.max(1, estimate.additionalDays) : null,
  };
}
