/**
 * Daily ad group metrics from `GET /v5/ad_accounts/{id}/ad_groups/analytics` (../shared/PLATFORM_APIS.md §7.2.3):
 * at most 250 ad group ids and 90 days per request, granularity DAY, conversions by the date of the ad action.
 * Dates are UTC dates (Pinterest's reporting default), which is the account's day for adpilot: the connector
 * reports every Pinterest account with time zone UTC. A missing column is 0; a missing row stays missing.
 */
import type { AdAccount, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import { chunks, dateSlices } from '../slices.ts';
import type { AttributionWindows, PinterestContext } from './context.ts';
import { type AnalyticsRow, AnalyticsRows } from './schemas.ts';
import { int64 } from './values.ts';

/** Ad group ids per analytics request. */
export const MAX_ANALYTICS_IDS = 250;
/** Days per analytics request (DAY granularity). */
export const MAX_ANALYTICS_DAYS = 90;

/** The metric columns requested: spend, paid impressions and pin clicks, checkouts and their value. */
export const METRIC_COLUMNS = [
  'SPEND_IN_MICRO_DOLLAR',
  'IMPRESSION_1',
  'CLICKTHROUGH_1',
  'TOTAL_CHECKOUT',
  'TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR',
] as const;

/** Where a row sits in an answer, for error messages, and the slice it must fall in. */
export interface RowPlace {
  readonly endpoint: string;
  readonly path: string;
  readonly from: LocalDate;
  readonly to: LocalDate;
}

/** A normalized row from an analytics row; `campaignId` comes from the ad group list or the row's CAMPAIGN_ID. */
export function toDailyMetric(
  ctx: PinterestContext,
  account: AdAccount,
  row: AnalyticsRow,
  campaignId: string | undefined,
  place: RowPlace,
): DailyMetric {
  const { endpoint, path } = place;
  if (row.DATE < place.from || row.DATE > place.to) {
    throw ctx.malformed(endpoint, `${path}.DATE`, `is ${row.DATE}, outside ${place.from}..${place.to}`);
  }
  const campaign = row.CAMPAIGN_ID ?? campaignId;
  if (campaign === undefined)
    throw ctx.malformed(endpoint, `${path}.CAMPAIGN_ID`, `is missing and ad group ${row.AD_GROUP_ID} is not listed`);
  const value = (column: (typeof METRIC_COLUMNS)[number]) => ctx.convert(() => int64(row[column]), endpoint, `${path}.${column}`);
  return {
    platform: 'pinterest',
    accountId: account.accountId,
    adsetId: row.AD_GROUP_ID,
    campaignId: campaign,
    date: row.DATE,
    currency: account.currency,
    spendMicros: value('SPEND_IN_MICRO_DOLLAR'),
    revenueMicros: value('TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR'),
    impressions: value('IMPRESSION_1'),
    clicks: value('CLICKTHROUGH_1'),
    conversions: value('TOTAL_CHECKOUT'),
  };
}

/** Rows of the listed ad groups (id → campaign id) over [from, to] in requests of ≤250 ids and ≤90 days. */
export async function syncAnalytics(
  ctx: PinterestContext,
  account: AdAccount,
  campaignOf: ReadonlyMap<string, string>,
  from: LocalDate,
  to: LocalDate,
  windows: AttributionWindows,
): Promise<DailyMetric[]> {
  const path = `ad_accounts/${account.accountId}/ad_groups/analytics`;
  const endpoint = ctx.client.endpoint('GET', path);
  const out: DailyMetric[] = [];
  for (const ids of chunks([...campaignOf.keys()], MAX_ANALYTICS_IDS)) {
    const wanted = new Set(ids);
    for (const slice of dateSlices(from, to, MAX_ANALYTICS_DAYS)) {
      const params = {
        start_date: slice.from,
        end_date: slice.to,
        ad_group_ids: ids,
        columns: [...METRIC_COLUMNS],
        granularity: 'DAY',
        click_window_days: windows.clickWindowDays,
        view_window_days: windows.viewWindowDays,
        conversion_report_time: 'TIME_OF_AD_ACTION',
      };
      // The answer is converted inside its retried request: a bad answer is fetched again before giving up.
      const rows = await ctx.call(async () => {
        const answer = await ctx.client.get(path, params, AnalyticsRows);
        return answer.map((row, i) => {
          if (!wanted.has(row.AD_GROUP_ID)) throw ctx.malformed(endpoint, `[${i}].AD_GROUP_ID`, `is ${row.AD_GROUP_ID}, not asked for`);
          return toDailyMetric(ctx, account, row, campaignOf.get(row.AD_GROUP_ID), { endpoint, path: `[${i}]`, ...slice });
        });
      });
      out.push(...rows);
    }
  }
  return out;
}
