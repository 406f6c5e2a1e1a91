/** A/B test statistics: pure functions from per-arm sufficient statistics to estimates and decisions. */
export { type BayesianOptions, type BayesianResult, bayesianTest, type EffectPrior } from './bayesian.ts';
export { describeComparison, formatEffect } from './describe.ts';
export {
  chiSquareSf,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  studentTSf,
} from './distributions.ts';
export { type EffectEstimate, estimateEffect } from './effect.ts';
export { ConvergenceError, InsufficientDataError, type InsufficientReason, InvalidStatsInputError } from './errors.ts';
export {
  type ArmDays,
  type Comparison,
  type ComparisonDecision,
  type ComparisonStats,
  DEFAULT_DAY_TUNING,
  type EvaluateOptions,
  evaluateTest,
  type TestEvaluation,
  type TestMethod,
} from './evaluate.ts';
export { type AdDay, METRICS, type MetricDefinition, metricDays, metricStats, type TestMetric } from './metrics.ts';
export { type AdjustmentMethod, adjustPValues } from './multiple-testing.ts';
export { type InsufficientData, type Interval, type Outcome, requireOk } from './outcome.ts';
export {
  type DaysToDetectOptions,
  type DaysToDetectResult,
  daysToDetect,
  type MinimumDetectableEffectOptions,
  minimumDetectableEffect,
  type PowerMethod,
} from './power.ts';
export {
  DEFAULT_SEQUENTIAL_TUNING,
  type SequentialOptions,
  type SequentialResult,
  sequentialMultiplier,
  sequentialTest,
} from './sequential.ts';
export { SRM_ALARM_THRESHOLD, type SrmResult, srmTest } from './srm.ts';
export {
  type ArmStats,
  armMoments,
  type MeanStats,
  type Moments,
  meanStats,
  type ProportionStats,
  proportionStats,
  type RatioDay,
  type RatioStats,
  ratioStats,
} from './sufficient.ts';
export { type WelchOptions, type WelchResult, welchTest } from './welch.ts';
export { quantile, winsorize } from './winsorize.ts';
