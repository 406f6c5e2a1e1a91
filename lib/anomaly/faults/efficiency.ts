/**
 * Step changes in cost per acquisition and return on ad spend, with a lower-sided CUSUM (k = 0.5, h = 6:
 * Siegmund's in-control ARL ≈ 2,570 days per chart) over the last two weeks against the four weeks before.
 * Each day is compared with what its own spend should have bought (lib/anomaly/spend-response.ts): a budget
 * rise moves CPA up the response curve, which is expected and no step. Immature days count at the floor of
 * their maturity, so a step shows in the latest days without waiting for them to become final.
 */
import { addDays } from '../../model/dates.ts';
import { between } from '../baseline.ts';
import { cusum } from '../control-charts.ts';
import { estimateDispersion, negBinomialQuantile } from '../counts.ts';
import { money } from '../format.ts';
import { median } from '../robust.ts';
import { spendResponse } from '../spend-response.ts';
import type { AdAnomaly, AdSetDay } from '../types.ts';
import { type FaultContext, reportedShare } from './context.ts';
import { explainCostRise, explainOrderValue } from './funnel.ts';

/** CUSUM tuning, in σ of the daily statistic. */
export const STEP_K = 0.5;
// h follows from the false-alarm budget, not from any test data: ≤ 1 false alert per account-month of 10 ad
// sets is one per ~300 ad-set-days for all detectors together, and each ad set runs two step charts; h = 5
// (ARL ≈ 938) would spend that budget on the steps alone, h = 6 (ARL ≈ 2,570) leaves room for the rest.
export const STEP_H = 6;
/** One wild day must not carry a step alarm on its own. */
const Z_CLIP = 4;
const MONITOR_DAYS = 14;
const REFERENCE_DAYS = 28;
const MIN_REFERENCE_DAYS = 7;
const MIN_REFERENCE_CONVERSIONS = 20;
/** Practical significance: the change against the spend-adjusted expectation must be at least this large. */
const MIN_CPA_RISE = 1.25;
const MAX_ROAS_SHARE = 0.8;
/** Revenue of a typical day is never assumed steadier than ±5%. */
const MIN_REVENUE_CV = 0.05;

interface Windows {
  readonly reference: AdSetDay[];
  readonly monitor: AdSetDay[];
  /** Per monitored day: the spend-adjusted exposure g(spend) times the share of it already reported. */
  readonly exposure: number[];
  /** The same for the reference days (all mature). */
  readonly referenceExposure: number[];
}

function windows(context: FaultContext): Windows | null {
  const { date, today, history, immatureFrom } = context;
  if (today.spendMicros <= 0) return null;
  const monitorFrom = addDays(date, -(MONITOR_DAYS - 1));
  const isMature = (d: AdSetDay) => immatureFrom === undefined || d.date < immatureFrom;
  const reference = between(history, addDays(monitorFrom, -REFERENCE_DAYS), addDays(monitorFrom, -1)).filter(
    (d) => d.spendMicros > 0 && isMature(d),
  );
  const monitor = [...between(history, monitorFrom, date), today].filter((d) => d.spendMicros > 0);
  if (reference.length < MIN_REFERENCE_DAYS) return null;
  const g = spendResponse(median(reference.map((d) => d.spendMicros)));
  return {
    reference,
    monitor,
    exposure: monitor.map((d) => g(d.spendMicros) * reportedShare(context, d)),
    referenceExposure: reference.map((d) => g(d.spendMicros)),
  };
}

/** Where the stretch carrying the alarm starts (the day after the lower CUSUM last stood at zero), or null without alarm. */
function alarmStart(zs: readonly number[]): number | null {
  const { lower } = cusum(
    zs.map((z) => Math.max(-Z_CLIP, Math.min(Z_CLIP, z))),
    STEP_K,
  );
  if ((lower[lower.length - 1] ?? 0) <= STEP_H) return null;
  let start = lower.length - 1;
  while (start > 0 && (lower[start - 1] ?? 0) > 0) start--;
  return start;
}

const total = (days: readonly AdSetDay[], f: (d: AdSetDay) => number) => days.reduce((s, d) => s + f(d), 0);

/** Cost per acquisition stepped up: fewer conversions than the day's spend should buy at the reference rate, persistently. */
export function detectCpaStep(context: FaultContext): AdAnomaly | null {
  const w = windows(context);
  if (w === null) return null;
  const refConversions = total(w.reference, (d) => d.conversions);
  if (refConversions < MIN_REFERENCE_CONVERSIONS) return null;
  const refSpend = total(w.reference, (d) => d.spendMicros);
  const refExposure = w.referenceExposure.reduce((s, x) => s + x, 0);
  // Conversions per unit of spend-adjusted exposure (per unit of spend at the reference level).
  const rate = refConversions / refExposure;
  const dispersion = estimateDispersion(
    w.reference.map((d) => d.conversions),
    w.referenceExposure.map((x) => x * rate),
  );
  // The reference rate is itself an estimate (relative variance φ/conversions); ignoring that makes a CUSUM
  // over weeks mistake a slightly unlucky reference month for a step.
  const zs = w.monitor.map((d, i) => {
    const lambda = (w.exposure[i] ?? 0) * rate;
    return (d.conversions - lambda) / Math.sqrt(dispersion * lambda + (lambda * lambda * dispersion) / refConversions);
  });
  const start = alarmStart(zs);
  if (start === null) return null;
  const run = w.monitor.slice(start);
  const runSpend = total(run, (d) => d.spendMicros);
  const runConversions = total(run, (d) => d.conversions);
  const expectedConversions = w.exposure.slice(start).reduce((s, x) => s + x, 0) * rate;
  const refCpa = refSpend / refConversions;
  // The CPA this spend should have had (what the reported share of the run should show), and the CPA it had;
  // with no conversion at all the CPA is unbounded, and the spend itself is the least it can be.
  const expectedCpa = runSpend / expectedConversions;
  const runCpa = runSpend / Math.max(runConversions, 1);
  if (runCpa < MIN_CPA_RISE * expectedCpa) return null;
  const high = negBinomialQuantile(0.995, expectedConversions, dispersion);
  const low = negBinomialQuantile(0.005, expectedConversions, dispersion);
  const c = context.adset.currency;
  const spendNote =
    expectedCpa > 1.05 * refCpa
      ? ` At this spend about ${money(expectedCpa, c)} was to be expected (higher spend buys conversions at a rising cost), so the rest is the step.`
      : '';
  return {
    faultType: 'cpa-step',
    metric: 'cpaMicros',
    observed: Math.round(runCpa),
    expected: { low: Math.round(runSpend / Math.max(high, 1)), high: Math.round(runSpend / Math.max(low, 1)) },
    severity: runCpa >= 1.5 * expectedCpa ? 'high' : 'medium',
    hint:
      `Cost per conversion of "${context.adset.name}" stepped up to ${money(runCpa, c)} over the ${run.length} days to ${context.date}, ` +
      `from ${money(refCpa, c)} in the four weeks before (+${Math.round((runCpa / refCpa - 1) * 100)}%).${spendNote} ` +
      explainCostRise(w.reference, run),
    date: context.date,
  };
}

/**
 * Return on ad spend stepped down against what the day's spend should return, persistently. Revenue is
 * modelled as quasi-Poisson in the spend-adjusted exposure (mean R·g, variance ψ·g), which weighs each day by
 * its spend instead of treating a small day's wild ratio like a large day's.
 */
export function detectRoasStep(context: FaultContext): AdAnomaly | null {
  const w = windows(context);
  if (w === null) return null;
  const refRevenue = total(w.reference, (d) => d.revenueMicros);
  const refSpend = total(w.reference, (d) => d.spendMicros);
  if (refRevenue <= 0) return null;
  const refExposure = w.referenceExposure.reduce((s, x) => s + x, 0);
  const refRoas = refRevenue / refSpend;
  // Revenue per unit of spend-adjusted exposure.
  const perExposure = refRevenue / refExposure;
  const typical = median(w.referenceExposure);
  const refConversions = total(w.reference, (d) => d.conversions);
  // Revenue is a sum over conversions, so it is never steadier than compound Poisson: variance ≥ mean × order value.
  const orderValue = refConversions > 0 ? refRevenue / refConversions : 0;
  const psi = Math.max(
    w.reference.reduce((s, d, i) => {
      const x = w.referenceExposure[i] ?? 1;
      return s + (d.revenueMicros - x * perExposure) ** 2 / x;
    }, 0) /
      (w.reference.length - 1),
    (MIN_REVENUE_CV * perExposure) ** 2 * typical,
    perExposure * orderValue,
  );
  // As for CPA, the reference return is an estimate: its variance ψ/refExposure scales with the day's exposure squared.
  const zs = w.monitor.map((d, i) => {
    const x = w.exposure[i] ?? 0;
    return (d.revenueMicros - x * perExposure) / Math.sqrt(psi * x + (psi * x * x) / refExposure);
  });
  const start = alarmStart(zs);
  if (start === null) return null;
  const run = w.monitor.slice(start);
  const runSpend = total(run, (d) => d.spendMicros);
  const runExposure = w.exposure.slice(start).reduce((s, x) => s + x, 0);
  const runRoas = total(run, (d) => d.revenueMicros) / runSpend;
  // The ROAS the run should have shown at its spend and maturity.
  const expectedRoas = (runExposure * perExposure) / runSpend;
  if (runRoas > MAX_ROAS_SHARE * expectedRoas) return null;
  const half = (3 * Math.sqrt(psi * runExposure)) / runSpend;
  const spendNote =
    expectedRoas < 0.95 * refRoas
      ? ` At this spend about ${expectedRoas.toFixed(2)} was to be expected (higher spend earns a falling return), so the rest is the step.`
      : '';
  return {
    faultType: 'roas-step',
    metric: 'roas',
    observed: runRoas,
    expected: { low: Math.max(0, expectedRoas - half), high: expectedRoas + half },
    severity: runRoas <= 0.5 * expectedRoas ? 'high' : 'medium',
    hint:
      `Return on ad spend of "${context.adset.name}" fell to ${runRoas.toFixed(2)} over the ${run.length} days to ${context.date}, ` +
      `from ${refRoas.toFixed(2)} in the four weeks before (−${Math.round((1 - runRoas / refRoas) * 100)}%).${spendNote} ` +
      explainCostRise(w.reference, run) +
      explainOrderValue(w.reference, run),
    date: context.date,
  };
}
