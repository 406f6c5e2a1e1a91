/**
 * Ad accounts, campaigns and campaign groups of the fake LinkedIn API: the market's linkedin accounts, its ad sets
 * as LinkedIn campaigns and their market campaigns as campaign groups, in LinkedIn's JSON; the `q=search` finders
 * on campaigns and groups; and the campaign PARTIAL_UPDATE of `dailyBudget` and `status`.
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { decimalToMicros, floorToBillable } from '../../model/money.ts';
import type { MarketSimulator } from '../market.ts';
import { LinkedInApiError } from './errors.ts';
import { page, searchStatuses } from './params.ts';
import {
  ACCOUNT_URN,
  amountText,
  CAMPAIGN_GROUP_URN,
  isRecord,
  type PatchAnswer,
  type PatchRequest,
  patched,
  patchSet,
  requirePartialUpdate,
} from './wire.ts';

const CAMPAIGN_STATUS: Record<AdSet['status'], string> = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED', DELETED: 'REMOVED' };
const WRITABLE_STATUS: Record<string, AdSet['status']> = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED' };

/** A market account as a LinkedIn ad account (`GET adAccounts/{id}`). */
export function accountJson(account: AdAccount): unknown {
  return {
    id: Number(account.accountId),
    name: account.name,
    currency: account.currency,
    status: 'ACTIVE',
    type: 'BUSINESS',
    reference: `urn:li:organization:${account.accountId}`,
    servingStatuses: ['RUNNABLE'],
    test: false,
    version: { versionTag: '1' },
  };
}

/** A market ad set as a LinkedIn campaign. */
export function campaignJson(adset: AdSet): Record<string, unknown> & { status: string } {
  return {
    id: Number(adset.adsetId),
    name: adset.name,
    account: `${ACCOUNT_URN}${adset.accountId}`,
    campaignGroup: `${CAMPAIGN_GROUP_URN}${adset.campaignId}`,
    status: CAMPAIGN_STATUS[adset.status],
    type: 'SPONSORED_UPDATES',
    costType: 'CPM',
    objectiveType: 'WEBSITE_CONVERSION',
    ...(adset.dailyBudgetMicros === null
      ? {}
      : { dailyBudget: { amount: amountText(adset.dailyBudgetMicros, adset.currency), currencyCode: adset.currency } }),
    version: { versionTag: '1' },
  };
}

/** `GET adAccounts/{id}/adCampaigns?q=search…`: the account's campaigns with the statuses searched for, paged. */
export function campaignSearch(market: MarketSimulator, params: Map<string, string>, account: AdAccount): unknown {
  const statuses = searchStatuses(params);
  const campaigns = market
    .adsets(account.accountId)
    .map(campaignJson)
    .filter((c) => statuses === undefined || statuses.has(c.status));
  return page(params, campaigns);
}

/** `GET adAccounts/{id}/adCampaignGroups?q=search…`: the groups of the account's campaigns (all ACTIVE), paged. */
export function groupSearch(market: MarketSimulator, params: Map<string, string>, account: AdAccount): unknown {
  const statuses = searchStatuses(params);
  const groups = new Map<string, Record<string, unknown>>();
  for (const adset of market.adsets(account.accountId)) {
    if (groups.has(adset.campaignId)) continue;
    groups.set(adset.campaignId, {
      id: Number(adset.campaignId),
      name: adset.campaignName,
      account: `${ACCOUNT_URN}${account.accountId}`,
      status: 'ACTIVE',
      test: false,
    });
  }
  const all = [...groups.values()].filter((g) => statuses === undefined || statuses.has(String(g.status)));
  return page(params, all);
}

/** `POST adAccounts/{id}/adCampaigns/{id}` PARTIAL_UPDATE of `dailyBudget` and/or `status`: all or nothing, a 204. */
export function updateCampaign(market: MarketSimulator, request: PatchRequest, account: AdAccount, adset: AdSet): PatchAnswer {
  requirePartialUpdate(request, 'campaign');
  const set = patchSet(request, ['dailyBudget', 'status']);
  let budgetMicros: number | undefined;
  if (set.dailyBudget !== undefined) budgetMicros = budgetOf(set.dailyBudget, account);
  let status: AdSet['status'] | undefined;
  if (set.status !== undefined) {
    status = WRITABLE_STATUS[String(set.status)];
    if (status === undefined) throw new LinkedInApiError(422, `status: ${String(set.status)} cannot be set`, { code: 'INVALID_VALUE' });
    // [U] A removed campaign is gone for good: LinkedIn takes no status change for it.
    if (adset.status === 'DELETED')
      throw new LinkedInApiError(400, `Campaign ${adset.adsetId} is ${CAMPAIGN_STATUS.DELETED}; its status cannot be changed`, {
        code: 'INVALID_STATUS_TRANSITION',
      });
  }
  // Validated whole before anything is applied, so a rejected patch changes nothing.
  if (budgetMicros !== undefined) market.setDailyBudget(adset.adsetId, budgetMicros);
  if (status !== undefined) market.setStatus(adset.adsetId, status);
  return patched();
}

function budgetOf(value: unknown, account: AdAccount): number {
  if (!isRecord(value) || typeof value.amount !== 'string' || typeof value.currencyCode !== 'string')
    throw new LinkedInApiError(422, 'dailyBudget must be {"amount":"<decimal>","currencyCode":"<ISO 4217>"}', { code: 'INVALID_VALUE' });
  if (value.currencyCode !== account.currency)
    throw new LinkedInApiError(
      422,
      `dailyBudget.currencyCode ${value.currencyCode} differs from the account currency ${account.currency}`,
      {
        code: 'INVALID_VALUE',
      },
    );
  let micros: number;
  try {
    if (!/^\d+(\.\d+)?$/.test(value.amount)) throw new Error('not a decimal');
    micros = decimalToMicros(value.amount);
  } catch {
    throw new LinkedInApiError(422, `dailyBudget.amount ${JSON.stringify(value.amount)} is not a decimal amount`, {
      code: 'INVALID_VALUE',
    });
  }
  if (floorToBillable(micros, account.currency) !== micros)
    throw new LinkedInApiError(422, `dailyBudget.amount has too many decimals for ${account.currency}`, { code: 'INVALID_VALUE' });
  return micros;
}
