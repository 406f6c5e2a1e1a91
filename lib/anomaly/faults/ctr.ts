/**
 * CTR decay (creative fatigue): an EWMA (λ = 0.2, L = 3) of daily click-through rate over the last four
 * weeks, against the two weeks before, crossing its lower control limit by a practically relevant margin.
 */
import { addDays } from '../../model/dates.ts';
import { between } from '../baseline.ts';
import { ewmaChart } from '../control-charts.ts';
import { percent } from '../format.ts';
import { MAD_TO_SIGMA, mad, median } from '../robust.ts';
import type { AdAnomaly, AdSetDay } from '../types.ts';
import type { FaultContext } from './context.ts';

export const CTR_EWMA_LAMBDA = 0.2;
export const CTR_EWMA_LIMIT = 3;
const MONITOR_DAYS = 28;
const REFERENCE_DAYS = 14;
const MIN_DAYS = 7;
/** The smoothed CTR must have lost at least this share to be reported. */
const MIN_DECLINE = 0.2;

function split({ date, today, history }: FaultContext): { reference: AdSetDay[]; monitor: AdSetDay[] } | null {
  const all = [...history, today].filter((d) => d.impressions > 0);
  const monitorFrom = addDays(date, -(MONITOR_DAYS - 1));
  let reference = between(all, addDays(monitorFrom, -REFERENCE_DAYS), addDays(monitorFrom, -1));
  let monitor = between(all, monitorFrom, date);
  if (reference.length < MIN_DAYS) {
    // A young ad set: its first two weeks are the reference and the rest is monitored.
    reference = all.slice(0, REFERENCE_DAYS);
    monitor = all.slice(REFERENCE_DAYS);
  }
  if (reference.length < MIN_DAYS || monitor.length < MIN_DAYS) return null;
  return { reference, monitor };
}

/** Click-through rate sliding down and staying down. */
export function detectCtrDecay(context: FaultContext): AdAnomaly | null {
  if (context.today.impressions <= 0) return null;
  const windows = split(context);
  if (windows === null) return null;
  const { reference, monitor } = windows;
  const impressions = reference.reduce((s, d) => s + d.impressions, 0);
  const mu0 = reference.reduce((s, d) => s + d.clicks, 0) / impressions;
  if (mu0 <= 0) return null;
  const daily = reference.map((d) => d.clicks / d.impressions);
  // The daily spread, but never below the binomial noise of a typical day's impressions.
  const binomial = Math.sqrt((mu0 * (1 - mu0)) / median(reference.map((d) => d.impressions)));
  const sigma = Math.max(mad(daily) * MAD_TO_SIGMA, binomial);
  const chart = ewmaChart(
    monitor.map((d) => d.clicks / d.impressions),
    mu0,
    sigma,
    CTR_EWMA_LAMBDA,
    CTR_EWMA_LIMIT,
  );
  const last = chart[chart.length - 1];
  if (last === undefined || last.value >= last.lower || last.value > (1 - MIN_DECLINE) * mu0) return null;
  const decline = 1 - last.value / mu0;
  return {
    faultType: 'ctr-decay',
    metric: 'ctr',
    observed: last.value,
    expected: { low: last.lower, high: last.upper },
    severity: decline >= 0.3 ? 'medium' : 'low',
    hint:
      `Click-through rate of "${context.adset.name}" has slid to ${percent(last.value)} (smoothed) by ${context.date}, from ` +
      `${percent(mu0)} before (−${Math.round(decline * 100)}%), while it kept getting impressions. That is the usual sign of creative ` +
      'fatigue: the audience has seen these ads too often. Rotate in fresh creatives or widen the audience, and check frequency.',
    date: context.date,
  };
}
