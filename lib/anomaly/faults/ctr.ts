/**
 * CTR decay (creative fatigue): clicks against what the days' impressions should have brought at the reference
 * click-through rate, with the window-limited GLR drop test (lib/anomaly/control-charts.ts `dropGlr`) over the
 * last three weeks against the four weeks before. Clicks are counts with impressions as exposure (binomial
 * noise, ≈ Poisson at these rates) plus a day effect estimated from the reference, so a day with many
 * impressions weighs more than a thin one. Reported once the latest days' CTR is down by a material share.
 */
import { addDays } from '../../model/dates.ts';
import { between } from '../baseline.ts';
import { dropGlr, runTotals } from '../control-charts.ts';
import { percent } from '../format.ts';
import type { AdAnomaly, AdSetDay } from '../types.ts';
import type { FaultContext } from './context.ts';

/** One-sided z of the GLR drop evidence that reports a decay (see CPA_STEP_Z in efficiency.ts for the budget behind it). */
export const CTR_DECAY_Z = 3.3;
/** The latest days' CTR must have lost at least this share to be reported: what "material" means here. */
export const MIN_CTR_DECLINE = 0.2;
/** The latest days, whose CTR the materiality gate and the hint look at. */
const RECENT_DAYS = 2;
const MONITOR_DAYS = 21;
const REFERENCE_DAYS = 28;
const MIN_DAYS = 7;
/** Least day-to-day relative variance of clicks beyond counting noise (±5%, squared), and the most assumed. */
const MIN_DAY_REL_VAR = 0.05 ** 2;
const MAX_DAY_REL_VAR = 0.25;

function split({ date, today, history }: FaultContext): { reference: AdSetDay[]; monitor: AdSetDay[] } | null {
  const all = [...history, today].filter((d) => d.impressions > 0);
  const monitorFrom = addDays(date, -(MONITOR_DAYS - 1));
  let reference = between(all, addDays(monitorFrom, -REFERENCE_DAYS), addDays(monitorFrom, -1));
  let monitor = between(all, monitorFrom, date);
  if (reference.length < MIN_DAYS) {
    // A young ad set: its first two weeks are the reference and the rest is monitored.
    reference = all.slice(0, 14);
    monitor = all.slice(14);
  }
  if (reference.length < MIN_DAYS || monitor.length < 1) return null;
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
  // Day effect κ by moments: Σ((clicks − e)² − e)/Σe², within its bounds; variance of a day e + κe².
  let excess = 0;
  let scale = 0;
  for (const d of reference) {
    const e = d.impressions * mu0;
    excess += (d.clicks - e) ** 2 - e;
    scale += e * e;
  }
  const kappa = Math.min(MAX_DAY_REL_VAR, Math.max(MIN_DAY_REL_VAR, excess / scale));
  const days = monitor.map((d) => {
    const expected = d.impressions * mu0;
    return { observed: d.clicks, expected, variance: expected + kappa * expected * expected };
  });
  const refExpected = impressions * mu0;
  const refVariance = reference.reduce((s, d) => s + d.impressions * mu0 * (1 + kappa * d.impressions * mu0), 0);
  const referenceRelVar = refVariance / refExpected ** 2;
  const evidence = dropGlr(days, referenceRelVar);
  if (evidence === null || evidence.z < CTR_DECAY_Z) return null;
  const recent = monitor.slice(-RECENT_DAYS);
  const recentCtr = recent.reduce((s, d) => s + d.clicks, 0) / recent.reduce((s, d) => s + d.impressions, 0);
  const decline = 1 - recentCtr / mu0;
  if (decline < MIN_CTR_DECLINE) return null;
  // The run the evidence comes from: its CTR, and the band its clicks were expected in at the reference rate.
  const run = monitor.slice(evidence.start);
  const runImpressions = run.reduce((s, d) => s + d.impressions, 0);
  const totals = runTotals(days, evidence.start, referenceRelVar);
  const runCtr = totals.observed / runImpressions;
  const half = (3 * totals.sd) / runImpressions;
  return {
    faultType: 'ctr-decay',
    metric: 'ctr',
    observed: runCtr,
    expected: { low: Math.max(0, mu0 - half), high: mu0 + half },
    severity: decline >= 0.3 ? 'medium' : 'low',
    hint:
      `Click-through rate of "${context.adset.name}" has slid to ${percent(recentCtr)} over the last ${recent.length} days to ${context.date}, from ` +
      `${percent(mu0)} before (−${Math.round(decline * 100)}%; ${percent(runCtr)} over the ${run.length} days it has been falling), while it kept getting impressions. That is the usual sign of creative ` +
      'fatigue: the audience has seen these ads too often. Rotate in fresh creatives or widen the audience, and check frequency.',
    date: context.date,
  };
}
