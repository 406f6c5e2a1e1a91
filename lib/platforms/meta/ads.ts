/**
 * The Meta connector's ad level (an AdLevelSource): ads listed from `GET /act_{id}/ads` filtered on `id`, daily
 * insights at `level=ad` filtered on `ad.id` (PLATFORM_APIS.md §1: the same edge, params and paging as the ad-set
 * rows, sync up to `asyncAfterDays` days and async report runs beyond), and the status write `POST /{ad_id}` read
 * back from `GET /{ad_id}`. The ads edge, its `filtering` on `id` and the ad status write are not in
 * PLATFORM_APIS.md: **[U]**, shaped like their ad-set counterparts as the Graph API documents them.
 */
import type { Ad, AdAccount, AdDailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import type { AdLevelSource } from '../ads.ts';
import type { StatusWrite, WritableStatus } from '../port.ts';
import { idChunks } from '../slices.ts';
import { type MetaContext, metaAccountNode } from './context.ts';
import type { MetaInsights } from './insights.ts';
import { type MetaAd, MetaAdsPage } from './schemas.ts';
import { writeStatus } from './statuses.ts';

/** Ad ids per `filtering` IN list ([U]: Meta documents no limit; kept small so a URL stays short). */
export const MAX_AD_IDS_PER_CALL = 50;
const AD_FIELDS = 'id,name,adset_id,campaign_id,status,effective_status';
export const AD_INSIGHTS_FIELDS =
  'account_currency,campaign_id,adset_id,ad_id,date_start,date_stop,spend,impressions,clicks,actions,action_values';

/** An ad's status for adpilot: an ACTIVE ad whose campaign or ad set is paused does not deliver, so it is PAUSED. */
export function adStatus(row: Pick<MetaAd, 'status' | 'effective_status'>): Ad['status'] {
  const stopped = row.effective_status === 'CAMPAIGN_PAUSED' || row.effective_status === 'ADSET_PAUSED';
  return row.status === 'ACTIVE' && stopped ? 'PAUSED' : row.status;
}

/** The ad level over a connector's context and its insights reads. */
export class MetaAdLevel implements AdLevelSource {
  constructor(
    private readonly ctx: MetaContext,
    private readonly insights: MetaInsights,
  ) {}

  /** `GET /act_{id}/ads?filtering=[{"field":"id","operator":"IN","value":[…]}]`, 50 ids per call; unknown ids are absent. */
  async getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    const path = `/${metaAccountNode(account.accountId)}/ads`;
    const out: Ad[] = [];
    for (const chunk of idChunks(adIds, MAX_AD_IDS_PER_CALL)) {
      const params = {
        fields: AD_FIELDS,
        filtering: JSON.stringify([{ field: 'id', operator: 'IN', value: chunk }]),
        limit: String(this.ctx.pageSize),
      };
      const pages = await this.ctx.collect(path, params, MetaAdsPage);
      for (const row of pages.flat()) out.push(this.toAd(row, account));
    }
    return out;
  }

  /**
   * Insights per ad per account-local day (`level=ad`, `time_increment=1`, filtering `ad.id` IN, 50 ads per call),
   * through the ad-set path's sync/async choice. Rows come back only when every page of every part parsed.
   */
  async fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    const out: AdDailyMetric[] = [];
    for (const chunk of idChunks(adIds, MAX_AD_IDS_PER_CALL)) {
      const params = {
        level: 'ad',
        time_increment: '1',
        filtering: JSON.stringify([{ field: 'ad.id', operator: 'IN', value: chunk }]),
        fields: AD_INSIGHTS_FIELDS,
      };
      const chunks = await this.insights.adInsights(account, params, from, to);
      for (const part of chunks) {
        part.pages.forEach((page, p) => {
          page.forEach((row, i) => {
            out.push({ ...this.insights.toDailyMetric(row, account, part.endpoint, p, i), adId: row.ad_id });
          });
        });
      }
    }
    return out;
  }

  /**
   * Pauses or re-activates one ad (`POST /{ad_id}` with `status`, retried like the ad-set write), then reads `status`
   * and `effective_status` back. A mismatch (e.g. ACTIVE in a paused ad set) is a PlatformRequestError naming both.
   */
  setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    return writeStatus(this.ctx, { id: ad.adId, what: 'ad', platform: ad.platform }, status, adStatus);
  }

  private toAd(row: MetaAd, account: AdAccount): Ad {
    return {
      platform: 'meta',
      accountId: account.accountId,
      adId: row.id,
      adsetId: row.adset_id,
      campaignId: row.campaign_id,
      name: row.name,
      status: adStatus(row),
    };
  }
}
