/**
 * Ads of the fake Google Ads API: the ad group ads of the market's campaigns, served from a SimAds
 * (../ads.ts). Each market campaign (a google-ads "ad set") holds one ad group whose ads are the SimAds ads of
 * that campaign; `FROM ad_group_ad` lists them and reports their daily rows exactly as SimAds reports them, and
 * `adGroupAds:mutate` pauses or enables one (../shared/PLATFORM_APIS.md §2: "For per-ad rows use FROM ad_group_ad
 * with ad_group_ad.ad.id"; the mutate is [U], shaped like `campaigns:mutate`).
 */
import type { Ad, AdAccount, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import { MICROS_PER_UNIT } from '../../model/money.ts';
import type { SimAds } from '../ads.ts';
import type { FieldValue, RowValues } from './fields.ts';
import { type MutateCall, resourceNotFound, runMutate, statusUpdate, type UpdateOperation } from './mutate.ts';

/** The id of the one ad group of a market campaign: the campaign id with "00" appended (digits, stable). */
export function adGroupIdOf(campaignId: string): string {
  return `${campaignId}00`;
}

/** The Google status of an ad's status. */
function adStatus(status: Ad['status']): string {
  return status === 'ACTIVE' ? 'ENABLED' : status === 'PAUSED' ? 'PAUSED' : 'REMOVED';
}

/** The ad_group_ad.* and ad_group.* values of an ad (the caller adds the campaign's). */
export function adValues(account: AdAccount, ad: Ad, adsetName: string): Record<string, FieldValue> {
  const adGroupId = adGroupIdOf(ad.campaignId);
  const customer = `customers/${account.accountId}`;
  return {
    'ad_group.resource_name': `${customer}/adGroups/${adGroupId}`,
    'ad_group.id': adGroupId,
    'ad_group.name': adsetName,
    'ad_group.status': 'ENABLED',
    'ad_group_ad.resource_name': `${customer}/adGroupAds/${adGroupId}~${ad.adId}`,
    'ad_group_ad.status': adStatus(ad.status),
    'ad_group_ad.ad.resource_name': `${customer}/ads/${ad.adId}`,
    'ad_group_ad.ad.id': ad.adId,
    ...(ad.name === '' ? {} : { 'ad_group_ad.ad.name': ad.name }),
  };
}

/** The segments.date and metrics.* values of a reported day, a campaign's or an ad's: the same fields either way. */
export function metricValues(
  row: Pick<DailyMetric, 'date' | 'impressions' | 'clicks' | 'spendMicros' | 'conversions' | 'revenueMicros'>,
): Record<string, FieldValue> {
  return {
    'segments.date': row.date,
    'metrics.impressions': String(row.impressions),
    'metrics.clicks': String(row.clicks),
    'metrics.cost_micros': String(row.spendMicros),
    'metrics.conversions': row.conversions,
    'metrics.conversions_value': row.revenueMicros / MICROS_PER_UNIT,
    'metrics.all_conversions': row.conversions,
    'metrics.all_conversions_value': row.revenueMicros / MICROS_PER_UNIT,
  };
}

/** Rows of `FROM ad_group_ad`: one per ad, or with a date range one per ad per date with delivery. */
export function adRows(
  ads: SimAds,
  account: AdAccount,
  campaignValues: (campaignId: string) => Record<string, FieldValue> & { readonly 'campaign.name'?: FieldValue },
  range: [LocalDate, LocalDate] | undefined,
): RowValues[] {
  const listed = ads.ads(account.accountId);
  const base = new Map(
    listed.map((ad) => {
      const campaign = campaignValues(ad.campaignId);
      return [ad.adId, { ...campaign, ...adValues(account, ad, String(campaign['campaign.name'] ?? '')) }];
    }),
  );
  if (!range) return [...base.values()];
  return ads.reportedResults(account.accountId, [...base.keys()], range[0], range[1]).map((row) => ({
    ...base.get(row.adId),
    ...metricValues(row),
  }));
}

const AD_GROUP_AD_FIELDS: ReadonlySet<string> = new Set(['resourceName', 'status', 'ad', 'policySummary', 'adStrength', 'labels']);
const WRITABLE_AD_GROUP_AD_FIELDS: ReadonlySet<string> = new Set(['status']);

interface AdStatusPlan {
  readonly ad: Ad;
  readonly status: 'ACTIVE' | 'PAUSED';
  readonly resourceName: string;
}

/** Answers `adGroupAds:mutate` (updates of status) like `campaigns:mutate`: shows at once, applies from the next account day. */
export function mutateAdGroupAds(ads: SimAds, account: AdAccount, call: MutateCall): Record<string, unknown> {
  const byName = new Map(ads.ads(account.accountId).map((ad) => [`${adGroupIdOf(ad.campaignId)}~${ad.adId}`, ad] as const));
  return runMutate<AdStatusPlan>(
    {
      collection: 'adGroupAds',
      idPattern: '\\d+~\\d+',
      fields: AD_GROUP_AD_FIELDS,
      writable: WRITABLE_AD_GROUP_AD_FIELDS,
      check: (customer, operation) => checkAdStatus(customer, byName, operation, call.apiVersion),
      apply: ({ ad, status, resourceName }) => {
        ads.setStatus(ad.adId, status);
        return resourceName;
      },
    },
    account,
    call,
  );
}

function checkAdStatus(account: AdAccount, byName: Map<string, Ad>, operation: UpdateOperation, apiVersion: string): AdStatusPlan {
  const ad = byName.get(operation.id);
  if (!ad) throw resourceNotFound(operation.at('resource_name'));
  const status = statusUpdate(operation, {
    currentStatus: adStatus(ad.status),
    enumType: 'AdGroupAdStatusEnum.AdGroupAdStatus',
    noun: 'An ad group ad',
    apiVersion,
  });
  return {
    ad,
    status: status === 'ENABLED' ? 'ACTIVE' : 'PAUSED',
    resourceName: `customers/${account.accountId}/adGroupAds/${operation.id}`,
  };
}
