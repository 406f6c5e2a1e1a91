/**
 * Ad-level reads and writes on Pinterest (the AdLevelSource capability); §7.2 documents ad groups only, so the ad
 * endpoints follow Pinterest's v5 reference [U]: `GET /v5/ad_accounts/{id}/ads?ad_ids=…` (≤250 ids, bookmark-paged),
 * `GET …/ads/analytics` (`ad_ids` ≤250, ≤90 days per request, DAY granularity, UTC dates, the same columns and
 * attribution windows as ad groups), and the batch `PATCH …/ads` with `[{"id":…,"status":…}]`, read back. Rows of
 * ranges starting beyond the synchronous endpoint's reach (90 days back) are refused: ad-level tests are recent.
 */
import type { Ad, AdAccount, AdDailyMetric } from '../../model/ads.ts';
import { addDays, type LocalDate } from '../../model/dates.ts';
import { PlatformRequestError } from '../errors.ts';
import type { StatusWrite, WritableStatus } from '../port.ts';
import { chunks, dateSlices } from '../slices.ts';
import { statusOfEntity } from './adsets.ts';
import { MAX_ANALYTICS_DAYS, MAX_ANALYTICS_IDS, METRIC_COLUMNS, toDailyMetric } from './analytics.ts';
import type { AttributionWindows, PinterestContext } from './context.ts';
import { listAds } from './lists.ts';
import { itemRefusal } from './patch-items.ts';
import { AdAnalyticsRows, AdPatch } from './schemas.ts';

export interface PinterestAdReads {
  readonly pageSize: number;
  readonly windows: AttributionWindows;
  /** Today (UTC) for the synchronous endpoint's reach. */
  readonly today: () => LocalDate;
  readonly syncMaxDaysBack: number;
}

/** The ads of the account with these ids that exist (drafts are never listed), each with its own status. */
export async function getAds(ctx: PinterestContext, accountId: string, adIds: readonly string[], pageSize: number): Promise<Ad[]> {
  const ids = [...new Set(adIds)];
  if (ids.length === 0) return [];
  const endpoint = ctx.client.endpoint('GET', `ad_accounts/${accountId}/ads`);
  const wanted = new Set(ids);
  const seen = new Set<string>();
  return (await listAds(ctx, accountId, pageSize, ids)).map(({ item, path }) => {
    if (!wanted.has(item.id)) throw ctx.malformed(endpoint, `${path}.id`, `is ${item.id}, which was not asked for`);
    if (seen.has(item.id)) throw ctx.malformed(endpoint, `${path}.id`, `repeats ${item.id}`);
    seen.add(item.id);
    return {
      platform: 'pinterest',
      accountId,
      adId: item.id,
      adsetId: item.ad_group_id,
      campaignId: item.campaign_id,
      name: item.name ?? '',
      status: statusOfEntity(item.status),
    };
  });
}

/** `ads/analytics` rows of the ads that exist over [from, to], in requests of ≤250 ids and ≤90 days. */
export async function fetchAdDailyMetrics(
  ctx: PinterestContext,
  account: AdAccount,
  adIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
  reads: PinterestAdReads,
): Promise<AdDailyMetric[]> {
  if (from > to) return [];
  const path = `ad_accounts/${account.accountId}/ads/analytics`;
  const endpoint = ctx.client.endpoint('GET', path);
  if (from < addDays(reads.today(), -reads.syncMaxDaysBack)) {
    throw new PlatformRequestError(
      `Pinterest ${endpoint}: ${from} is more than ${reads.syncMaxDaysBack} days back, past ad analytics' reach`,
      {
        platform: 'pinterest',
        endpoint,
      },
    );
  }
  const ads = new Map((await getAds(ctx, account.accountId, adIds, reads.pageSize)).map((ad) => [ad.adId, ad]));
  const out: AdDailyMetric[] = [];
  const seen = new Set<string>();
  for (const ids of chunks([...ads.keys()], MAX_ANALYTICS_IDS)) {
    for (const slice of dateSlices(from, to, MAX_ANALYTICS_DAYS)) {
      const params = {
        start_date: slice.from,
        end_date: slice.to,
        ad_ids: ids,
        columns: [...METRIC_COLUMNS],
        granularity: 'DAY',
        click_window_days: reads.windows.clickWindowDays,
        view_window_days: reads.windows.viewWindowDays,
        conversion_report_time: 'TIME_OF_AD_ACTION',
      };
      // Converted inside the retried request: a bad answer is fetched again before giving up.
      const rows = await ctx.call(async () => {
        const answer = await ctx.client.get(path, params, AdAnalyticsRows);
        return answer.map((row, i) => {
          const ad = ads.get(row.AD_ID);
          if (!ad || !ids.includes(row.AD_ID)) throw ctx.malformed(endpoint, `[${i}].AD_ID`, `is ${row.AD_ID}, not asked for`);
          const metric = toDailyMetric(ctx, account, { ...row, AD_GROUP_ID: ad.adsetId }, ad.campaignId, {
            endpoint,
            path: `[${i}]`,
            ...slice,
          });
          const key = `${row.AD_ID}|${row.DATE}`;
          if (seen.has(key)) throw ctx.malformed(endpoint, `[${i}]`, `repeats ad ${row.AD_ID} on ${row.DATE}`);
          seen.add(key);
          return { ...metric, adId: row.AD_ID };
        });
      });
      out.push(...rows);
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.adId.localeCompare(b.adId));
}

/**
 * Sets the ad's `status` with a one-item batch `PATCH …/ads` and reads the ad back; an item Pinterest refuses, or a
 * read-back other than `status`, is a PlatformRequestError naming the ad and both statuses. Idempotent: retried.
 */
export async function writeAdStatus(ctx: PinterestContext, ad: Ad, status: WritableStatus, pageSize: number): Promise<StatusWrite> {
  const path = `ad_accounts/${ad.accountId}/ads`;
  const endpoint = ctx.client.endpoint('PATCH', path);
  const refuse = (why: string, extra: { status?: number; code?: number } = {}) =>
    new PlatformRequestError(ctx.client.clean(`Pinterest ${endpoint}: ${why}`), { platform: 'pinterest', endpoint, ...extra });
  if (ad.platform !== 'pinterest') throw refuse(`not a Pinterest ad: ${ad.platform} ${ad.adId}`);
  if (status !== 'ACTIVE' && status !== 'PAUSED') throw refuse(`adpilot writes ACTIVE or PAUSED only, got ${JSON.stringify(status)}`);
  const answer = await ctx.call(() => ctx.client.patch(path, [{ id: ad.adId, status }], AdPatch));
  if (answer.items.length !== 1) throw ctx.malformed(endpoint, 'items', `holds ${answer.items.length} items for 1 sent`);
  const refusal = itemRefusal(ctx, endpoint, 0, ad.adId, answer.items[0]);
  if (refusal) {
    throw refuse(`ad ${ad.adId} was not set to ${status}: ${refusal.why}`, {
      status: 200,
      ...(refusal.code === undefined ? {} : { code: refusal.code }),
    });
  }
  const [after] = await getAds(ctx, ad.accountId, [ad.adId], pageSize);
  const readBack = after?.status ?? 'DELETED';
  if (readBack !== status) throw refuse(`ad ${ad.adId} was set to ${status} but reads back ${readBack}`);
  return { readBack };
}
