/** Ad entities and normalized daily metrics, shared by every platform. */
import { z } from 'zod';

export const PLATFORMS = ['meta', 'google-ads', 'tiktok', 'linkedin', 'x-ads', 'pinterest'] as const;
export const Platform = z.enum(PLATFORMS);
export type Platform = z.infer<typeof Platform>;

const micros = z.number().int().safe();
const count = z.number().int().nonnegative().safe();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code');

/** An ad account as the platform reports it. */
export const AdAccount = z.object({
  platform: Platform,
  accountId: z.string().min(1),
  name: z.string(),
  currency,
  timezone: z.string().min(1),
});
export type AdAccount = z.infer<typeof AdAccount>;

/** Where a budget lives: on the ad set, or on its campaign (Meta CBO, Google campaign budgets). */
export const BudgetLevel = z.enum(['adset', 'campaign']);
export type BudgetLevel = z.infer<typeof BudgetLevel>;

/** An ad set (ad group, line item) with its current state and budget. */
export const AdSet = z.object({
  platform: Platform,
  accountId: z.string().min(1),
  adsetId: z.string().min(1),
  campaignId: z.string().min(1),
  name: z.string(),
  campaignName: z.string().default(''),
  status: z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']),
  currency,
  /** Daily budget in micros of `currency`; null when the ad set has a lifetime budget only. */
  dailyBudgetMicros: micros.nullable(),
  budgetLevel: BudgetLevel,
  /** True while the platform reports the ad set in its learning phase. */
  learning: z.boolean().default(false),
});
export type AdSet = z.infer<typeof AdSet>;

/** An ad (creative) inside an ad set: what an ad-level A/B test compares. */
export const Ad = z.object({
  platform: Platform,
  accountId: z.string().min(1),
  adId: z.string().min(1),
  adsetId: z.string().min(1),
  campaignId: z.string().min(1),
  name: z.string(),
  status: z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']),
});
export type Ad = z.infer<typeof Ad>;

/**
 * Who holds a budget: the ad set itself, or its campaign (every campaign-budget ad set of a campaign
 * reports the campaign's one budget). Two ad sets with the same key share one budget.
 */
export function budgetHolderKey(adset: Pick<AdSet, 'platform' | 'adsetId' | 'campaignId' | 'budgetLevel'>): string {
  return adset.budgetLevel === 'campaign' ? `${adset.platform}/campaign/${adset.campaignId}` : `${adset.platform}/adset/${adset.adsetId}`;
}

/** One ad set per budget (the first of each campaign-budget campaign), so budgets add up without double counting. */
export function budgetHolders<T extends Pick<AdSet, 'platform' | 'adsetId' | 'campaignId' | 'budgetLevel'>>(adsets: readonly T[]): T[] {
  const seen = new Set<string>();
  return adsets.filter((a) => {
    const key = budgetHolderKey(a);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One ad set on one account-local date: the natural key of a metric row. */
export const DailyMetricKey = z.object({
  platform: Platform,
  accountId: z.string().min(1),
  adsetId: z.string().min(1),
  date: localDate,
});
export type DailyMetricKey = z.infer<typeof DailyMetricKey>;

/** The values of a normalized daily metric row, as the platform reported them. */
export const DailyMetricValues = z.object({
  currency,
  spendMicros: micros.nonnegative(),
  revenueMicros: micros.nonnegative(),
  impressions: count,
  clicks: count,
  conversions: count,
});
export type DailyMetricValues = z.infer<typeof DailyMetricValues>;

export const DailyMetric = DailyMetricKey.extend(DailyMetricValues.shape).extend({
  campaignId: z.string().min(1),
});
export type DailyMetric = z.infer<typeof DailyMetric>;

/** One ad on one account-local date: a daily metric row one level below the ad set. */
export const AdDailyMetric = DailyMetric.extend({ adId: z.string().min(1) });
export type AdDailyMetric = z.infer<typeof AdDailyMetric>;

/** A metric row as stored: with when it was fetched and how often its values changed. */
export const StoredDailyMetric = DailyMetric.extend({
  fetchedAt: z.string(),
  firstFetchedAt: z.string(),
  revision: z.number().int().nonnegative(),
});
export type StoredDailyMetric = z.infer<typeof StoredDailyMetric>;

export function sameValues(a: DailyMetricValues & { campaignId: string }, b: DailyMetricValues & { campaignId: string }): boolean {
  return (
    a.currency === b.currency &&
    a.spendMicros === b.spendMicros &&
    a.revenueMicros === b.revenueMicros &&
    a.impressions === b.impressions &&
    a.clicks === b.clicks &&
    a.conversions === b.conversions &&
    a.campaignId === b.campaignId
  );
}
