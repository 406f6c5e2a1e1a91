/**
 * Tracking breakage: conversions collapse while clicks hold. The expected conversions are the clicks times
 * the usual conversion rate; the evidence is the negative-binomial (Poisson when not overdispersed)
 * lower tail P(X ≤ observed), e.g. P(0 | λ=5) = e^−5 = 0.00674.
 */
import { addDays } from '../../model/dates.ts';
import { between, seasonalBaseline } from '../baseline.ts';
import { estimateDispersion, negBinomialCdf, negBinomialQuantile } from '../counts.ts';
import { count, percent } from '../format.ts';
import type { AdAnomaly, AdSetDay } from '../types.ts';
import { type FaultContext, reportedShare } from './context.ts';

/** Tail probability below which a collapse is reported. */
export const TRACKING_ALPHA = 0.001;
/** And the drop must be large: at most this share of the expected conversions arrived. */
const MAX_SHARE_OF_EXPECTED = 0.1;
/** Days of baseline for the conversion rate, and the least evidence it needs. */
const BASELINE_DAYS = 28;
const MIN_BASELINE_CONVERSIONS = 10;
/** A collapse may have started this many days back (lets low-volume ad sets accumulate evidence; two weeks at most). */
const MAX_RUN_DAYS = 14;
/** Clicks "hold" when they reach at least this share of their usual level. */
const CLICKS_HOLD_SHARE = 0.5;

function clicksHold(day: AdSetDay, history: readonly AdSetDay[]): boolean {
  if (day.clicks === 0) return false;
  const baseline = seasonalBaseline(
    history.filter((d) => d.date < day.date),
    day.date,
    (d) => d.clicks,
  );
  return baseline === null || day.clicks >= CLICKS_HOLD_SHARE * baseline.median;
}

/** The strongest collapse over the last 1–14 days ending on the judged day, if any is significant. */
export function detectTrackingBreakage(context: FaultContext): AdAnomaly | null {
  const { date, today, history } = context;
  const days = [...history, today];
  // An immature day is expected to show at least the floor of its final conversions for its age, not all of them.
  const share = (d: AdSetDay) => reportedShare(context, d);
  const isMature = (d: AdSetDay) => context.immatureFrom === undefined || d.date < context.immatureFrom;
  let best: { run: AdSetDay[]; observed: number; expected: number; p: number; dispersion: number; rate: number } | null = null;
  for (let runDays = 1; runDays <= MAX_RUN_DAYS; runDays++) {
    const run = days.slice(-runDays);
    if (run.length < runDays || !run.every((d) => clicksHold(d, days))) break;
    const start = run[0]?.date ?? date;
    const reference = between(history, addDays(start, -BASELINE_DAYS), addDays(start, -1)).filter((d) => d.clicks > 0 && isMature(d));
    const clicks = reference.reduce((s, d) => s + d.clicks, 0);
    const conversions = reference.reduce((s, d) => s + d.conversions, 0);
    if (conversions < MIN_BASELINE_CONVERSIONS || clicks === 0) break;
    const rate = conversions / clicks;
    const dispersion = estimateDispersion(
      reference.map((d) => d.conversions),
      reference.map((d) => d.clicks * rate),
    );
    const expected = run.reduce((s, d) => s + d.clicks * rate * share(d), 0);
    const observed = run.reduce((s, d) => s + d.conversions, 0);
    if (observed > MAX_SHARE_OF_EXPECTED * expected) continue;
    const p = negBinomialCdf(observed, expected, dispersion);
    if (p < TRACKING_ALPHA && (best === null || p < best.p)) best = { run, observed, expected, p, dispersion, rate };
  }
  if (best === null) return null;
  const { run, observed, expected, p, dispersion, rate } = best;
  const clicks = run.reduce((s, d) => s + d.clicks, 0);
  const when = run.length === 1 ? `on ${date}` : `over the ${run.length} days to ${date}`;
  const low = negBinomialQuantile(0.005, expected, dispersion);
  const high = negBinomialQuantile(0.995, expected, dispersion);
  return {
    faultType: 'tracking-breakage',
    metric: 'conversions',
    observed,
    expected: { low, high },
    severity: observed === 0 && expected >= 10 ? 'high' : p < 1e-5 ? 'high' : 'medium',
    hint:
      `Conversions collapsed: ${count(observed)} ${when} from ${count(clicks)} clicks, where about ${count(expected)} ` +
      `(${count(low)}–${count(high)}) were expected at the usual ${percent(rate)} conversion rate. Clicks held, so people still ` +
      'reach the site: the conversion tracking (pixel, Conversions API, or the purchase event on the site) has probably broken. ' +
      'Until it is fixed the platform optimizes blind and CPA and ROAS figures are wrong; check recent site releases and the ' +
      "platform's event diagnostics first.",
    date,
  };
}
