/** Spend faults: overspend against the daily budget, and spend spikes on ad sets without a daily budget. */
import { isoWeekday } from '../../model/dates.ts';
import { baselineZ, seasonalBaseline } from '../baseline.ts';
import { money, percent, weekdayName } from '../format.ts';
import { OVERDELIVERY_ALLOWANCE } from '../overdelivery.ts';
import { ROBUST_Z_LIMIT } from '../robust.ts';
import type { AdAnomaly } from '../types.ts';
import type { FaultContext } from './context.ts';

const PLATFORM_NAMES = {
  meta: 'Meta',
  'google-ads': 'Google Ads',
  tiktok: 'TikTok',
  linkedin: 'LinkedIn',
  'x-ads': 'X',
  pinterest: 'Pinterest',
} as const;

/** Spend past the daily budget plus the platform's allowed overdelivery. */
export function detectOverspend(
  { adset, date, today }: FaultContext,
  allowance = OVERDELIVERY_ALLOWANCE[adset.platform],
): AdAnomaly | null {
  const budget = adset.dailyBudgetMicros;
  if (budget === null || budget <= 0) return null;
  const cap = Math.floor(budget * (1 + allowance));
  if (today.spendMicros <= cap) return null;
  const share = today.spendMicros / budget;
  const c = adset.currency;
  return {
    faultType: 'overspend',
    metric: 'spendMicros',
    observed: today.spendMicros,
    expected: { low: 0, high: cap },
    severity: share >= 1 + allowance + 0.5 ? 'high' : 'medium',
    hint:
      `"${adset.name}" spent ${money(today.spendMicros, c)} on ${date} against a daily budget of ${money(budget, c)}: ` +
      `${percent(share, 0)} of budget, past the ${percent(1 + allowance, 0)} ${PLATFORM_NAMES[adset.platform]} may spend on a single day. ` +
      'Check for a budget edit that day (a higher budget may have applied for part of it), a campaign budget that also feeds this ' +
      'ad set, or a delivery error, and raise it with the platform if the invoice shows it.',
    date,
  };
}

/** Spend far above its same-weekday level, for ad sets whose budget does not cap the day. */
export function detectSpendSpike({ adset, date, today, history }: FaultContext): AdAnomaly | null {
  if (adset.dailyBudgetMicros !== null) return null;
  const baseline = seasonalBaseline(
    history.filter((d) => d.spendMicros > 0),
    date,
    (d) => d.spendMicros,
    { minSigma: (m) => 0.1 * m },
  );
  if (baseline === null || baseline.values.length < 3 || baseline.median <= 0) return null;
  const z = baselineZ(today.spendMicros, baseline);
  if (z <= ROBUST_Z_LIMIT || today.spendMicros < 2 * baseline.median) return null;
  const c = adset.currency;
  const label = baseline.kind === 'same-weekday' ? `a ${weekdayName(isoWeekday(date))}` : 'a day';
  return {
    faultType: 'spend-spike',
    metric: 'spendMicros',
    observed: today.spendMicros,
    expected: { low: Math.max(0, baseline.low), high: baseline.high },
    severity: today.spendMicros >= 4 * baseline.median ? 'high' : 'medium',
    hint:
      `"${adset.name}" spent ${money(today.spendMicros, c)} on ${date}, ${(today.spendMicros / baseline.median).toFixed(1)}× its usual ` +
      `${money(baseline.median, c)} for ${label}, and no daily budget caps it. Check the lifetime or campaign budget and its end date ` +
      '(a lifetime budget speeds up near the end), bid changes, and whether the extra spend brought conversions with it.',
    date,
  };
}
