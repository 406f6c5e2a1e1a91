/**
 * How far each platform may legitimately spend past a daily budget on one day. Spend beyond this is
 * overspend; spend up to it is the platform's documented pacing, not a fault.
 */
import type { Platform } from '../model/ads.ts';

/** Allowed overdelivery as a fraction of the daily budget (0.25 = up to 125% of the budget). */
export const OVERDELIVERY_ALLOWANCE: Readonly<Record<Platform, number>> = {
  // Meta: "actual spend can exceed the daily budget by up to 25% on a given day" (PLATFORM_APIS.md).
  meta: 0.25,
  // Google Ads: a day may cost up to 2× the average daily budget (monthly cap 30.4×), per Google's help.
  'google-ads': 1.0,
  // TikTok: never more than 125% of the day's highest daily budget, per TikTok's budget help.
  tiktok: 0.25,
  // LinkedIn: daily spend may run up to 50% over the daily budget, per LinkedIn's help.
  linkedin: 0.5,
  // X and Pinterest publish no figure we could confirm: assume Meta's 25% until one is known.
  'x-ads': 0.25,
  pinterest: 0.25,
};
