/**
 * Meta ad sets and campaign budgets as adpilot reads them: `GET /act_{id}/adsets` (with the campaign's budget, for
 * CBO) mapped to AdSets with their learning phase, and `GET /act_{id}/campaigns` mapped to the budgets that CBO ad
 * sets share. Budgets come in minor units of the account currency.
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { assertMicros, minorToMicros } from '../../model/money.ts';
import { MalformedResponseError } from '../errors.ts';
import { type MetaContext, metaAccountNode, rowField } from './context.ts';
import { type MetaAdSet, MetaAdSetsPage, type MetaCampaign, MetaCampaignsPage } from './schemas.ts';

const ADSET_FIELDS =
  'id,name,campaign_id,campaign{name,daily_budget,lifetime_budget},status,effective_status,daily_budget,lifetime_budget,learning_stage_info';
const CAMPAIGN_FIELDS = 'id,name,status,daily_budget,lifetime_budget';

/** A campaign's budget: under CBO (`budgetLevel: 'campaign'`) the campaign holds it; otherwise its ad sets do. */
export interface MetaCampaignBudget {
  readonly campaignId: string;
  readonly name: string;
  readonly status: AdSet['status'];
  readonly currency: string;
  /** 'campaign' when the campaign holds a daily or lifetime budget (CBO). */
  readonly budgetLevel: AdSet['budgetLevel'];
  /** The campaign's daily budget (micros), or null when it has none (ad-set budgets, or a lifetime budget). */
  readonly dailyBudgetMicros: number | null;
}

const nonZero = (value: string | undefined): value is string => value !== undefined && value !== '0';

/** An ad set's status for adpilot: a paused campaign stops its active ad sets, so they are not ACTIVE for us. */
export function adSetStatus(row: Pick<MetaAdSet, 'status' | 'effective_status'>): AdSet['status'] {
  return row.status === 'ACTIVE' && row.effective_status === 'CAMPAIGN_PAUSED' ? 'PAUSED' : row.status;
}

/** Every ad set of the account, with its own budget or (CBO) its campaign's. */
export async function listAdSets(ctx: MetaContext, account: AdAccount): Promise<AdSet[]> {
  const path = `/${metaAccountNode(account.accountId)}/adsets`;
  const endpoint = ctx.client.endpoint('GET', path);
  const pages = await ctx.collect(path, { fields: ADSET_FIELDS, limit: String(ctx.pageSize) }, MetaAdSetsPage);
  return pages.flatMap((page, p) => page.map((row, i) => toAdSet(row, account, endpoint, p, i)));
}

/** Every campaign of the account with its budget (the budget CBO ad sets share). */
export async function listCampaignBudgets(ctx: MetaContext, account: AdAccount): Promise<MetaCampaignBudget[]> {
  const path = `/${metaAccountNode(account.accountId)}/campaigns`;
  const endpoint = ctx.client.endpoint('GET', path);
  const pages = await ctx.collect(path, { fields: CAMPAIGN_FIELDS, limit: String(ctx.pageSize) }, MetaCampaignsPage);
  return pages.flatMap((page, p) => page.map((row, i) => toCampaignBudget(row, account, endpoint, p, i)));
}

/** A budget Meta gives in minor units of `currency`, as micros; anything else is a MalformedResponseError naming `field`. */
export function budgetMicros(value: string, currency: string, endpoint: string, field: string): number {
  try {
    const micros = minorToMicros(Number(value), currency);
    assertMicros(micros);
    return micros;
  } catch (error) {
    throw new MalformedResponseError(
      `Meta ${endpoint}: ${field} is not a budget in minor units (${JSON.stringify(value)})`,
      { platform: 'meta', endpoint, cause: error },
      field,
    );
  }
}

function toAdSet(row: MetaAdSet, account: AdAccount, endpoint: string, page: number, index: number): AdSet {
  const field = rowField(page, index);
  // An ad set without a budget of its own is funded by its campaign (CBO): the campaign's daily budget is its budget.
  const budgetLevel = nonZero(row.daily_budget) || nonZero(row.lifetime_budget) ? 'adset' : 'campaign';
  const daily = budgetLevel === 'adset' ? row.daily_budget : row.campaign?.daily_budget;
  const dailyField = budgetLevel === 'adset' ? 'daily_budget' : 'campaign.daily_budget';
  const status = adSetStatus(row);
  return {
    platform: 'meta',
    accountId: account.accountId,
    adsetId: row.id,
    campaignId: row.campaign_id,
    name: row.name,
    campaignName: row.campaign?.name ?? '',
    status,
    currency: account.currency,
    dailyBudgetMicros: nonZero(daily) ? budgetMicros(daily, account.currency, endpoint, field(dailyField)) : null,
    budgetLevel,
    // FAIL ("learning limited") and SUCCESS have left the learning phase; only LEARNING is in it.
    learning: row.learning_stage_info?.status === 'LEARNING',
  };
}

function toCampaignBudget(row: MetaCampaign, account: AdAccount, endpoint: string, page: number, index: number): MetaCampaignBudget {
  const field = rowField(page, index);
  return {
    campaignId: row.id,
    name: row.name,
    status: row.status,
    currency: account.currency,
    budgetLevel: nonZero(row.daily_budget) || nonZero(row.lifetime_budget) ? 'campaign' : 'adset',
    dailyBudgetMicros: nonZero(row.daily_budget) ? budgetMicros(row.daily_budget, account.currency, endpoint, field('daily_budget')) : null,
  };
}
