/**
 * How the fake Pinterest API renders the market (../shared/PLATFORM_APIS.md §7.2): ad groups, campaigns and
 * analytics rows in Pinterest's field names, int64 micro-currency as JSON numbers, and opaque bookmarks.
 */
import type { AdSet, DailyMetric } from '../../model/ads.ts';

/** The columns the fake computes; any other column of Pinterest's 175 is refused as not simulated. */
export const SIMULATED_COLUMNS = [
  'SPEND_IN_MICRO_DOLLAR',
  'SPEND_IN_DOLLAR',
  'PAID_IMPRESSION',
  'IMPRESSION_1',
  'TOTAL_IMPRESSION',
  'CLICKTHROUGH_1',
  'TOTAL_CLICKTHROUGH',
  'TOTAL_CONVERSIONS',
  'TOTAL_CHECKOUT',
  'TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR',
  'CAMPAIGN_ID',
  'AD_ACCOUNT_ID',
  'AD_GROUP_ID',
] as const;

/** Fixed entity times (Unix seconds): the market has no creation dates. */
const CREATED = 1_767_225_600;

const STATUS: Record<AdSet['status'], string> = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED', DELETED: 'DELETED_DRAFT' };
const SUMMARY: Record<AdSet['status'], string> = { ACTIVE: 'RUNNING', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED', DELETED: 'DELETED_DRAFT' };

/** The Pinterest entity status of a market ad set. */
export function entityStatus(adset: AdSet): string {
  return STATUS[adset.status];
}

/** An AdGroupResponse. A CBO ad group shows its share of the campaign budget, as Pinterest generates it. */
export function adGroupJson(adset: AdSet): Record<string, unknown> {
  return {
    id: adset.adsetId,
    ad_account_id: adset.accountId,
    campaign_id: adset.campaignId,
    name: adset.name,
    status: STATUS[adset.status],
    summary_status: SUMMARY[adset.status],
    budget_in_micro_currency: adset.dailyBudgetMicros,
    budget_type: adset.budgetLevel === 'campaign' ? 'CBO_ADGROUP' : 'DAILY',
    bid_in_micro_currency: null,
    bid_strategy_type: 'AUTOMATIC_BID',
    pacing_delivery_type: 'STANDARD',
    billable_event: 'IMPRESSION',
    start_time: CREATED,
    end_time: null,
    created_time: CREATED,
    updated_time: CREATED,
    type: 'adgroup',
  };
}

/** A campaign of the market: its ad sets share campaignId; it is CBO when they are campaign-funded. */
export interface FakeCampaign {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly adsets: readonly AdSet[];
  readonly cbo: boolean;
}

/** A CampaignResponse; a CBO campaign's daily_spend_cap is the sum of its ad groups' shares. */
export function campaignJson(campaign: FakeCampaign): Record<string, unknown> {
  const active = campaign.adsets.some((a) => a.status === 'ACTIVE');
  const cap = campaign.cbo ? campaign.adsets.reduce((sum, a) => sum + (a.dailyBudgetMicros ?? 0), 0) : null;
  return {
    id: campaign.id,
    ad_account_id: campaign.accountId,
    name: campaign.name,
    status: active ? 'ACTIVE' : 'PAUSED',
    summary_status: active ? 'RUNNING' : 'PAUSED',
    daily_spend_cap: cap,
    lifetime_spend_cap: null,
    is_campaign_budget_optimization: campaign.cbo,
    is_flexible_daily_budgets: false,
    objective_type: 'CONSIDERATION',
    start_time: CREATED,
    end_time: null,
    created_time: CREATED,
    updated_time: CREATED,
    type: 'campaign',
  };
}

/** An analytics row with AD_GROUP_ID, DATE and the requested columns; conversion columns without a value are left out. */
export function analyticsRow(row: DailyMetric, columns: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {
    SPEND_IN_MICRO_DOLLAR: row.spendMicros,
    SPEND_IN_DOLLAR: row.spendMicros / 1_000_000,
    PAID_IMPRESSION: row.impressions,
    IMPRESSION_1: row.impressions,
    TOTAL_IMPRESSION: row.impressions,
    CLICKTHROUGH_1: row.clicks,
    TOTAL_CLICKTHROUGH: row.clicks,
    CAMPAIGN_ID: row.campaignId,
    AD_ACCOUNT_ID: row.accountId,
    AD_GROUP_ID: row.adsetId,
  };
  // "If a column has no value, it may not be returned": a day without checkouts has no checkout columns.
  if (row.conversions > 0 || row.revenueMicros > 0) {
    values.TOTAL_CONVERSIONS = row.conversions;
    values.TOTAL_CHECKOUT = row.conversions;
    values.TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR = row.revenueMicros;
  }
  const out: Record<string, unknown> = { AD_GROUP_ID: row.adsetId, DATE: row.date };
  for (const column of columns) if (column in values) out[column] = values[column];
  return out;
}

/** An opaque bookmark for the item at `offset`. */
export function bookmarkFor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');
}

/** The offset a bookmark stands for, or undefined when it is not one of ours. */
export function offsetOf(bookmark: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8'));
    const offset = typeof parsed === 'object' && parsed !== null && 'o' in parsed ? parsed.o : undefined;
    return typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}
