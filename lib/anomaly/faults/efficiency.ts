/**
 * Step changes in cost per acquisition and return on ad spend, with a lower-sided CUSUM (k = 0.5, h = 6:
 * Siegmund's in-control ARL ≈ 2,570 days per chart) over the last two weeks against the four weeks before.
 */
import { addDays } from '../../model/dates.ts';
import { between } from '../baseline.ts';
import { cusum } from '../control-charts.ts';
import { estimateDispersion, negBinomialQuantile } from '../counts.ts';
import { money } from '../format.ts';
import { median } from '../robust.ts';
import type { AdAnomaly, AdSetDay } from '../types.ts';
import type { FaultContext } from './context.ts';
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
/** Practical significance: the change must be at least this large to be worth a person's time. */
const MIN_CPA_RISE = 1.25;
const MAX_ROAS_SHARE = 0.8;
/** Revenue of a typical day is never assumed steadier than ±5%. */
const MIN_REVENUE_CV = 0.05;

interface Windows {
  readonly reference: AdSetDay[];
  readonly monitor: AdSetDay[];
}

function windows({ date, today, history }: FaultContext): Windows | null {
  if (today.spendMicros <= 0) return null;
  const monitorFrom = addDays(date, -(MONITOR_DAYS - 1));
  const reference = between(history, addDays(monitorFrom, -REFERENCE_DAYS), addDays(monitorFrom, -1)).filter((d) => d.spendMicros > 0);
  const monitor = [...between(history, monitorFrom, date), today].filter((d) => d.spendMicros > 0);
  if (reference.length < MIN_REFERENCE_DAYS) return null;
  return { reference, monitor };
}

/** The monitored days since the lower CUSUM last stood at zero: the stretch that carries the alarm. */
function alarmRun(monitor: readonly AdSetDay[], zs: readonly number[]): AdSetDay[] | null {
  const { lower } = cusum(
    zs.map((z) => Math.max(-Z_CLIP, Math.min(Z_CLIP, z))),
    STEP_K,
  );
  if ((lower[lower.length - 1] ?? 0) <= STEP_H) return null;
  let start = lower.length - 1;
  while (start > 0 && (lower[start - 1] ?? 0) > 0) start--;
  return monitor.slice(start);
}

const total = (days: readonly AdSetDay[], f: (d: AdSetDay) => number) => days.reduce((s, d) => s + f(d), 0);

/** Cost per acquisition stepped up: fewer conversions per unit of spend than the reference weeks, persistently. */
export function detectCpaStep(context: FaultContext): AdAnomaly | null {
  const w = windows(context);
  if (w === null) return null;
  const refConversions = total(w.reference, (d) => d.conversions);
  if (refConversions < MIN_REFERENCE_CONVERSIONS) return null;
  const refSpend = total(w.reference, (d) => d.spendMicros);
  const rate = refConversions / refSpend;
  const dispersion = estimateDispersion(
    w.reference.map((d) => d.conversions),
    w.reference.map((d) => d.spendMicros * rate),
  );
  // The reference rate is itself an estimate (relative variance φ/conversions); ignoring that makes a CUSUM
  // over weeks mistake a slightly unlucky reference month for a step.
  const zs = w.monitor.map((d) => {
    const lambda = d.spendMicros * rate;
    return (d.conversions - lambda) / Math.sqrt(dispersion * lambda + (lambda * lambda * dispersion) / refConversions);
  });
  const run = alarmRun(w.monitor, zs);
  if (run === null) return null;
  const runSpend = total(run, (d) => d.spendMicros);
  const runConversions = total(run, (d) => d.conversions);
  const refCpa = refSpend / refConversions;
  // With no conversion at all the CPA is unbounded; the spend itself is then the least it can be.
  const runCpa = runSpend / Math.max(runConversions, 1);
  if (runCpa < MIN_CPA_RISE * refCpa) return null;
  const expectedConversions = runSpend * rate;
  const high = negBinomialQuantile(0.995, expectedConversions, dispersion);
  const low = negBinomialQuantile(0.005, expectedConversions, dispersion);
  const c = context.adset.currency;
  return {
    faultType: 'cpa-step',
    metric: 'cpaMicros',
    observed: Math.round(runCpa),
    expected: { low: Math.round(runSpend / Math.max(high, 1)), high: Math.round(runSpend / Math.max(low, 1)) },
    severity: runCpa >= 1.5 * refCpa ? 'high' : 'medium',
    hint:
      `Cost per conversion of "${context.adset.name}" stepped up to ${money(runCpa, c)} over the ${run.length} days to ${context.date}, ` +
      `from ${money(refCpa, c)} in the four weeks before (+${Math.round((runCpa / refCpa - 1) * 100)}%). ` +
      explainCostRise(w.reference, run),
    date: context.date,
  };
}

/**
 * Return on ad spend stepped down against the reference weeks, persistently. Revenue is modelled as
 * quasi-Poisson in spend (mean spend·ROAS, variance ψ·spend), which weighs each day by its spend instead of
 * treating a small day's wild ratio like a large day's.
 */
export function detectRoasStep(context: FaultContext): AdAnomaly | null {
  const w = windows(context);
  if (w === null) return null;
  const refRevenue = total(w.reference, (d) => d.revenueMicros);
  const refSpend = total(w.reference, (d) => d.spendMicros);
  if (refRevenue <= 0) return null;
  const refRoas = refRevenue / refSpend;
  const typicalSpend = median(w.reference.map((d) => d.spendMicros));
  const psi = Math.max(
    w.reference.reduce((s, d) => s + (d.revenueMicros - d.spendMicros * refRoas) ** 2 / d.spendMicros, 0) / (w.reference.length - 1),
    (MIN_REVENUE_CV * refRoas) ** 2 * typicalSpend,
  );
  const run = alarmRun(
    w.monitor,
    // As for CPA, the reference ROAS is an estimate: its variance ψ/refSpend scales with the day's spend squared.
    w.monitor.map(
      (d) =>
        (d.revenueMicros - d.spendMicros * refRoas) / Math.sqrt(psi * d.spendMicros + (psi * d.spendMicros * d.spendMicros) / refSpend),
    ),
  );
  if (run === null) return null;
  const runSpend = total(run, (d) => d.spendMicros);
  const runRoas = total(run, (d) => d.revenueMicros) / runSpend;
  if (runRoas > MAX_ROAS_SHARE * refRoas) return null;
  const half = (3 * Math.sqrt(psi * runSpend)) / runSpend;
  return {
    faultType: 'roas-step',
    metric: 'roas',
    observed: runRoas,
    expected: { low: Math.max(0, refRoas - half), high: refRoas + half },
    severity: runRoas <= 0.5 * refRoas ? 'high' : 'medium',
    hint:
      `Return on ad spend of "${context.adset.name}" fell to ${runRoas.toFixed(2)} over the ${run.length} days to ${context.date}, ` +
      `from ${refRoas.toFixed(2)} in the four weeks before (−${Math.round((1 - runRoas / refRoas) * 100)}%). ` +
      explainCostRise(w.reference, run) +
      explainOrderValue(w.reference, run),
    date: context.date,
  };
}
