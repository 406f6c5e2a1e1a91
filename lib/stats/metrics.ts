/** The A/B test metrics as ratios of daily sums, and their sufficient statistics from daily ad rows. */
import type { DailyMetricValues } from '../model/ads.ts';
import { InvalidStatsInputError } from './errors.ts';
import { type RatioDay, type RatioStats, ratioStats } from './sufficient.ts';
import { winsorize } from './winsorize.ts';

/** The fields of a normalized daily metric row that the tests read (a DailyMetric satisfies it). */
export type AdDay = Pick<DailyMetricValues, 'spendMicros' | 'revenueMicros' | 'impressions' | 'clicks' | 'conversions'>;

export type TestMetric = 'roas' | 'cpa' | 'ctr' | 'cvr';

export interface MetricDefinition {
  readonly label: string;
  readonly lowerIsBetter: boolean;
  readonly numerator: (day: AdDay) => number;
  readonly denominator: (day: AdDay) => number;
}

/** ROAS = revenue/spend, CPA = spend/conversions, CTR = clicks/impressions, CVR = conversions/clicks. */
export const METRICS: Readonly<Record<TestMetric, MetricDefinition>> = {
  roas: { label: 'ROAS', lowerIsBetter: false, numerator: (d) => d.revenueMicros, denominator: (d) => d.spendMicros },
  cpa: { label: 'CPA', lowerIsBetter: true, numerator: (d) => d.spendMicros, denominator: (d) => d.conversions },
  ctr: { label: 'CTR', lowerIsBetter: false, numerator: (d) => d.clicks, denominator: (d) => d.impressions },
  cvr: { label: 'CVR', lowerIsBetter: false, numerator: (d) => d.conversions, denominator: (d) => d.clicks },
};

export interface MetricStatsOptions {
  /** Cap daily revenue at this quantile of the arm's days before ROAS (null: no cap). @default 0.99 */
  readonly winsorizeQuantile?: number | null;
}

/** Daily numerator/denominator pairs of `metric`, with daily revenue winsorized for ROAS. */
export function metricDays(days: readonly AdDay[], metric: TestMetric, options: MetricStatsOptions = {}): RatioDay[] {
  const definition = METRICS[metric];
  if (!definition) throw new InvalidStatsInputError(`unknown metric ${String(metric)}`, 'metric');
  const num = days.map(definition.numerator);
  const den = days.map(definition.denominator);
  const q = options.winsorizeQuantile === undefined ? 0.99 : options.winsorizeQuantile;
  // Only revenue is heavy-tailed (one large order can make a day); counts and spend are not capped.
  const capped = metric === 'roas' && q !== null ? winsorize(num, q) : num;
  return capped.map((value, i) => ({ num: value, den: den[i] ?? 0 }));
}

/** Ratio-metric sufficient statistics of one arm's days (the day is the unit). */
export function metricStats(days: readonly AdDay[], metric: TestMetric, options: MetricStatsOptions = {}): RatioStats {
  return ratioStats(metricDays(days, metric, options));
}
