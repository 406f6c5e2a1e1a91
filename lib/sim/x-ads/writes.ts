/**
 * The writes of the fake X Ads API (../shared/PLATFORM_APIS.md §7.1.4): `PUT /12/accounts/:id/campaigns/:id` and
 * `PUT .../line_items/:id` with `daily_budget_amount_local_micro` and/or `entity_status` (ACTIVE | PAUSED) in the
 * query. Only supplied fields change; the whole request is validated before anything is applied, and changes go
 * to the market from the next account-local day (the entity shows them at once). A deleted entity is not found
 * (404), so it can be neither re-activated nor re-budgeted [U].
 */
import type { AdAccount } from '../../model/ads.ts';
import { floorToBillable } from '../../model/money.ts';
import type { MarketSimulator } from '../market.ts';
import { XAdsApiError } from './errors.ts';
import { campaignJson, campaignsOf, type FakeCampaign, fundingInstrumentId, lineItemJson } from './wire.ts';

type Params = ReadonlyMap<string, string>;

/** `PUT /12/accounts/:account_id/campaigns/:campaign_id`: a campaign budget split over its line items, or the status of its live line items. */
export function putCampaign(
  market: MarketSimulator,
  account: AdAccount,
  campaignId: string,
  params: Params,
  echo: Record<string, unknown>,
): unknown {
  const campaign = campaignsOf(market.adsets(account.accountId)).find((c) => c.id === campaignId);
  if (!campaign || campaign.lineItems.every((li) => li.status === 'DELETED'))
    throw new XAdsApiError(404, 'CAMPAIGN_NOT_FOUND', `Campaign ${campaignId} was not found`);
  const budget = budgetParam(account, params);
  const status = statusParam(params);
  if (budget !== undefined && !campaign.campaignBudget)
    throw new XAdsApiError(
      400,
      'INVALID_PARAMETER',
      '[U] this campaign budgets its line items; the fake keeps one budget level per campaign',
      'daily_budget_amount_local_micro',
    );
  if (budget !== undefined) splitCampaignBudget(market, account, campaign, budget);
  // A campaign's status pauses or re-activates its line items; a deleted one stays deleted.
  if (status !== undefined) for (const li of campaign.lineItems) if (li.status !== 'DELETED') market.setStatus(li.adsetId, status);
  const after = campaignsOf(market.adsets(account.accountId)).find((c) => c.id === campaignId) ?? campaign;
  return {
    request: { params: { ...echo, campaign_id: campaignId } },
    data: campaignJson(account, after, fundingInstrumentId(account)),
  };
}

/** `PUT /12/accounts/:account_id/line_items/:line_item_id`: its own daily budget and/or its `entity_status`. */
export function putLineItem(
  market: MarketSimulator,
  account: AdAccount,
  lineItemId: string,
  params: Params,
  echo: Record<string, unknown>,
): unknown {
  const lineItem = market.adsets(account.accountId).find((li) => li.adsetId === lineItemId && li.status !== 'DELETED');
  if (!lineItem) throw new XAdsApiError(404, 'LINE_ITEM_NOT_FOUND', `Line item ${lineItemId} was not found`);
  const budget = budgetParam(account, params);
  const status = statusParam(params);
  if (budget !== undefined && lineItem.budgetLevel === 'campaign')
    throw new XAdsApiError(
      400,
      'INVALID_PARAMETER',
      'daily_budget_amount_local_micro is only available when the campaign budgets its line items',
      'daily_budget_amount_local_micro',
    );
  if (budget !== undefined) market.setDailyBudget(lineItemId, budget);
  // Writing the status it already has is accepted, as every absolute PUT is.
  if (status !== undefined) market.setStatus(lineItemId, status);
  return { request: { params: { ...echo, line_item_id: lineItemId } }, data: lineItemJson(account, market.adset(lineItemId)) };
}

function budgetParam(account: AdAccount, params: Params): number | undefined {
  const text = params.get('daily_budget_amount_local_micro');
  if (text === undefined) return undefined;
  const micros = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(micros))
    throw new XAdsApiError(
      400,
      'INVALID_PARAMETER',
      `Expected Long, got "${text}" for daily_budget_amount_local_micro`,
      'daily_budget_amount_local_micro',
    );
  // [U] X names no billable unit; the fake refuses amounts finer than the currency's minor unit.
  if (floorToBillable(micros, account.currency) !== micros)
    throw new XAdsApiError(
      400,
      'INVALID_PARAMETER',
      `daily_budget_amount_local_micro must be whole ${account.currency} minor units`,
      'daily_budget_amount_local_micro',
    );
  return micros;
}

function statusParam(params: Params): 'ACTIVE' | 'PAUSED' | undefined {
  const status = params.get('entity_status');
  if (status === undefined) return undefined;
  if (status !== 'ACTIVE' && status !== 'PAUSED')
    throw new XAdsApiError(400, 'INVALID_PARAMETER', `Expected one of ACTIVE, PAUSED, got "${status}" for entity_status`, 'entity_status');
  return status;
}

/** A campaign budget split over its line items in proportion to their shares (the remainder to the first). */
function splitCampaignBudget(market: MarketSimulator, account: AdAccount, campaign: FakeCampaign, micros: number): void {
  const shares = campaign.lineItems.map((li) => li.dailyBudgetMicros ?? 0);
  const total = shares.reduce((a, b) => a + b, 0);
  const parts = shares.map((share) =>
    floorToBillable(total === 0 ? Math.floor(micros / shares.length) : Math.floor((micros * share) / total), account.currency),
  );
  parts[0] = (parts[0] ?? 0) + micros - parts.reduce((a, b) => a + b, 0);
  campaign.lineItems.forEach((li, i) => {
    market.setDailyBudget(li.adsetId, parts[i] ?? 0);
  });
}
