/** Public surface of the pure anomaly detectors. */
export { BUDGET_SETTLING_DAYS, detectAdSetAnomalies } from './adset.ts';
export { cusum, ewmaChart, siegmundArl } from './control-charts.ts';
export { estimateDispersion, negBinomialCdf, negBinomialQuantile, poissonCdf, poissonQuantile } from './counts.ts';
export { AnomalyInputError } from './errors.ts';
export { type AdSetHour, type BudgetExhaustionInput, detectBudgetExhaustion } from './hourly.ts';
export { DEFAULT_MATURITY_FLOOR, MATURITY_FLOOR, maturityAt } from './maturity.ts';
export { OVERDELIVERY_ALLOWANCE } from './overdelivery.ts';
export { mad, median, robustBand, robustZ } from './robust.ts';
export {
  type ExplainedAnomaly,
  type HierarchyAnomaly,
  type JudgedAdSet,
  type RollupInput,
  type RollupResult,
  rollUpAnomalies,
} from './rollup.ts';
export { MIN_SPEND_ELASTICITY, spendResponse } from './spend-response.ts';
export { DEFAULT_STALE_AFTER_HOURS, detectStaleData, type StaleDataInput, type StaleDataResult } from './stale.ts';
export { DEFAULT_STREAM_PARAMS, type StreamDetectorParams, StreamingAnomalyDetector, scoreSeries } from './stream.ts';
export {
  type AdAnomaly,
  type AdSetAnomalyInput,
  type AdSetDay,
  type AdSetFacts,
  FAULT_TYPES,
  type FaultType,
  type Severity,
  type Suppression,
} from './types.ts';
