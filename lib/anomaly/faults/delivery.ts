/** Delivery stop: an ACTIVE ad set with a budget that spent nothing, after spending recently. */
import { isoWeekday } from '../../model/dates.ts';
import { seasonalBaseline } from '../baseline.ts';
import { count, money, weekdayName } from '../format.ts';
import type { AdAnomaly } from '../types.ts';
import type { FaultContext } from './context.ts';

/** How far back a previous day with spend must be for zero spend to count as a stop rather than "never started". */
const RECENT_DELIVERY_DAYS = 7;

/** Zero spend on an active ad set with budget that delivered within the last week. */
export function detectDeliveryStop({ adset, date, today, history }: FaultContext): AdAnomaly | null {
  if (adset.status !== 'ACTIVE' || today.spendMicros > 0) return null;
  if (adset.dailyBudgetMicros !== null && adset.dailyBudgetMicros <= 0) return null;
  const recent = history.slice(-RECENT_DELIVERY_DAYS);
  if (!recent.some((d) => d.spendMicros > 0)) return null;
  const delivering = history.filter((d) => d.spendMicros > 0);
  const baseline = seasonalBaseline(delivering, date, (d) => d.spendMicros, { minSigma: (m) => 0.05 * m });
  const low = Math.max(0, baseline?.low ?? 0);
  const high = baseline?.high ?? Math.max(...recent.map((d) => d.spendMicros));
  const ownBudget = adset.dailyBudgetMicros !== null;
  const c = adset.currency;
  const usual =
    baseline === null
      ? ''
      : ` (it usually spends ${money(Math.max(low, 0), c)}–${money(high, c)} on a ${
          baseline.kind === 'same-weekday' ? weekdayName(isoWeekday(date)) : 'day'
        })`;
  const budget = ownBudget ? `a daily budget of ${money(adset.dailyBudgetMicros ?? 0, c)}` : 'a campaign or lifetime budget';
  const funnel =
    today.impressions === 0
      ? 'It got no impressions, so it is not entering auctions at all. Check, in this order: ads rejected or paused, the payment method and account spending limit, the schedule or end date, and an audience that has become too narrow.'
      : `It still got ${count(today.impressions)} impressions without being charged, so it is serving but not billing: check the bid strategy and billing event, and whether the platform reports spend late for this account.`;
  const campaignBudget = ownBudget
    ? ''
    : ' With the budget on the campaign, the platform may simply have moved it to sibling ad sets; check them before acting.';
  return {
    faultType: 'delivery-stop',
    metric: 'spendMicros',
    observed: 0,
    expected: { low, high },
    severity: ownBudget ? 'high' : 'medium',
    hint: `"${adset.name}" is active with ${budget} but spent nothing on ${date}${usual}. ${funnel}${campaignBudget}`,
    date,
  };
}
