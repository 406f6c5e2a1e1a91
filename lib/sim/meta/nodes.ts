/**
 * Every field of the fake Graph API's account and ad-set nodes, as Graph writes them (campaign nodes are in
 * campaigns.ts, ad nodes in ads.ts). The routes pick the requested fields from these.
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { zoneOffsetMinutes } from '../../model/dates.ts';
import { microsToMinorFloor } from '../../model/money.ts';
import { campaignNode, type FakeCampaign } from './campaigns.ts';
import type { LearningStageInfo } from './learning.ts';

/** Every field of an ad account node at `now` (the UTC offset of its time zone changes with daylight saving). */
export function accountNode(account: AdAccount, now: Date): Record<string, unknown> {
  return {
    id: account.accountId,
    account_id: account.accountId.replace(/^act_/, ''),
    name: account.name,
    currency: account.currency,
    timezone_name: account.timezone,
    timezone_offset_hours_utc: zoneOffsetMinutes(now, account.timezone) / 60,
    account_status: 1,
  };
}

/** Every field of an ad set node; `learning_stage_info` only when the caller computed it (it reads the market's history). */
export function adsetNode(
  adset: AdSet,
  campaign: FakeCampaign | undefined,
  billingEvent: string,
  learningStage: LearningStageInfo | undefined,
): Record<string, unknown> {
  const budgetMinor = adset.dailyBudgetMicros === null ? undefined : String(microsToMinorFloor(adset.dailyBudgetMicros, adset.currency));
  const holdsBudget = adset.budgetLevel === 'adset';
  return {
    id: adset.adsetId,
    account_id: adset.accountId.replace(/^act_/, ''),
    name: adset.name,
    campaign_id: adset.campaignId,
    campaign: campaign ? campaignNode(campaign) : { id: adset.campaignId, name: adset.campaignName },
    status: adset.status,
    configured_status: adset.status,
    effective_status: adset.status,
    billing_event: billingEvent,
    optimization_goal: 'OFFSITE_CONVERSIONS',
    // A CBO ad set carries no budget of its own: Graph leaves both fields out.
    daily_budget: holdsBudget ? budgetMinor : undefined,
    lifetime_budget: holdsBudget ? '0' : undefined,
    budget_remaining: holdsBudget ? budgetMinor : undefined,
    learning_stage_info: learningStage,
  };
}
