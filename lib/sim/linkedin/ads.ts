/**
 * Creatives of the fake LinkedIn Marketing API, served from a SimAds (../ads.ts): a LinkedIn creative is an
 * adpilot ad inside a campaign (an adpilot ad set). Routes, beside the campaign routes of api.ts and with their
 * checks, paging, fault rendering and request log:
 * - `GET /rest/adAccounts/{id}/creatives?q=criteria&creatives=List(<URN>,…)&campaigns=…&intendedStatuses=…` [U] (pageToken pages);
 * - `GET /rest/adAccounts/{id}/creatives/{percent-encoded creative URN}` [U];
 * - `POST` on the same path with `X-RestLi-Method: PARTIAL_UPDATE` and `{"patch":{"$set":{"intendedStatus":…}}}` [U];
 * - `GET /rest/adAnalytics?q=analytics&pivot=CREATIVE&…` (../shared/PLATFORM_APIS.md §4), values exactly
 *   `SimAds.reportedResults`, cut silently at the element cap like campaign reads.
 */
import type { Ad, AdAccount, AdDailyMetric, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import type { SimAds } from '../ads.ts';
import type { MarketSimulator } from '../market.ts';
import { LinkedInApiError } from './errors.ts';
import { paramError } from './params.ts';
import {
  ACCOUNT_URN,
  CAMPAIGN_URN,
  type PatchAnswer,
  type PatchRequest,
  parseRestli,
  patched,
  patchSet,
  requirePartialUpdate,
} from './wire.ts';

export const CREATIVE_URN = 'urn:li:sponsoredCreative:';

const INTENDED_STATUS: Record<Ad['status'], string> = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED', DELETED: 'REMOVED' };
const WRITABLE_STATUS: Record<string, Ad['status']> = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED' };

/** The parts of the fake API the creative routes share with the campaign routes. */
export interface LinkedInApiParts {
  page(params: Map<string, string>, all: readonly unknown[]): unknown;
  dateRange(raw: string | undefined): { from: LocalDate; to: LocalDate };
  urnList(params: Map<string, string>, name: string, prefix: string): Set<string> | undefined;
  fields(raw: string | undefined): string[];
  element(row: DailyMetric, fields: readonly string[], pivotValue: string): Record<string, unknown>;
  ok(payload: unknown): { status: number; headers: Record<string, string>; payload?: unknown; text?: string };
  visibleAccounts(accounts: Set<string> | undefined): AdAccount[];
  readonly maxElements: number;
}

/** A SimAds ad as a LinkedIn creative. */
export function creativeJson(ad: Ad): Record<string, unknown> {
  return {
    id: `${CREATIVE_URN}${ad.adId}`,
    account: `${ACCOUNT_URN}${ad.accountId}`,
    campaign: `${CAMPAIGN_URN}${ad.adsetId}`,
    name: ad.name,
    intendedStatus: INTENDED_STATUS[ad.status],
    isServing: ad.status === 'ACTIVE',
    isTest: false,
    content: { reference: `urn:li:share:${ad.adId}` },
  };
}

/** The creative routes of the fake LinkedIn API. */
export class LinkedInCreatives {
  constructor(
    private readonly market: MarketSimulator,
    private readonly ads: SimAds,
    private readonly api: LinkedInApiParts,
  ) {}

  /** `GET adAccounts/{id}/creatives?q=criteria…`: the account's creatives matching every criterion given. */
  search(params: Map<string, string>, account: AdAccount): unknown {
    if (params.get('q') !== 'criteria') throw paramError(`finder ${String(params.get('q'))} is not supported; use q=criteria`);
    const creatives = this.api.urnList(params, 'creatives', CREATIVE_URN);
    const campaigns = this.api.urnList(params, 'campaigns', CAMPAIGN_URN);
    const statusesRaw = params.get('intendedStatuses');
    const statuses = statusesRaw === undefined ? undefined : parseRestli(statusesRaw);
    if (statuses !== undefined && !Array.isArray(statuses)) throw paramError('intendedStatuses must be List(<status>,…)');
    const all = this.ads
      .ads(account.accountId)
      .filter((ad) => creatives === undefined || creatives.has(ad.adId))
      .filter((ad) => campaigns === undefined || campaigns.has(ad.adsetId))
      .filter((ad) => statuses === undefined || statuses.includes(INTENDED_STATUS[ad.status]))
      .map(creativeJson);
    return this.api.page(params, all);
  }

  /** `GET adAccounts/{id}/creatives/{URN}`. */
  get(account: AdAccount, segment: string): unknown {
    return creativeJson(this.creative(account, segment));
  }

  /** `POST adAccounts/{id}/creatives/{URN}` PARTIAL_UPDATE of `intendedStatus`: shows at once, applies from the next UTC day. */
  partialUpdate(request: PatchRequest, account: AdAccount, segment: string): PatchAnswer {
    requirePartialUpdate(request, 'creative');
    const ad = this.creative(account, segment);
    const set = patchSet(request, ['intendedStatus']);
    const status = WRITABLE_STATUS[String(set.intendedStatus)];
    if (status === undefined)
      throw new LinkedInApiError(422, `intendedStatus: ${String(set.intendedStatus)} cannot be set`, { code: 'INVALID_VALUE' });
    // [U] A removed creative is gone for good, like a removed campaign.
    if (ad.status === 'DELETED')
      throw new LinkedInApiError(400, `Creative ${ad.adId} is REMOVED; its status cannot be changed`, {
        code: 'INVALID_STATUS_TRANSITION',
      });
    this.ads.setStatus(ad.adId, status, this.market.now());
    return patched();
  }

  /** `adAnalytics` with `pivot=CREATIVE`: one element per creative per day with delivery, as SimAds reports it now. */
  analytics(params: Map<string, string>): unknown {
    const { from, to } = this.api.dateRange(params.get('dateRange'));
    const accounts = this.api.urnList(params, 'accounts', ACCOUNT_URN);
    const creatives = this.api.urnList(params, 'creatives', CREATIVE_URN);
    const campaigns = this.api.urnList(params, 'campaigns', CAMPAIGN_URN);
    if (accounts === undefined && creatives === undefined && campaigns === undefined)
      throw paramError('at least one facet (accounts, campaigns, creatives) is required');
    const fields = this.api.fields(params.get('fields'));
    const rows: AdDailyMetric[] = [];
    for (const account of this.api.visibleAccounts(accounts)) {
      const adIds = this.ads
        .ads(account.accountId)
        .filter((ad) => (creatives === undefined || creatives.has(ad.adId)) && (campaigns === undefined || campaigns.has(ad.adsetId)))
        .map((ad) => ad.adId);
      if (adIds.length > 0) rows.push(...this.ads.reportedResults(account.accountId, adIds, from, to));
    }
    rows.sort((a, b) => (a.date === b.date ? Number(a.adId) - Number(b.adId) : a.date < b.date ? -1 : 1));
    // No paging: what is past the cap is dropped without a word, as for campaigns.
    const kept = rows.slice(0, this.api.maxElements);
    return {
      elements: kept.map((row) => this.api.element(row, fields, `${CREATIVE_URN}${row.adId}`)),
      paging: { count: 10, start: 0, links: [] },
    };
  }

  /** The creative a path segment names: a percent-encoded creative URN of this account (404 otherwise). */
  private creative(account: AdAccount, segment: string): Ad {
    if (segment.includes(':'))
      throw new LinkedInApiError(400, `The creative URN in the path must be URL-encoded: ${segment}`, { code: 'ILLEGAL_ARGUMENT' });
    let urn: string;
    try {
      urn = decodeURIComponent(segment);
    } catch {
      throw new LinkedInApiError(400, `bad percent-encoding in ${segment}`, { code: 'ILLEGAL_ARGUMENT' });
    }
    const id = urn.startsWith(CREATIVE_URN) ? urn.slice(CREATIVE_URN.length) : '';
    const ad = /^\d+$/.test(id) ? this.ads.ads(account.accountId).find((a) => a.adId === id) : undefined;
    if (!ad) throw new LinkedInApiError(404, `Creative ${urn} does not exist in account ${account.accountId}`, { code: 'NOT_FOUND' });
    return ad;
  }
}
