/**
 * The ad routes of the fake TikTok API over a SimAds ([U]: `ad/get` and `ad/status/update` are not in
 * PLATFORM_APIS.md; their shapes follow TikTok's SDK): `ad/get` filtered on `ad_ids` (at most 100), the
 * integrated report at AUCTION_AD with an `ad_ids` IN filter (at most 100), and `ad/status/update` (1–20 ads,
 * all or nothing). Report values are exactly `SimAds.reportedResults`.
 */
import type { Ad, AdAccount, AdSet } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import type { SimAds } from '../ads.ts';
import type { TikTokRequest } from './api.ts';
import { TikTokApiError } from './errors.ts';
import { isRecord, jsonParam, paged, reportRow } from './wire.ts';

/** Ids an `ad_ids` filter may hold ([U] for the report: assumed the same as `ad/get`). */
const MAX_FILTER_IDS = 100;
/** Ads one `ad/status/update` may change (TikTok's SDK: 1–20). */
const MAX_STATUS_IDS = 20;

/** `operation_status` values of the status updates and the status each one writes. */
export const WRITE_STATUS: Readonly<Record<string, AdSet['status']>> = { ENABLE: 'ACTIVE', DISABLE: 'PAUSED', DELETE: 'DELETED' };
/** The `operation_status` an entity reports for each status. */
export const OPERATION_STATUS: Record<AdSet['status'], string> = {
  ACTIVE: 'ENABLE',
  PAUSED: 'DISABLE',
  ARCHIVED: 'DISABLE',
  DELETED: 'DELETE',
};

/** The ad routes; the account is resolved (and refused) by the API before. */
export class FakeTikTokAds {
  constructor(private readonly ads: SimAds) {}

  /** `GET ad/get`: the account's ads, or those of `filtering.ad_ids`, paged. */
  list(request: TikTokRequest, account: AdAccount): unknown {
    const filtering = request.query.filtering === undefined ? {} : jsonParam(request, 'filtering');
    if (!isRecord(filtering)) throw new TikTokApiError(40002, 'filtering: Not a valid mapping type.');
    const wanted = filtering.ad_ids === undefined ? undefined : idList(filtering.ad_ids, 'filtering.ad_ids', MAX_FILTER_IDS);
    const ads = this.ads.ads(account.accountId).filter((ad) => wanted === undefined || wanted.includes(ad.adId));
    return paged(request, ads.map(adJson));
  }

  /** The AUCTION_AD report rows of [from, to] for the ads of the `ad_ids` filter (all the account's ads without one). */
  reportRows(request: TikTokRequest, account: AdAccount, metrics: readonly string[], from: LocalDate, to: LocalDate): unknown[] {
    const adIds = request.query.filtering === undefined ? this.ads.ads(account.accountId).map((a) => a.adId) : this.filteredAdIds(request);
    return this.ads.reportedResults(account.accountId, adIds, from, to).map((row) => reportRow(row, metrics, { ad_id: row.adId }));
  }

  /** `POST ad/status/update`: ENABLE, DISABLE or DELETE for 1–20 ads, all or nothing; a deleted ad cannot change. */
  updateStatus(request: TikTokRequest, account: AdAccount): unknown {
    const body = request.body;
    if (!isRecord(body)) throw new TikTokApiError(40002, 'The request body is not a JSON object.');
    const ids = idList(body.ad_ids, 'ad_ids', MAX_STATUS_IDS);
    const status = typeof body.operation_status === 'string' ? WRITE_STATUS[body.operation_status] : undefined;
    if (status === undefined) throw new TikTokApiError(40002, 'operation_status: Must be one of: ENABLE, DISABLE, DELETE.');
    const ads = new Map(this.ads.ads(account.accountId).map((a) => [a.adId, a]));
    for (const id of ids) {
      const ad = ads.get(id);
      // [U] TikTok's code and wording for these refusals: a parameter error (40002) is assumed, as for ad groups.
      if (!ad) throw new TikTokApiError(40002, `ad_ids: ad ${id} does not exist.`);
      if (ad.status === 'DELETED') throw new TikTokApiError(40002, `Ad ${id} has been deleted and cannot be modified.`);
    }
    for (const id of ids) this.ads.setStatus(id, status);
    return { ad_ids: ids };
  }

  /** The ids of `filtering=[{"field_name":"ad_ids","filter_type":"IN","filter_value":"[...]"}]`. */
  private filteredAdIds(request: TikTokRequest): string[] {
    const filtering = jsonParam(request, 'filtering');
    if (!Array.isArray(filtering)) throw new TikTokApiError(40002, 'filtering: Not a valid list.');
    const ids: string[] = [];
    for (const filter of filtering) {
      if (!isRecord(filter) || filter.field_name !== 'ad_ids' || filter.filter_type !== 'IN' || typeof filter.filter_value !== 'string')
        throw new TikTokApiError(40002, 'filtering: only {"field_name":"ad_ids","filter_type":"IN","filter_value":"[...]"} is simulated.');
      let values: unknown;
      try {
        values = JSON.parse(filter.filter_value);
      } catch {
        throw new TikTokApiError(40002, 'filtering.filter_value: Not a valid JSON list.');
      }
      ids.push(...idList(values, 'filtering.filter_value', MAX_FILTER_IDS));
    }
    return ids;
  }
}

/** A list of 1–`max` id strings, or a parameter error naming `name`. */
function idList(value: unknown, name: string, max: number): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((id) => typeof id === 'string'))
    throw new TikTokApiError(40002, `${name}: Not a valid list of ids.`);
  if (value.length > max) throw new TikTokApiError(40002, `${name}: Length must be between 1 and ${max}.`);
  return value;
}

function adJson(ad: Ad): Record<string, unknown> {
  return {
    ad_id: ad.adId,
    ad_name: ad.name,
    adgroup_id: ad.adsetId,
    campaign_id: ad.campaignId,
    operation_status: OPERATION_STATUS[ad.status],
  };
}
