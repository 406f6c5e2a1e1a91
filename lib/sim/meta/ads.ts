/**
 * The ads of the fake Graph API, over a SimAds: ad nodes (`GET /{ad_id}`), the `/act_{id}/ads` edge with
 * `filtering` on `id`, the status write `POST /{ad_id}`, and the rows of insights at `level=ad` (filtering on
 * `ad.id`), exactly `SimAds.reportedResults`. The API routes requests here and renders pages and fields itself.
 * [U]: the ads edge, its filter and the ad write are not in PLATFORM_APIS.md; they mirror the ad-set ones.
 */
import type { Ad, AdAccount, AdDailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import type { SimAds } from '../ads.ts';
import { GraphApiError } from '../errors.ts';
import type { MarketSimulator } from '../market.ts';
import { invalidParam } from './fields.ts';

const STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'] as const;
const WRITABLE_PARAMS = new Set(['access_token', 'appsecret_proof', 'status']);

/** The ad routes' data: which ads exist, which a filter names, status writes and ad-level rows. */
export class FakeMetaAds {
  constructor(
    private readonly market: MarketSimulator,
    private readonly ads: SimAds,
  ) {}

  /** The Meta ad with this node id, if any. */
  find(node: string): Ad | undefined {
    if (!/^\d+$/.test(node)) return undefined;
    const ad = this.ads.ad(node);
    return ad?.platform === 'meta' ? ad : undefined;
  }

  /** Every field of an ad node, as Graph writes it. */
  node(ad: Ad): Record<string, unknown> {
    return {
      id: ad.adId,
      account_id: ad.accountId.replace(/^act_/, ''),
      name: ad.name,
      adset_id: ad.adsetId,
      campaign_id: ad.campaignId,
      status: ad.status,
      configured_status: ad.status,
      // As Graph reports it: an active ad in a paused ad set does not deliver.
      effective_status: ad.status === 'ACTIVE' && this.market.adset(ad.adsetId).status !== 'ACTIVE' ? 'ADSET_PAUSED' : ad.status,
    };
  }

  /** The account's ads for `GET /act_{id}/ads`, narrowed by `filtering=[{"field":"id","operator":"IN","value":[…]}]`. */
  listed(account: AdAccount, filtering: unknown): Ad[] {
    const all = this.ads.ads(account.accountId);
    const wanted = idFilter(filtering, 'id');
    return wanted === undefined ? all : all.filter((ad) => wanted.has(ad.adId));
  }

  /** The ad ids an insights call at `level=ad` covers: those of `filtering` on `ad.id`, or every ad of the account. */
  insightsAdIds(account: AdAccount, filtering: unknown): string[] {
    const wanted = idFilter(filtering, 'ad.id');
    const all = this.ads.ads(account.accountId).map((ad) => ad.adId);
    return wanted === undefined ? all : all.filter((id) => wanted.has(id));
  }

  /** The ad-level rows reported now. */
  rows(accountId: string, adIds: readonly string[], since: LocalDate, until: LocalDate): AdDailyMetric[] {
    return this.ads.reportedResults(accountId, adIds, since, until);
  }

  /**
   * `POST /{ad_id}` with `status`: applies from the next account day (listed at once). An ARCHIVED ad may only become
   * DELETED, a DELETED one cannot change ([U] as for ad sets: code 100).
   */
  update(ad: Ad, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
    for (const name of Object.keys(params)) {
      if (!WRITABLE_PARAMS.has(name))
        throw invalidParam('Invalid parameter', `The parameter ${name} is not supported by the fake Graph API.`);
    }
    const raw = params.status;
    const status = STATUSES.find((s) => s === raw);
    if (status === undefined) throw invalidParam(`Param status must be one of {${STATUSES.join(', ')}}`);
    const allowed: readonly Ad['status'][] =
      ad.status === 'ARCHIVED' ? ['ARCHIVED', 'DELETED'] : ad.status === 'DELETED' ? ['DELETED'] : STATUSES;
    if (!allowed.includes(status)) {
      throw new GraphApiError(400, 100, '(#100) Invalid parameter', {
        userTitle: ad.status === 'ARCHIVED' ? "Can't Edit Archived Ad" : "Can't Edit Deleted Ad",
        userMessage: `This ad is ${ad.status.toLowerCase()}, so you can't change its status to ${status}.`,
      });
    }
    this.ads.setStatus(ad.adId, status, this.market.now());
    return { success: true };
  }
}

/** The ids of a Graph `filtering` list's `{field, operator: "IN", value: [...]}` entry on `field`; undefined without one. */
function idFilter(raw: unknown, field: string): Set<string> | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw invalidParam('Invalid parameter: filtering must be a JSON list');
    }
  }
  if (!Array.isArray(parsed)) throw invalidParam('Invalid parameter: filtering must be a JSON list');
  let ids: Set<string> | undefined;
  for (const entry of parsed) {
    const e = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    if (e.field !== field || e.operator !== 'IN' || !Array.isArray(e.value) || !e.value.every((v) => typeof v === 'string'))
      throw invalidParam(`Invalid parameter: the fake Graph API filters on {"field":"${field}","operator":"IN","value":[ids]} only`);
    const values = e.value as string[];
    ids = new Set(ids === undefined ? values : values.filter((v) => ids?.has(v)));
  }
  return ids;
}
