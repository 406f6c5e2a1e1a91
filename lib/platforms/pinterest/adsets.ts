/**
 * Pinterest ad groups as adpilot ad sets. A campaign with `is_campaign_budget_optimization` (CBO) holds the
 * budget (`daily_spend_cap`): its ad groups (budget_type CBO_ADGROUP) get budgetLevel 'campaign' and the
 * campaign's daily cap, the same for each. Otherwise a DAILY ad group holds its `budget_in_micro_currency`;
 * a LIFETIME budget (or a CBO lifetime cap) is no daily budget: null.
 */
import type { AdAccount, AdSet, BudgetLevel } from '../../model/ads.ts';
import type { PinterestContext } from './context.ts';
import type { AdGroup, Campaign, EntityStatus } from './schemas.ts';
import { int64 } from './values.ts';

const STATUS: Record<EntityStatus, AdSet['status']> = {
  ACTIVE: 'ACTIVE',
  PAUSED: 'PAUSED',
  ARCHIVED: 'ARCHIVED',
  // A draft never delivers.
  DRAFT: 'PAUSED',
  DELETED_DRAFT: 'DELETED',
};

/** The adpilot status of a Pinterest entity status (an ad's own, for ads). */
export function statusOfEntity(status: EntityStatus): AdSet['status'] {
  return STATUS[status];
}

/** Where the budget of an ad group lives and how much it is per day (micros), null without a daily budget. */
export interface BudgetHolder {
  readonly level: BudgetLevel;
  readonly dailyMicros: number | null;
}

/** True when the ad group is funded by its campaign. */
export function isCampaignFunded(group: AdGroup, campaign: Campaign | undefined): boolean {
  return group.budget_type === 'CBO_ADGROUP' || campaign?.is_campaign_budget_optimization === true;
}

/** The budget that governs `group`; `field` names it in errors (e.g. `items[3] (page 1)`). */
export function budgetOf(
  ctx: PinterestContext,
  group: { item: AdGroup; path: string },
  campaign: { item: Campaign; path: string } | undefined,
  endpoints: { adGroups: string; campaigns: string },
): BudgetHolder {
  if (isCampaignFunded(group.item, campaign?.item)) {
    if (!campaign) return { level: 'campaign', dailyMicros: null };
    const cap = campaign.item.daily_spend_cap;
    if (cap === null || cap === undefined) return { level: 'campaign', dailyMicros: null };
    return { level: 'campaign', dailyMicros: ctx.convert(() => int64(cap), endpoints.campaigns, `${campaign.path}.daily_spend_cap`) };
  }
  if (group.item.budget_type !== 'DAILY') return { level: 'adset', dailyMicros: null };
  const budget = group.item.budget_in_micro_currency;
  if (budget === null || budget === undefined) {
    throw ctx.malformed(endpoints.adGroups, `${group.path}.budget_in_micro_currency`, 'is missing on a DAILY ad group');
  }
  return { level: 'adset', dailyMicros: ctx.convert(() => int64(budget), endpoints.adGroups, `${group.path}.budget_in_micro_currency`) };
}

/** The adpilot status of an ad group: a paused or archived campaign makes an active ad group PAUSED (it cannot deliver). */
export function adSetStatus(group: AdGroup, campaign: Campaign | undefined): AdSet['status'] {
  const campaignStopped = campaign !== undefined && campaign.status !== 'ACTIVE';
  return group.status === 'ACTIVE' && campaignStopped ? 'PAUSED' : STATUS[group.status];
}

/** The ad set of a listed ad group, its status by adSetStatus. */
export function toAdSet(account: AdAccount, group: AdGroup, campaign: Campaign | undefined, budget: BudgetHolder): AdSet {
  const status = adSetStatus(group, campaign);
  return {
    platform: 'pinterest',
    accountId: account.accountId,
    adsetId: group.id,
    campaignId: group.campaign_id,
    name: group.name,
    campaignName: campaign?.name ?? '',
    status,
    currency: account.currency,
    dailyBudgetMicros: budget.dailyMicros,
    budgetLevel: budget.level,
    learning: false,
  };
}
