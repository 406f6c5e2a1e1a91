/**
 * Ad-level reads and writes on X Ads (the AdLevelSource capability): an ad is a **promoted tweet**, a tweet tied to
 * a line item (adpilot's ad set). Listing: `GET /12/accounts/:id/promoted_tweets?promoted_tweet_ids=…` (≤200 ids
 * per call, cursor-paged, `with_deleted=true`), with the line items read for their campaign. Daily rows: the same
 * `stats` endpoint as line items with `entity=PROMOTED_TWEET` (≤20 ids, ≤7-day windows aligned with today's
 * offset, one call per metric group; async jobs for back-fills). Status: `PUT /12/accounts/:id/promoted_tweets/:id`
 * with `entity_status` [U: §7.1 documents no promoted-tweet write; shaped like the line-item PUT], read back.
 */
import type { Ad, AdAccount, AdDailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import type { Clock } from '../../runtime/clock.ts';
import { PlatformRequestError } from '../errors.ts';
import type { StatusWrite, WritableStatus } from '../port.ts';
import { chunks } from '../slices.ts';
import type { XAdsParams } from './client.ts';
import type { XAdsRequests } from './requests.ts';
import { LineItem, PromotedTweet, single } from './schemas.ts';
import { DailyStatsFold } from './stats.ts';
import type { StatsReader } from './stats-reader.ts';
import { dayWindows, MAX_JOB_DAYS, MAX_SYNC_DAYS, type SaleAmountUnit } from './values.ts';

/** Most ids in one `promoted_tweet_ids` / `line_item_ids` filter. */
export const MAX_FILTER_IDS = 200;

export interface XAdsAdLevelOptions {
  readonly requests: XAdsRequests;
  readonly stats: StatsReader;
  readonly clock: Clock;
  readonly asyncAfterWindows: number;
  readonly saleAmountUnit: SaleAmountUnit;
}

/** The adpilot status of a promoted tweet: its own, deleted wins (its line item's status is the ad set's). */
export function adStatusOf(tweet: PromotedTweet): Ad['status'] {
  if (tweet.deleted) return 'DELETED';
  return tweet.entity_status === 'ACTIVE' ? 'ACTIVE' : 'PAUSED';
}

/** Promoted tweets as adpilot ads. */
export class XAdsAdLevel {
  constructor(private readonly options: XAdsAdLevelOptions) {}

  /** The promoted tweets of the account with these ids that exist, with their line item and its campaign. */
  getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    return this.ads(account.accountId, adIds);
  }

  private async ads(accountId: string, adIds: readonly string[]): Promise<Ad[]> {
    const ids = [...new Set(adIds)];
    if (ids.length === 0) return [];
    const { requests } = this.options;
    const path = `accounts/${accountId}/promoted_tweets`;
    const tweets: { row: PromotedTweet; path: string }[] = [];
    for (const chunk of chunks(ids, MAX_FILTER_IDS)) {
      const params: XAdsParams = { promoted_tweet_ids: chunk, with_deleted: true };
      tweets.push(...(await requests.pages(path, params, PromotedTweet, (row, at) => ({ row, path: at }))));
    }
    const endpoint = requests.client.endpoint('GET', path);
    const wanted = new Set(ids);
    const seen = new Set<string>();
    for (const { row, path: at } of tweets) {
      if (!wanted.has(row.id)) throw requests.malformed(endpoint, `${at}.id`, `is ${row.id}, which was not asked for`);
      if (seen.has(row.id)) throw requests.malformed(endpoint, `${at}.id`, `repeats ${row.id}`);
      seen.add(row.id);
    }
    const campaignOf = await this.campaignsOf(
      accountId,
      tweets.map((t) => t.row.line_item_id),
    );
    return tweets.map(({ row, path: at }) => {
      const campaignId = campaignOf.get(row.line_item_id);
      if (campaignId === undefined)
        throw requests.malformed(endpoint, `${at}.line_item_id`, `names line item ${row.line_item_id}, which the account does not list`);
      return {
        platform: 'x-ads',
        accountId,
        adId: row.id,
        adsetId: row.line_item_id,
        campaignId,
        // A promoted tweet has no name of its own [U]: the tweet it promotes names it.
        name: row.name ?? `Promoted tweet ${row.tweet_id}`,
        status: adStatusOf(row),
      };
    });
  }

  /** PROMOTED_TWEET DAY stats of the ads that exist, one row per ad per account-local day with a value. */
  async fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    if (to < from) return [];
    const ads = new Map((await this.getAds(account, adIds)).map((ad) => [ad.adId, ad]));
    const ids = [...ads.keys()].sort();
    if (ids.length === 0) return [];
    const { stats, clock, asyncAfterWindows, saleAmountUnit } = this.options;
    const fold = new DailyStatsFold(new Set(ids), saleAmountUnit);
    const now = clock.now();
    const windows = dayWindows(from, to, account.timezone, now, MAX_SYNC_DAYS);
    if (windows.length > asyncAfterWindows) {
      await stats.readWithJobs(account, dayWindows(from, to, account.timezone, now, MAX_JOB_DAYS), ids, fold, 'PROMOTED_TWEET');
    } else {
      await stats.readSync(account, windows, ids, fold, 'PROMOTED_TWEET');
    }
    return fold.rows().flatMap(({ lineItemId: adId, date, figures }) => {
      const ad = ads.get(adId);
      if (!ad) return [];
      return [
        {
          platform: 'x-ads' as const,
          accountId: account.accountId,
          adsetId: ad.adsetId,
          campaignId: ad.campaignId,
          adId,
          date,
          currency: account.currency,
          ...figures,
        },
      ];
    });
  }

  /**
   * PUTs the promoted tweet's `entity_status` (ACTIVE | PAUSED) and reads it back; any other read-back is a
   * PlatformRequestError naming the ad and both statuses. An absolute status is idempotent: retried like a read.
   */
  async setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    const { requests } = this.options;
    const path = `accounts/${ad.accountId}/promoted_tweets/${ad.adId}`;
    const endpoint = requests.client.endpoint('PUT', path);
    const context = { platform: 'x-ads' as const, endpoint };
    if (ad.platform !== 'x-ads') throw new PlatformRequestError(`not an X promoted tweet: ${ad.platform} ${ad.adId}`, context);
    if (status !== 'ACTIVE' && status !== 'PAUSED')
      throw new PlatformRequestError(`adpilot writes ACTIVE or PAUSED only, got ${JSON.stringify(status)}`, context);
    const answer = await requests.call(() => requests.client.request('PUT', path, { entity_status: status }, single(PromotedTweet)));
    if (answer.data.id !== ad.adId) throw requests.malformed(endpoint, 'data.id', `is ${answer.data.id}, wrote ${ad.adId}`);
    const [after] = await this.ads(ad.accountId, [ad.adId]);
    const readBack = after?.status ?? 'DELETED';
    if (readBack !== status) {
      throw new PlatformRequestError(
        requests.client.clean(`X Ads ${endpoint}: promoted tweet ${ad.adId} was set to ${status} but reads back ${readBack}`),
        context,
      );
    }
    return { readBack };
  }

  /** The campaign of each of these line items (deleted ones too). */
  private async campaignsOf(accountId: string, lineItemIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const chunk of chunks([...new Set(lineItemIds)], MAX_FILTER_IDS)) {
      const params: XAdsParams = { line_item_ids: chunk, with_deleted: true };
      const rows = await this.options.requests.pages(`accounts/${accountId}/line_items`, params, LineItem, (row) => row);
      for (const row of rows) out.set(row.id, row.campaign_id);
    }
    return out;
  }
}
