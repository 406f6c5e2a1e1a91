/**
 * LinkedIn campaigns as adpilot ad sets: listing them and their campaign groups by status, reading one, mapping
 * its status and `dailyBudget`, and the path and retried PARTIAL_UPDATE every campaign write goes through.
 * A LinkedIn **campaign** is an adpilot ad set (adsetId = campaign id), a **campaign group** an adpilot campaign.
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { PlatformRequestError } from '../errors.ts';
import type { LinkedInContext } from './context.ts';
import { restliValue } from './restli.ts';
import { Campaign, CampaignGroup, type CampaignStatus, type MoneyAmount } from './schemas.ts';
import { type Located, search, statusCriteria } from './search.ts';
import { ACCOUNT_URN, budgetToMicros, CAMPAIGN_GROUP_URN, idOfUrn, idToString } from './values.ts';

/** Campaign statuses read: every one but DRAFT (a draft never served, and has neither metrics nor a live budget). */
export const LISTED_STATUSES: readonly CampaignStatus[] = [
  'ACTIVE',
  'PAUSED',
  'ARCHIVED',
  'COMPLETED',
  'CANCELED',
  'PENDING_DELETION',
  'REMOVED',
];
/** Every campaign status: a creative may sit in a draft campaign. */
export const ALL_CAMPAIGN_STATUSES: readonly CampaignStatus[] = [...LISTED_STATUSES, 'DRAFT'];
const GROUP_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'CANCELED', 'DRAFT', 'PENDING_DELETION', 'REMOVED'];

/** A campaign's LinkedIn status as an adpilot ad set status. */
export const STATUS: Record<CampaignStatus, AdSet['status']> = {
  ACTIVE: 'ACTIVE',
  PAUSED: 'PAUSED',
  DRAFT: 'PAUSED',
  ARCHIVED: 'ARCHIVED',
  // Ended by its schedule or budget, or stopped for good: it no longer delivers, its history stays.
  COMPLETED: 'ARCHIVED',
  CANCELED: 'ARCHIVED',
  PENDING_DELETION: 'DELETED',
  REMOVED: 'DELETED',
};

/** The account's campaigns with these statuses (default: all but DRAFT), each with where it was in its answer. */
export function listCampaigns(
  ctx: LinkedInContext,
  accountId: string,
  statuses: readonly CampaignStatus[] = LISTED_STATUSES,
): Promise<Located<Campaign>[]> {
  return search(ctx, `adAccounts/${restliValue(accountId)}/adCampaigns`, Campaign, statusCriteria(statuses));
}

/** Campaign group id → name, for every group of the account. */
export async function groupNames(ctx: LinkedInContext, accountId: string): Promise<Map<string, string>> {
  const path = `adAccounts/${restliValue(accountId)}/adCampaignGroups`;
  const endpoint = ctx.client.endpoint('GET', path);
  const groups = await search(ctx, path, CampaignGroup, statusCriteria(GROUP_STATUSES));
  return new Map(groups.map(({ value, path: at }) => [ctx.convert(() => idToString(value.id), endpoint, `${at}.id`), value.name]));
}

/** Campaign id → campaign group id of the account's campaigns with these statuses. */
export async function groupsByCampaign(
  ctx: LinkedInContext,
  accountId: string,
  statuses: readonly CampaignStatus[],
): Promise<Map<string, string>> {
  const endpoint = ctx.client.endpoint('GET', `adAccounts/${accountId}/adCampaigns`);
  const groupOf = new Map<string, string>();
  for (const { value, path } of await listCampaigns(ctx, accountId, statuses)) {
    groupOf.set(campaignIdOf(ctx, value, endpoint, path), groupIdOf(ctx, value, endpoint, path));
  }
  return groupOf;
}

/** A listed campaign as an ad set of `account`; `groups` names its campaign group. */
export function toAdSet(
  ctx: LinkedInContext,
  account: AdAccount,
  campaign: Campaign,
  path: string,
  groups: ReadonlyMap<string, string>,
): AdSet {
  const endpoint = ctx.client.endpoint('GET', `adAccounts/${account.accountId}/adCampaigns`);
  const accountId = ctx.convert(() => idOfUrn(campaign.account, ACCOUNT_URN), endpoint, `${path}.account`);
  if (accountId !== account.accountId)
    throw ctx.malformed(endpoint, `${path}.account`, `is account ${accountId}, listed under ${account.accountId}`);
  const campaignId = groupIdOf(ctx, campaign, endpoint, path);
  return {
    platform: 'linkedin',
    accountId: account.accountId,
    adsetId: campaignIdOf(ctx, campaign, endpoint, path),
    campaignId,
    name: campaign.name,
    // Names are labels only: a group missing from its listing leaves the name empty rather than failing the read.
    campaignName: groups.get(campaignId) ?? '',
    status: STATUS[campaign.status],
    currency: account.currency,
    dailyBudgetMicros: dailyBudgetOf(ctx, campaign.dailyBudget, account.currency, endpoint, `${path}.dailyBudget`),
    budgetLevel: 'adset',
    learning: false,
  };
}

/** The campaign's id (an adpilot ad set id). */
function campaignIdOf(ctx: LinkedInContext, campaign: Campaign, endpoint: string, path: string): string {
  return ctx.convert(() => idToString(campaign.id), endpoint, `${path}.id`);
}

/** The id of the campaign's group (an adpilot campaign id). */
function groupIdOf(ctx: LinkedInContext, campaign: Campaign, endpoint: string, path: string): string {
  return ctx.convert(() => idOfUrn(campaign.campaignGroup, CAMPAIGN_GROUP_URN), endpoint, `${path}.campaignGroup`);
}

/** A `dailyBudget` as micros in the account currency; null when the campaign has none (a lifetime budget only). */
export function dailyBudgetOf(
  ctx: LinkedInContext,
  budget: MoneyAmount | undefined,
  currency: string,
  endpoint: string,
  field: string,
): number | null {
  if (budget === undefined) return null;
  if (budget.currencyCode !== currency)
    throw ctx.malformed(endpoint, `${field}.currencyCode`, `is ${budget.currencyCode}, the account currency is ${currency}`);
  return ctx.convert(() => budgetToMicros(budget.amount), endpoint, `${field}.amount`);
}

function campaignPath(adset: AdSet): string {
  return `adAccounts/${restliValue(adset.accountId)}/adCampaigns/${restliValue(adset.adsetId)}`;
}

/** The ad set's campaign as LinkedIn has it now, and the endpoint it was read from. */
export async function getCampaign(ctx: LinkedInContext, adset: AdSet): Promise<{ campaign: Campaign; endpoint: string }> {
  const path = campaignPath(adset);
  const endpoint = ctx.client.endpoint('GET', path);
  const campaign = await ctx.call(() => ctx.client.get(path, [], Campaign));
  const id = campaignIdOf(ctx, campaign, endpoint, '(body)');
  if (id !== adset.adsetId) throw ctx.malformed(endpoint, 'id', `is ${id}, asked for ${adset.adsetId}`);
  return { campaign, endpoint };
}

/** The campaign a write goes to; an ad set of another platform is refused before anything is sent. */
export function writeTarget(ctx: LinkedInContext, adset: AdSet): { path: string; context: { platform: 'linkedin'; endpoint: string } } {
  const path = campaignPath(adset);
  const context = { platform: 'linkedin' as const, endpoint: ctx.client.endpoint('POST', path) };
  if (adset.platform !== 'linkedin') throw new PlatformRequestError(`not a LinkedIn campaign: ${adset.platform} ${adset.adsetId}`, context);
  return { path, context };
}

/** One retried PARTIAL_UPDATE of a campaign: both writes set absolute values, so a retry cannot double anything. */
export function update(ctx: LinkedInContext, path: string, set: Readonly<Record<string, unknown>>): Promise<void> {
  return ctx.call(() => ctx.client.partialUpdate(path, set));
}
