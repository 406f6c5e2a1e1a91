/**
 * The ad routes of the fake X Ads API over a SimAds: promoted tweets (the ads of the market's line items) as
 * `GET /12/accounts/:id/promoted_tweets` lists them, their `PUT …/promoted_tweets/:id` status write [U: shaped like
 * the line-item PUT], and the rows `stats?entity=PROMOTED_TWEET` serves (exactly `SimAds.reportedResults`).
 */
import type { Ad, AdAccount, DailyMetric } from '../../model/ads.ts';
import { addDays, type LocalDate } from '../../model/dates.ts';
import type { SimAds } from '../ads.ts';
import { XAdsApiError } from './errors.ts';
import { booleanParam, idFilter, type Params } from './params.ts';

const CREATED = '2026-01-05T10:00:00Z';

/** A stable numeric tweet id for an ad (the market has no tweets): 19 digits from an FNV-1a hash of the ad id. */
export function tweetIdOf(adId: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(adId, 'utf8')) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return String(1_000_000_000_000_000_000n + (hash % 8_000_000_000_000_000_000n));
}

/** A promoted tweet as X lists it (no name: the tweet names it). */
export function promotedTweetJson(ad: Ad): Record<string, unknown> {
  return {
    id: ad.adId,
    line_item_id: ad.adsetId,
    tweet_id: tweetIdOf(ad.adId),
    entity_status: ad.status === 'ACTIVE' ? 'ACTIVE' : 'PAUSED',
    approval_status: 'ACCEPTED',
    created_at: CREATED,
    updated_at: CREATED,
    deleted: ad.status === 'DELETED',
  };
}

/** The promoted tweets `GET …/promoted_tweets` selects (before paging): by ids and line items; deleted ones and those of deleted line items only `with_deleted`. */
export function promotedTweetRows(ads: SimAds, lineItemStatus: (id: string) => string, account: AdAccount, params: Params): unknown[] {
  const ids = idFilter(params, 'promoted_tweet_ids');
  const lineItemIds = idFilter(params, 'line_item_ids');
  const withDeleted = booleanParam(params, 'with_deleted');
  return ads
    .ads(account.accountId)
    .filter((ad) => (ids === undefined || ids.includes(ad.adId)) && (lineItemIds === undefined || lineItemIds.includes(ad.adsetId)))
    .filter((ad) => withDeleted || (ad.status !== 'DELETED' && lineItemStatus(ad.adsetId) !== 'DELETED'))
    .map(promotedTweetJson);
}

/** `PUT /12/accounts/:account_id/promoted_tweets/:id?entity_status=…`: applies from the next account-local day, shows at once. */
export function putPromotedTweet(ads: SimAds, account: AdAccount, adId: string, params: Params, echo: Record<string, unknown>): unknown {
  const ad = ads.ad(adId);
  if (!ad || ad.accountId !== account.accountId || ad.status === 'DELETED')
    throw new XAdsApiError(404, 'NOT_FOUND', `Promoted Tweet ${adId} was not found for Account ${account.accountId}`);
  const status = params.get('entity_status');
  if (status === undefined) throw new XAdsApiError(400, 'MISSING_PARAMETER', 'entity_status is missing', 'entity_status');
  if (status !== 'ACTIVE' && status !== 'PAUSED')
    throw new XAdsApiError(400, 'INVALID_PARAMETER', `Expected one of ACTIVE, PAUSED, got "${status}" for entity_status`, 'entity_status');
  ads.setStatus(adId, status);
  return { request: { params: { ...echo, promoted_tweet_id: adId } }, data: promotedTweetJson(ads.ad(adId) ?? ad) };
}

/** The ads' reported rows over `days` days from `from`, keyed like line-item rows (adsetId = the ad id) for the stats encoder. */
export function promotedTweetTruth(ads: SimAds, account: AdAccount, ids: readonly string[], from: LocalDate, days: number): DailyMetric[] {
  return ads.reportedResults(account.accountId, ids, from, addDays(from, days - 1)).map(({ adId, ...row }) => ({ ...row, adsetId: adId }));
}
