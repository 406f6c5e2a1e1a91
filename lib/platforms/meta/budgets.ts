/**
 * Meta's minimum daily budget rule (PLATFORM_APIS.md §1 "Changing budgets and status"): `GET /act_{id}/minimum_budgets`
 * gives, per currency, minimums in minor units for four billing-event families. Which family an ad set falls in follows
 * its `billing_event`; the grouping below is **[U]** (it is how public integrations read it, not a primary source),
 * and an unknown billing event takes the largest minimum so that we never write a budget Meta would refuse.
 */
import type { MetaMinimumBudget } from './schemas.ts';

const IMPRESSION_EVENTS = new Set(['IMPRESSIONS']);
const VIDEO_EVENTS = new Set(['THRUPLAY', 'VIDEO_VIEWS', 'TWO_SECOND_CONTINUOUS_VIDEO_VIEWS', 'MRC_VIDEO_VIEWS']);
const HIGH_FREQUENCY_EVENTS = new Set(['CLICKS', 'LINK_CLICKS', 'PAGE_LIKES', 'POST_ENGAGEMENT']);
const LOW_FREQUENCY_EVENTS = new Set(['APP_INSTALLS', 'OFFER_CLAIMS', 'PURCHASE', 'LISTING_INTERACTION']);

/** The minimum daily budget (minor units) for an ad set billed on `billingEvent`. */
export function minimumDailyBudgetMinor(minimums: MetaMinimumBudget, billingEvent: string): number {
  if (IMPRESSION_EVENTS.has(billingEvent)) return minimums.min_daily_budget_imp;
  if (VIDEO_EVENTS.has(billingEvent)) return minimums.min_daily_budget_video_views;
  if (HIGH_FREQUENCY_EVENTS.has(billingEvent)) return minimums.min_daily_budget_high_freq;
  if (LOW_FREQUENCY_EVENTS.has(billingEvent)) return minimums.min_daily_budget_low_freq;
  return Math.max(
    minimums.min_daily_budget_imp,
    minimums.min_daily_budget_video_views,
    minimums.min_daily_budget_high_freq,
    minimums.min_daily_budget_low_freq,
  );
}
