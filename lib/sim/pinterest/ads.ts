/**
 * The ad routes of the fake Pinterest API over a SimAds ([U]: §7.2 documents ad groups only; shaped after
 * Pinterest's v5 ads reference): `GET …/ads` (AdResponse items, filtered by `ad_ids`/`ad_group_ids`/`campaign_ids`
 * and `entity_statuses`), `GET …/ads/analytics` rows (exactly `SimAds.reportedResults`, keyed by AD_ID) and the
 * batch `PATCH …/ads` status write, which applies from the next day and shows at once.
 */
import type { Ad, AdAccount } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import type { SimAds } from '../ads.ts';
import type { PinterestRequest } from './api.ts';
import { entityStatuses, failure, idList, PinterestApiError, patchBody } from './requests.ts';
import { analyticsRow } from './wire.ts';

/** Fixed entity times (Unix seconds): the market has no creation dates. */
const CREATED = 1_767_225_600;
const STATUS: Record<Ad['status'], string> = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED', DELETED: 'DELETED_DRAFT' };
const SUMMARY: Record<Ad['status'], string> = { ACTIVE: 'APPROVED', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED', DELETED: 'DELETED_DRAFT' };

/** An AdResponse of a simulated ad: a promoted pin whose id is derived from the ad id. */
export function adJson(ad: Ad): Record<string, unknown> {
  return {
    id: ad.adId,
    ad_group_id: ad.adsetId,
    ad_account_id: ad.accountId,
    campaign_id: ad.campaignId,
    name: ad.name,
    status: STATUS[ad.status],
    summary_status: SUMMARY[ad.status],
    creative_type: 'REGULAR',
    pin_id: `9${ad.adId}`,
    destination_url: 'https://shop.example.com/',
    review_status: 'APPROVED',
    type: 'pinpromotion',
    created_time: CREATED,
    updated_time: CREATED,
  };
}

/** The ads `GET …/ads` selects (before paging); `ad_ids`, `ad_group_ids` and `campaign_ids` ≤250 each. */
export function listAds(ads: SimAds, account: AdAccount, request: PinterestRequest): unknown[] {
  const ids = idList(request, 'ad_ids');
  const groups = idList(request, 'ad_group_ids');
  const campaigns = idList(request, 'campaign_ids');
  const statuses = entityStatuses(request);
  return ads
    .ads(account.accountId)
    .filter((ad) => (ids === undefined || ids.has(ad.adId)) && (groups === undefined || groups.has(ad.adsetId)))
    .filter((ad) => campaigns === undefined || campaigns.has(ad.campaignId))
    .map(adJson)
    .filter((item) => statuses.has(String(item.status)));
}

/** `PATCH …/ads`: 1–30 items, each `{id, status}`; an unknown ad or a bad status fails alone in `exceptions`. */
export function patchAds(ads: SimAds, account: AdAccount, request: PinterestRequest): unknown {
  return {
    items: patchBody(request).map((item) => {
      const ad = ads.ad(String(item.id));
      if (!ad || ad.accountId !== account.accountId || ad.status === 'DELETED') return failure(2, 'Ad not found.');
      if (item.status !== undefined) {
        if (item.status !== 'ACTIVE' && item.status !== 'PAUSED' && item.status !== 'ARCHIVED') return failure(1, 'status: invalid value.');
        if (ad.status === 'ARCHIVED' && item.status !== 'ARCHIVED') return failure(1, 'status: an archived ad cannot be changed.');
        ads.setStatus(ad.adId, item.status);
      }
      return { data: adJson(ads.ad(ad.adId) ?? ad), exceptions: [] };
    }),
  };
}

/** `ads/analytics` rows: AD_ID, DATE and the requested columns of each SimAds row (AD_GROUP_ID only when asked). */
export function adAnalyticsRows(
  ads: SimAds,
  account: AdAccount,
  ids: readonly string[],
  from: LocalDate,
  to: LocalDate,
  columns: readonly string[],
): unknown[] {
  if (ids.length === 0) throw new PinterestApiError(400, 1, 'ad_ids: required.');
  return ads.reportedResults(account.accountId, ids, from, to).map((row) => {
    const { AD_GROUP_ID, ...rest } = analyticsRow(row, columns);
    return { AD_ID: row.adId, ...rest, ...(columns.includes('AD_GROUP_ID') ? { AD_GROUP_ID } : {}) };
  });
}
