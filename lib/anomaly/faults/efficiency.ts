/**
 * Step changes in cost per acquisition and return on ad spend: a window-limited GLR test for a drop
 * (lib/anomaly/control-charts.ts `dropGlr`) over the last two weeks against the four weeks before. A large
 * step is reported after one or two days, a small one once enough days have accumulated; there is no fixed
 * shift the test is tuned for, unlike a CUSUM's k. Each day is compared with what its own spend should have
 * bought (lib/anomaly/spend-response.ts): a budget rise moves CPA up the response curve, which is expected and
 * no step. Immature days count at the floor of their maturity, so a step shows in the latest days without
 * waiting for them to become final.
 */
import { addDays } from '../../model/dates.ts';
import { between } from '../baseline.ts';
import { type DropEvidence, dropGlr, type ExpectedDay, runTotals } from '../control-charts.ts';
import { negBinomialQuantile } from '../counts.ts';
import { money } from '../format.ts';
import { median } from '../robust.ts';
import { spendResponse } from '../spend-response.ts';
import type { AdAnomaly, AdSetDay } from '../types.ts';
import { type FaultContext, reportedShare } from './context.ts';
import { explainCostRise, explainOrderValue } from './funnel.ts';

// The thresholds follow from the false-alarm budget: ≤ 1 false alert per account-month of 10 ad sets is one per
// ~300 ad-set-days for all detectors together. They were set on clean simulated ad sets only (no fault data) so
// that each step test spends about a tenth of that budget. The ROAS test runs two charts (revenue against spend,
// revenue per order) whose heavy-tailed order values make its reference noisier, so it needs the higher z.
/** One-sided z of the GLR drop evidence that reports a CPA step. */
export const CPA_STEP_Z = 3;
/** The same for a ROAS step. */
export const ROAS_STEP_Z = 3.5;
const MONITOR_DAYS = 14;
const REFERENCE_DAYS = 28;
const MIN_REFERENCE_DAYS = 7;
const MIN_REFERENCE_CONVERSIONS = 20;
/** Practical significance: the change against the spend-adjusted expectation must be at least this large. */
const MIN_CPA_RISE = 1.25;
const MAX_ROAS_SHARE = 0.8;
/** Least day-to-day relative variance of a day's conversions or revenue beyond counting noise (±5%, squared). */
const MIN_DAY_REL_VAR = 0.05 ** 2;
/** Most assumed (±100%): a reference with a few wild days must not make every collapse look normal. */
const MAX_DAY_REL_VAR = 1;
/** Orders are never assumed more alike in value than ±25%. */
const MIN_ORDER_CV = 0.25;

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

const total = (days: readonly AdSetDay[], f: (d: AdSetDay) => number) => days.reduce((s, d) => s + f(d), 0);
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/**
 * A day's noise as counting noise plus a multiplicative day effect: variance unit·e + κ·e² (a negative binomial
 * for counts, unit = 1). κ is the moment estimate over the reference, Σ((o − e)² − unit·e)/Σe², kept within
 * [MIN_DAY_REL_VAR, MAX_DAY_REL_VAR]. Also returns the reference total's relative variance, Σv/(Σe)².
 */
function noiseModel(
  observed: readonly number[],
  expected: readonly number[],
  unit: number,
): { variance: (e: number) => number; referenceRelVar: number } {
  let excess = 0;
  let scale = 0;
  observed.forEach((o, i) => {
    const e = expected[i] ?? 0;
    excess += (o - e) ** 2 - unit * e;
    scale += e * e;
  });
  const kappa = Math.min(MAX_DAY_REL_VAR, Math.max(MIN_DAY_REL_VAR, scale > 0 ? excess / scale : MIN_DAY_REL_VAR));
  const variance = (e: number) => unit * e + kappa * e * e;
  const referenceRelVar = sum(expected.map(variance)) / sum(expected) ** 2;
  return { variance, referenceRelVar };
}

/** The strongest drop in the monitored days that passes `gate`, when its z reaches `threshold`. */
function significantDrop(
  days: readonly ExpectedDay[],
  referenceRelVar: number,
  threshold: number,
  gate: (e: DropEvidence) => boolean,
): DropEvidence | null {
  const evidence = dropGlr(days, referenceRelVar);
  return evidence !== null && evidence.z >= threshold && gate(evidence) ? evidence : null;
}

/** Cost per acquisition stepped up: fewer conversions than the days' spend should buy at the reference rate. */
export function detectCpaStep(context: FaultContext): AdAnomaly | null {
  const w = windows(context);
  if (w === null) return null;
  const refConversions = total(w.reference, (d) => d.conversions);
  if (refConversions < MIN_REFERENCE_CONVERSIONS) return null;
  const refSpend = total(w.reference, (d) => d.spendMicros);
  // Conversions per unit of spend-adjusted exposure (per unit of spend at the reference level).
  const rate = refConversions / sum(w.referenceExposure);
  const noise = noiseModel(
    w.reference.map((d) => d.conversions),
    w.referenceExposure.map((x) => x * rate),
    1,
  );
  const days = w.monitor.map((d, i) => {
    const expected = (w.exposure[i] ?? 0) * rate;
    return { observed: d.conversions, expected, variance: noise.variance(expected) };
  });
  // With no conversion at all the CPA is unbounded; one conversion is the least the run is credited with.
  const drop = significantDrop(days, noise.referenceRelVar, CPA_STEP_Z, ({ start }) => {
    const run = days.slice(start);
    return Math.max(sum(run.map((d) => d.observed)), 1) * MIN_CPA_RISE <= sum(run.map((d) => d.expected));
  });
  if (drop === null) return null;
  const run = w.monitor.slice(drop.start);
  const runSpend = total(run, (d) => d.spendMicros);
  const runConversions = total(run, (d) => d.conversions);
  const expectedConversions = sum(days.slice(drop.start).map((d) => d.expected));
  const refCpa = refSpend / refConversions;
  // The CPA this spend should have had (what the reported share of the run should show), and the CPA it had.
  const expectedCpa = runSpend / expectedConversions;
  const runCpa = runSpend / Math.max(runConversions, 1);
  // The band of the run's total under the same noise model as the test (the reference's own error included).
  const { sd } = runTotals(days, drop.start, noise.referenceRelVar);
  const dispersion = Math.max(1, (sd * sd) / expectedConversions);
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
 * Revenue per conversion (order value) stepped down. Given its conversion count n, a day's revenue has mean n·a
 * (a the reference order value) and a variance that grows like n when orders vary independently and like n²
 * when whole days vary (promotions, weekday mix). Four weeks cannot tell the two apart, so each day gets the
 * larger of the two scalings from the reference's typical count n̄: V·max(n/n̄, (n/n̄)²). The conversion count's
 * own noise (auction, audience) cancels, which makes this far more sensitive to an order value drop than revenue
 * against spend; late conversions carry their own value, so immature days need no floor.
 */
function orderValueDrop(w: Windows): { drop: DropEvidence; days: ExpectedDay[]; referenceRelVar: number } | null {
  const ref = w.reference.filter((d) => d.conversions > 0);
  const orders = total(ref, (d) => d.conversions);
  if (orders < MIN_REFERENCE_CONVERSIONS || ref.length < MIN_REFERENCE_DAYS) return null;
  const aov = total(ref, (d) => d.revenueMicros) / orders;
  if (!(aov > 0)) return null;
  const typical = orders / ref.length;
  const scaling = (n: number) => Math.max(n / typical, (n / typical) ** 2);
  const atTypical = sum(ref.map((d) => (d.revenueMicros - d.conversions * aov) ** 2 / scaling(d.conversions))) / (ref.length - 1);
  const variance = (n: number) => Math.max(atTypical * scaling(n), n * (MIN_ORDER_CV * aov) ** 2 + MIN_DAY_REL_VAR * (n * aov) ** 2);
  const days = w.monitor.map((d) => ({ observed: d.revenueMicros, expected: d.conversions * aov, variance: variance(d.conversions) }));
  const referenceRelVar = sum(ref.map((d) => variance(d.conversions))) / (orders * aov) ** 2;
  const evidence = dropGlr(days, referenceRelVar);
  return evidence === null || evidence.z < ROAS_STEP_Z || evidence.ratio > MAX_ROAS_SHARE
    ? null
    : { drop: evidence, days, referenceRelVar };
}

/**
 * Return on ad spend stepped down against what the days' spend should return. Two tests, the stronger wins:
 * revenue against the spend-adjusted expectation (any cause: fewer conversions or cheaper orders), and revenue
 * per conversion (a drop in order value, seen without the conversion count's noise) as long as the return
 * itself fell as well.
 */
export function detectRoasStep(context: FaultContext): AdAnomaly | null {
  const w = windows(context);
  if (w === null) return null;
  const refRevenue = total(w.reference, (d) => d.revenueMicros);
  const refSpend = total(w.reference, (d) => d.spendMicros);
  const refConversions = total(w.reference, (d) => d.conversions);
  if (refRevenue <= 0 || refConversions <= 0) return null;
  const refRoas = refRevenue / refSpend;
  // Revenue per unit of spend-adjusted exposure.
  const perExposure = refRevenue / sum(w.referenceExposure);
  // Revenue is a sum over orders, so its counting noise is compound Poisson: variance = mean × E[X²]/E[X] ≥ mean × order value.
  const noise = noiseModel(
    w.reference.map((d) => d.revenueMicros),
    w.referenceExposure.map((x) => x * perExposure),
    (refRevenue / refConversions) * (1 + MIN_ORDER_CV ** 2),
  );
  const days = w.monitor.map((d, i) => {
    const expected = (w.exposure[i] ?? 0) * perExposure;
    return { observed: d.revenueMicros, expected, variance: noise.variance(expected) };
  });
  const roasShare = (start: number) => {
    const run = days.slice(start);
    return sum(run.map((d) => d.observed)) / sum(run.map((d) => d.expected));
  };
  const direct = significantDrop(days, noise.referenceRelVar, ROAS_STEP_Z, ({ ratio }) => ratio <= MAX_ROAS_SHARE);
  const viaOrders = orderValueDrop(w);
  const byOrders = viaOrders !== null && roasShare(viaOrders.drop.start) < 1 ? viaOrders : null;
  const chosen =
    direct !== null && (byOrders === null || direct.z >= byOrders.drop.z)
      ? { drop: direct, days, referenceRelVar: noise.referenceRelVar }
      : byOrders;
  if (chosen === null) return null;
  const { drop } = chosen;
  const run = w.monitor.slice(drop.start);
  const runSpend = total(run, (d) => d.spendMicros);
  const runExposure = sum(w.exposure.slice(drop.start));
  const runRoas = total(run, (d) => d.revenueMicros) / runSpend;
  // The ROAS the run should have shown at its spend and maturity.
  const expectedRoas = (runExposure * perExposure) / runSpend;
  // The band of the test that fired: revenue at this spend, or revenue for these orders at the usual order value.
  const band = runTotals(chosen.days, drop.start, chosen.referenceRelVar);
  const centre = band.expected / runSpend;
  const half = (3 * band.sd) / runSpend;
  const spendNote =
    expectedRoas < 0.95 * refRoas
      ? ` At this spend about ${expectedRoas.toFixed(2)} was to be expected (higher spend earns a falling return), so the rest is the step.`
      : '';
  return {
    faultType: 'roas-step',
    metric: 'roas',
    observed: runRoas,
    expected: { low: Math.max(0, centre - half), high: centre + half },
    severity: runRoas <= 0.5 * expectedRoas ? 'high' : 'medium',
    hint:
      `Return on ad spend of "${context.adset.name}" fell to ${runRoas.toFixed(2)} over the ${run.length} days to ${context.date}, ` +
      `from ${refRoas.toFixed(2)} in the four weeks before (−${Math.round((1 - runRoas / refRoas) * 100)}%).${spendNote} ` +
      explainCostRise(w.reference, run) +
      explainOrderValue(w.reference, run),
    date: context.date,
  };
}
