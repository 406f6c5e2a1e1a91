/**
 * Paged lists (`page_size` + `bookmark`, ../shared/PLATFORM_APIS.md §7.2.2): campaigns and ad groups of an ad
 * account, all of them or by id (≤250 ids per request), in the statuses that can have spend.
 */
import type { z } from 'zod';
import { chunks } from '../slices.ts';
import type { PinterestContext } from './context.ts';
import { Ad, AdGroup, Campaign, paginated } from './schemas.ts';

/** Largest `page_size`, and most ids per filter. */
export const MAX_PAGE_SIZE = 250;
/** Statuses listed: drafts never delivered, so they have no metrics and no budget to manage. */
export const LISTED_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED'];

const AdGroupPage = paginated(AdGroup);
const CampaignPage = paginated(Campaign);
const AdPage = paginated(Ad);

/** An entity with where it sat in the answers, for error messages. */
export interface Listed<T> {
  readonly item: T;
  readonly path: string;
}

/** Every campaign of the account, or those of `ids`. */
export function listCampaigns(
  ctx: PinterestContext,
  accountId: string,
  pageSize: number,
  ids?: readonly string[],
): Promise<Listed<Campaign>[]> {
  return byIds(ids, (chunk) => pages(ctx, `ad_accounts/${accountId}/campaigns`, { campaign_ids: chunk }, CampaignPage, pageSize));
}

/** Every ad group of the account, or those of `ids`. */
export function listAdGroups(
  ctx: PinterestContext,
  accountId: string,
  pageSize: number,
  ids?: readonly string[],
): Promise<Listed<AdGroup>[]> {
  return byIds(ids, (chunk) => pages(ctx, `ad_accounts/${accountId}/ad_groups`, { ad_group_ids: chunk }, AdGroupPage, pageSize));
}

/** The ads of `ids` (`ad_ids`, ≤250 per request). */
export function listAds(ctx: PinterestContext, accountId: string, pageSize: number, ids: readonly string[]): Promise<Listed<Ad>[]> {
  return byIds(ids, (chunk) => pages(ctx, `ad_accounts/${accountId}/ads`, { ad_ids: chunk }, AdPage, pageSize));
}

/** One ad group by id with its campaign (undefined when the campaign is not listed); a missing ad group is malformed. */
export async function adGroupWithCampaign(
  ctx: PinterestContext,
  accountId: string,
  pageSize: number,
  adGroupId: string,
): Promise<{ group: Listed<AdGroup>; campaign: Listed<Campaign> | undefined }> {
  const [group] = await listAdGroups(ctx, accountId, pageSize, [adGroupId]);
  if (!group || group.item.id !== adGroupId)
    throw ctx.malformed(ctx.client.endpoint('GET', `ad_accounts/${accountId}/ad_groups`), 'items', `does not hold ad group ${adGroupId}`);
  const [campaign] = await listCampaigns(ctx, accountId, pageSize, [group.item.campaign_id]);
  return { group, campaign: campaign?.item.id === group.item.campaign_id ? campaign : undefined };
}

async function byIds<T>(ids: readonly string[] | undefined, list: (chunk: readonly string[] | undefined) => Promise<T[]>): Promise<T[]> {
  if (ids === undefined) return list(undefined);
  const out: T[] = [];
  for (const chunk of chunks(ids, MAX_PAGE_SIZE)) out.push(...(await list(chunk)));
  return out;
}

async function pages<T>(
  ctx: PinterestContext,
  path: string,
  filter: Readonly<Record<string, readonly string[] | undefined>>,
  schema: z.ZodType<{ items: T[]; bookmark?: string | null | undefined }>,
  pageSize: number,
): Promise<Listed<T>[]> {
  const out: Listed<T>[] = [];
  const seen = new Set<string>();
  let bookmark: string | undefined;
  for (let number = 1; ; number++) {
    const params = { ...filter, entity_statuses: LISTED_STATUSES, page_size: pageSize, order: 'ASCENDING', bookmark };
    const page = await ctx.call(() => ctx.client.get(path, params, schema));
    if (page.items.length > pageSize) {
      throw ctx.malformed(ctx.client.endpoint('GET', path), 'items', `holds ${page.items.length} items, more than page_size ${pageSize}`);
    }
    out.push(...page.items.map((item, i) => ({ item, path: `items[${i}] (page ${number})` })));
    if (page.bookmark === null || page.bookmark === undefined) return out;
    // A bookmark seen before would loop forever.
    if (seen.has(page.bookmark)) throw ctx.malformed(ctx.client.endpoint('GET', path), 'bookmark', `repeats on page ${number}`);
    seen.add(page.bookmark);
    bookmark = page.bookmark;
  }
}
