/**
 * The information limit of the ad-fault suite: the least expected delay any detector can have on a series
 * (Lorden/Lai), the day a CTR decay becomes material, and the volume bands the limit is reported by.
 */
import type { AdFaultDesign, InjectedFault, SeriesSpec } from './ad-fault-series.ts';

/** The faults whose detection is limited by volume, stratified by conversions a day. */
export const STRATIFIED_FAULTS: readonly InjectedFault[] = ['cpa-step', 'roas-step', 'ctr-decay'];
/** Bands of expected conversions a day at the budget, [low, high). */
export const VOLUME_BANDS = [
  { label: '<1 conv/day', low: 0, high: 1 },
  { label: '1–3', low: 1, high: 3 },
  { label: '3–10', low: 3, high: 10 },
  { label: '10–30', low: 10, high: 30 },
  { label: '≥30', low: 30, high: Number.POSITIVE_INFINITY },
] as const;
/** Relative variance of a day's clicks beyond Poisson in the simulator (its log-normal CTR noise, σ = 0.08). */
const CLICK_DAY_REL_VAR = 0.08 ** 2;
/** A CTR decay is material once the true CTR is down by this share (the detector's MIN_CTR_DECLINE). */
const CTR_MATERIAL_DECLINE = 0.2;

/** The first day (0 = onset) on which a decay towards `floor` with `halfLife` has taken ≥ 20% off the CTR. */
export function ctrMaterialDay(floor: number, halfLife: number): number {
  const remaining = (1 - CTR_MATERIAL_DECLINE - floor) / (1 - floor);
  return Math.max(0, Math.ceil(halfLife * Math.log2(1 / remaining)));
}

/**
 * The least expected detection delay any detector can have at the false-alert budget (Lorden; Lai 1998): the days of
 * faulty data n until their Kullback–Leibler information Σ I_t reaches ln ARL₀, minus one (delay 0 = caught on
 * the onset day's data). Generous on purpose: ARL₀ spends the whole budget (one false alert per account-month of
 * 10 ad sets) on this one detector, the reference is taken as known, days as final, and I_t is the Gaussian
 * information of the shift against the simulator's true daily noise:
 * - CPA step (conversion rate ×m): conversions NB with mean μ and size r: I = ((1−m)μ)²/(2(μ + μ²/r)).
 * - ROAS step (order value ×m): the day's revenue given its n ≈ μ orders, each log-normal with CV c:
 *   I = n(1−m)²/(2c²) — what daily totals can tell, the conversion count's noise cancelling.
 * - CTR decay: clicks with mean k and variance k + 0.0064k², the multiplier decaying from 1 towards the floor.
 * Returns the window length (14) when the bound is beyond it.
 */
export function informationBoundDelay(spec: SeriesSpec, halfLife: number | undefined, d: AdFaultDesign): number {
  const needed = Math.log((d.adsetsPerAccount * 30.44) / 1);
  const m = spec.magnitude ?? 1;
  const perDay = (t: number): number => {
    switch (spec.kind) {
      case 'cpa-step': {
        const mu = spec.conversionsPerDay;
        return ((1 - m) * mu) ** 2 / (2 * (mu + (mu * mu) / (spec.config.dispersion ?? 30)));
      }
      case 'roas-step': {
        const sigma = spec.config.orderValueSigma ?? 0.4;
        return (spec.conversionsPerDay * (1 - m) ** 2) / (2 * (Math.exp(sigma * sigma) - 1));
      }
      case 'ctr-decay': {
        const clicks = ((spec.config.dailyBudgetMicros * 0.97) / spec.config.cpmMicros) * 1000 * spec.config.ctr;
        const x = m + (1 - m) * 0.5 ** (t / (halfLife ?? 1));
        return ((1 - x) * clicks) ** 2 / (2 * (clicks + CLICK_DAY_REL_VAR * clicks * clicks));
      }
      default:
        return Number.POSITIVE_INFINITY;
    }
  };
  let information = 0;
  for (let t = 0; t < d.detectionWindowDays; t++) {
    information += perDay(t);
    if (information >= needed) return t;
  }
  return d.detectionWindowDays;
}
