/**
 * Daily budgets of LinkedIn campaigns: `dailyBudget: {amount: "150.00", currencyCode}` on the campaign, read from
 * the campaign and written with a Rest.li PARTIAL_UPDATE then read back. A campaign with only a lifetime
 * (`totalBudget`) budget has no daily budget, and adpilot does not add one.
 */
import type { AdSet } from '../../model/ads.ts';
import { PlatformRequestError } from '../errors.ts';
import type { BudgetWrite } from '../port.ts';
import { dailyBudgetOf, getCampaign, update, writeTarget } from './campaigns.ts';
import type { LinkedInContext } from './context.ts';
import type { MoneyAmount } from './schemas.ts';
import { budgetAmount } from './values.ts';

/** The campaign's daily budget in micros; null for a campaign with a lifetime budget only. */
export async function getDailyBudget(ctx: LinkedInContext, adset: AdSet): Promise<number | null> {
  const { campaign, endpoint } = await getCampaign(ctx, adset);
  return dailyBudgetOf(ctx, campaign.dailyBudget, adset.currency, endpoint, 'dailyBudget');
}

/**
 * Writes the campaign's `dailyBudget` as a decimal string in the account currency, rounded DOWN to the billable
 * unit, with a Rest.li PARTIAL_UPDATE, then reads it back. Setting an absolute amount is idempotent, so the
 * update is retried like a read. LinkedIn has no dry run: with `validateOnly` the amount is checked here,
 * nothing is sent, and the current budget is read back.
 */
export async function setDailyBudget(
  ctx: LinkedInContext,
  adset: AdSet,
  dailyBudgetMicros: number,
  options: { validateOnly?: boolean },
): Promise<BudgetWrite> {
  const { path, context } = writeTarget(ctx, adset);
  if (!Number.isSafeInteger(dailyBudgetMicros) || dailyBudgetMicros < 0) {
    throw new PlatformRequestError(`a daily budget is whole micros >= 0, got ${dailyBudgetMicros}`, context);
  }
  const before = await getCampaign(ctx, adset);
  const current = before.campaign.dailyBudget;
  if (current === undefined) {
    throw new PlatformRequestError(
      `campaign ${adset.adsetId} has no daily budget (a lifetime budget only); adpilot does not add one`,
      context,
    );
  }
  if (current.currencyCode !== adset.currency) {
    throw new PlatformRequestError(
      `campaign ${adset.adsetId} budgets in ${current.currencyCode}, not the ad set currency ${adset.currency}`,
      context,
    );
  }
  const { appliedMicros, amount } = budgetAmount(dailyBudgetMicros, adset.currency);
  if (options.validateOnly) {
    return { appliedMicros, readBackMicros: requireDailyBudget(ctx, current, adset, before.endpoint) };
  }
  await update(ctx, path, { dailyBudget: { amount, currencyCode: adset.currency } });
  const after = await getCampaign(ctx, adset);
  return { appliedMicros, readBackMicros: requireDailyBudget(ctx, after.campaign.dailyBudget, adset, after.endpoint) };
}

function requireDailyBudget(ctx: LinkedInContext, budget: MoneyAmount | undefined, adset: AdSet, endpoint: string): number {
  const micros = dailyBudgetOf(ctx, budget, adset.currency, endpoint, 'dailyBudget');
  if (micros === null) throw ctx.malformed(endpoint, 'dailyBudget', 'is missing on read-back');
  return micros;
}
