/**
 * The LinkedIn connector's ad level (an AdLevelSource): a **creative** is an adpilot ad (adsetId = its campaign,
 * campaignId = that campaign's group). Creatives are listed with `GET adAccounts/{id}/creatives?q=criteria&creatives=List(<URN>,…)`
 * (pageToken pages) [U], reported with `adAnalytics?q=analytics&pivot=CREATIVE&creatives=List(…)` sliced like
 * campaign reads, and paused with a PARTIAL_UPDATE of `intendedStatus` on `adAccounts/{id}/creatives/{URN}` [U],
 * read back by GET.
 */
import type { Ad, AdAccount, AdDailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import { PlatformRequestError } from '../errors.ts';
import type { StatusWrite, WritableStatus } from '../port.ts';
import { idChunks } from '../slices.ts';
import { analytics } from './analytics.ts';
import { ALL_CAMPAIGN_STATUSES, groupsByCampaign, update } from './campaigns.ts';
import type { LinkedInContext } from './context.ts';
import { restliList, restliValue } from './restli.ts';
import { Creative, type CreativeStatus } from './schemas.ts';
import { type Located, search } from './search.ts';
import { checkReadBack, requireWritable } from './statuses.ts';
import { CAMPAIGN_URN, CREATIVE_URN, idOfUrn } from './values.ts';

const CREATIVE_STATUS: Record<CreativeStatus, Ad['status']> = {
  ACTIVE: 'ACTIVE',
  PAUSED: 'PAUSED',
  DRAFT: 'PAUSED',
  ARCHIVED: 'ARCHIVED',
  CANCELED: 'ARCHIVED',
  PENDING_DELETION: 'DELETED',
  REMOVED: 'DELETED',
};

/** The creatives with these ids (any status) and their campaign and group; ids not found are absent. */
export async function getAds(ctx: LinkedInContext, account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
  const wanted = [...new Set(adIds)].filter((id) => /^\d+$/.test(id));
  if (wanted.length === 0) return [];
  const path = `adAccounts/${restliValue(account.accountId)}/creatives`;
  const endpoint = ctx.client.endpoint('GET', path);
  const found: Located<Creative>[] = [];
  for (const chunk of idChunks(wanted, ctx.limits.maxCampaigns)) {
    const criteria: [string, string][] = [
      ['q', 'criteria'],
      ['creatives', restliList(chunk.map((id) => `${CREATIVE_URN}${id}`))],
    ];
    found.push(...(await search(ctx, path, Creative, criteria)));
  }
  const groupOf = await groupsByCampaign(ctx, account.accountId, ALL_CAMPAIGN_STATUSES);
  const asked = new Set(wanted);
  const seen = new Set<string>();
  return found.map(({ value, path: at }) => {
    const ad = toAd(ctx, account, value, at, endpoint, groupOf);
    if (!asked.has(ad.adId)) throw ctx.malformed(endpoint, `${at}.id`, `is creative ${ad.adId}, which was not asked for`);
    if (seen.has(ad.adId)) throw ctx.malformed(endpoint, `${at}.id`, `repeats creative ${ad.adId}`);
    seen.add(ad.adId);
    return ad;
  });
}

/** One row per creative per UTC day with delivery (`pivot=CREATIVE`); creatives not found have no rows. */
export async function fetchAdDailyMetrics(
  ctx: LinkedInContext,
  account: AdAccount,
  adIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): Promise<AdDailyMetric[]> {
  if (from > to) return [];
  const ads = await getAds(ctx, account, adIds);
  if (ads.length === 0) return [];
  const parents = new Map(ads.map((ad) => [ad.adId, { adsetId: ad.adsetId, campaignId: ad.campaignId }]));
  const rows = await analytics(ctx, account, { urn: CREATIVE_URN, what: 'creative', parents }, from, to);
  return rows.map(({ id, row }) => ({ ...row, adId: id }));
}

/**
 * Sets the creative's `intendedStatus` to ACTIVE or PAUSED with a Rest.li PARTIAL_UPDATE on
 * `adAccounts/{id}/creatives/{URN}` [U], then reads the creative back. Idempotent like the campaign status
 * write, so it is retried like a read; a refusal is LinkedIn's 4xx, a PlatformRequestError.
 */
export async function setAdStatus(ctx: LinkedInContext, ad: Ad, status: WritableStatus): Promise<StatusWrite> {
  const path = creativePath(ad);
  const context = { platform: 'linkedin' as const, endpoint: ctx.client.endpoint('POST', path) };
  if (ad.platform !== 'linkedin') throw new PlatformRequestError(`not a LinkedIn creative: ${ad.platform} ${ad.adId}`, context);
  requireWritable(status, context);
  await update(ctx, path, { intendedStatus: status });
  const endpoint = ctx.client.endpoint('GET', path);
  const creative = await ctx.call(() => ctx.client.get(path, [], Creative));
  const id = ctx.convert(() => idOfUrn(creative.id, CREATIVE_URN), endpoint, 'id');
  if (id !== ad.adId) throw ctx.malformed(endpoint, 'id', `is creative ${id}, asked for ${ad.adId}`);
  return checkReadBack(context, `creative ${ad.adId}`, status, creative.intendedStatus, CREATIVE_STATUS[creative.intendedStatus]);
}

function toAd(
  ctx: LinkedInContext,
  account: AdAccount,
  creative: Creative,
  path: string,
  endpoint: string,
  groupOf: ReadonlyMap<string, string>,
): Ad {
  const adId = ctx.convert(() => idOfUrn(creative.id, CREATIVE_URN), endpoint, `${path}.id`);
  const adsetId = ctx.convert(() => idOfUrn(creative.campaign, CAMPAIGN_URN), endpoint, `${path}.campaign`);
  const campaignId = groupOf.get(adsetId);
  if (campaignId === undefined)
    throw ctx.malformed(endpoint, `${path}.campaign`, `is campaign ${adsetId}, which is not a campaign of account ${account.accountId}`);
  return {
    platform: 'linkedin',
    accountId: account.accountId,
    adId,
    adsetId,
    campaignId,
    name: creative.name ?? '',
    status: CREATIVE_STATUS[creative.intendedStatus],
  };
}

function creativePath(ad: Ad): string {
  return `adAccounts/${restliValue(ad.accountId)}/creatives/${restliValue(`${CREATIVE_URN}${ad.adId}`)}`;
}
