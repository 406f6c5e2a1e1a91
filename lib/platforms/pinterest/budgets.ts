/**
 * Batch daily-budget writes (../shared/PLATFORM_APIS.md §7.2.4): ad group budgets with
 * `PATCH /v5/ad_accounts/{id}/ad_groups` and CBO campaign caps with `PATCH .../campaigns`, ≤30 items per call.
 * Each item that comes back with `exceptions` (or without data) fails alone as a PinterestItemError; the others
 * stand. Every written entity is then read back. Setting an absolute amount is idempotent, so a PATCH is retried
 * like a read.
 */
import type { AdSet } from '../../model/ads.ts';
import { type PlatformError, PlatformRequestError } from '../errors.ts';
import type { BudgetWrite } from '../port.ts';
import { chunks } from '../slices.ts';
import { budgetOf } from './adsets.ts';
import type { PinterestContext } from './context.ts';
import { PinterestItemError } from './errors.ts';
import { listAdGroups, listCampaigns } from './lists.ts';
import { itemRefusal, type PatchItem } from './patch-items.ts';
import { AdGroupPatch, type Campaign, CampaignPatch } from './schemas.ts';
import { billableBudget } from './values.ts';

/** Items per batch PATCH. */
export const MAX_PATCH_ITEMS = 30;

export interface BudgetRequest {
  readonly adset: AdSet;
  readonly dailyBudgetMicros: number;
}

/** What happened to one requested budget. */
export type BudgetOutcome =
  | { readonly adsetId: string; readonly ok: true; readonly write: BudgetWrite }
  | { readonly adsetId: string; readonly ok: false; readonly error: PlatformError };

interface Planned {
  readonly index: number;
  readonly adset: AdSet;
  readonly appliedMicros: number;
  /** The entity written: the ad group, or its CBO campaign. */
  readonly target: { readonly kind: 'ad-group' | 'campaign'; readonly id: string };
}

/** Writes budgets of ad sets of one account (rounded down to billable amounts) and reads them back; with `validateOnly`, writes nothing. */
export async function writeBudgets(
  ctx: PinterestContext,
  accountId: string,
  requests: readonly BudgetRequest[],
  options: { readonly validateOnly: boolean; readonly pageSize: number },
): Promise<BudgetOutcome[]> {
  const adGroupsPath = `ad_accounts/${accountId}/ad_groups`;
  const campaignsPath = `ad_accounts/${accountId}/campaigns`;
  const endpoints = { adGroups: ctx.client.endpoint('GET', adGroupsPath), campaigns: ctx.client.endpoint('GET', campaignsPath) };
  const outcomes: (BudgetOutcome | undefined)[] = requests.map(() => undefined);
  const fail = (index: number, error: PlatformError) => {
    outcomes[index] = { adsetId: requests[index]?.adset.adsetId ?? '', ok: false, error };
  };
  const refuse = (index: number, why: string, endpoint = ctx.client.endpoint('PATCH', adGroupsPath)) =>
    fail(index, new PlatformRequestError(`Pinterest ${endpoint}: ${why}`, { platform: 'pinterest', endpoint }));

  const valid: { index: number; request: BudgetRequest }[] = [];
  requests.forEach((request, index) => {
    const { adset, dailyBudgetMicros } = request;
    if (adset.platform !== 'pinterest') refuse(index, `not a Pinterest ad group: ${adset.platform} ${adset.adsetId}`);
    else if (adset.accountId !== accountId) refuse(index, `ad group ${adset.adsetId} is not in ad account ${accountId}`);
    else if (!Number.isSafeInteger(dailyBudgetMicros) || dailyBudgetMicros < 0) {
      refuse(index, `a daily budget is whole micros >= 0, got ${dailyBudgetMicros}`);
    } else valid.push({ index, request });
  });

  // The state now decides where each budget lives (a campaign may have switched to CBO since the list).
  const groups = new Map(
    (
      await listAdGroups(
        ctx,
        accountId,
        options.pageSize,
        valid.map((v) => v.request.adset.adsetId),
      )
    ).map((g) => [g.item.id, g]),
  );
  const campaignIds = [...new Set([...groups.values()].map((g) => g.item.campaign_id))];
  const campaigns = new Map((await listCampaigns(ctx, accountId, options.pageSize, campaignIds)).map((c) => [c.item.id, c]));
  const planned: Planned[] = [];
  for (const { index, request } of valid) {
    const group = groups.get(request.adset.adsetId);
    if (!group) {
      refuse(index, `ad group ${request.adset.adsetId} was not found in ad account ${accountId}`);
      continue;
    }
    const campaign = campaigns.get(group.item.campaign_id);
    const budget = budgetOf(ctx, group, campaign, endpoints);
    const appliedMicros = billableBudget(request.dailyBudgetMicros, request.adset.currency);
    if (budget.level === 'campaign') {
      if (!campaign || campaign.item.daily_spend_cap === null || campaign.item.daily_spend_cap === undefined) {
        refuse(index, `ad group ${group.item.id} is funded by campaign ${group.item.campaign_id}, which has no daily spend cap`);
        continue;
      }
      planned.push({ index, adset: request.adset, appliedMicros, target: { kind: 'campaign', id: campaign.item.id } });
    } else if (budget.dailyMicros === null) {
      refuse(index, `ad group ${group.item.id} has a lifetime budget, not a daily one`);
    } else {
      planned.push({ index, adset: request.adset, appliedMicros, target: { kind: 'ad-group', id: group.item.id } });
    }
  }
  // Two ad sets of one CBO campaign asking for different caps cannot both be honoured.
  const byCampaign = new Map<string, Planned[]>();
  for (const p of planned.filter((p) => p.target.kind === 'campaign'))
    byCampaign.set(p.target.id, [...(byCampaign.get(p.target.id) ?? []), p]);
  const conflicting = new Set<Planned>();
  for (const [id, list] of byCampaign) {
    if (new Set(list.map((p) => p.appliedMicros)).size > 1) {
      for (const p of list) {
        conflicting.add(p);
        refuse(p.index, `ad groups of CBO campaign ${id} ask for different campaign budgets`, ctx.client.endpoint('PATCH', campaignsPath));
      }
    }
  }
  const writable = planned.filter((p) => !conflicting.has(p));

  if (!options.validateOnly) {
    const groupWrites = writable.filter((p) => p.target.kind === 'ad-group');
    for (const batch of chunks(groupWrites, MAX_PATCH_ITEMS)) {
      const body = batch.map((p) => ({ id: p.target.id, budget_in_micro_currency: p.appliedMicros }));
      const answer = await ctx.call(() => ctx.client.patch(adGroupsPath, body, AdGroupPatch));
      itemResults(ctx, ctx.client.endpoint('PATCH', adGroupsPath), batch, answer.items, fail);
    }
    const campaignWrites = [...new Map(writable.filter((p) => p.target.kind === 'campaign').map((p) => [p.target.id, p])).values()];
    for (const batch of chunks(campaignWrites, MAX_PATCH_ITEMS)) {
      const body = batch.map((p) => ({ id: p.target.id, ad_account_id: accountId, daily_spend_cap: p.appliedMicros }));
      const answer = await ctx.call(() => ctx.client.patch(campaignsPath, body, CampaignPatch));
      const failed = itemResults(ctx, ctx.client.endpoint('PATCH', campaignsPath), batch, answer.items, fail);
      // Every ad set of a failed campaign write fails with it.
      for (const p of writable) {
        const error = failed.get(p.target.id);
        if (p.target.kind === 'campaign' && error && outcomes[p.index] === undefined) fail(p.index, error);
      }
    }
  }

  const pending = writable.filter((p) => outcomes[p.index] === undefined);
  if (pending.length > 0) {
    const readGroups = new Map(
      (
        await listAdGroups(
          ctx,
          accountId,
          options.pageSize,
          pending.map((p) => p.adset.adsetId),
        )
      ).map((g) => [g.item.id, g]),
    );
    const readCampaigns = new Map<string, { item: Campaign; path: string }>(
      (await listCampaigns(ctx, accountId, options.pageSize, [...new Set([...readGroups.values()].map((g) => g.item.campaign_id))])).map(
        (c) => [c.item.id, c],
      ),
    );
    for (const p of pending) {
      const group = readGroups.get(p.adset.adsetId);
      if (!group) throw ctx.malformed(endpoints.adGroups, 'items', `does not hold ad group ${p.adset.adsetId} on read-back`);
      const budget = budgetOf(ctx, group, readCampaigns.get(group.item.campaign_id), endpoints);
      if (budget.dailyMicros === null) throw ctx.malformed(endpoints.adGroups, group.path, 'has no daily budget on read-back');
      outcomes[p.index] = {
        adsetId: p.adset.adsetId,
        ok: true,
        write: { appliedMicros: p.appliedMicros, readBackMicros: budget.dailyMicros },
      };
    }
  }
  return outcomes.map((o, index) => o ?? { adsetId: requests[index]?.adset.adsetId ?? '', ok: false, error: missing(ctx, index) });
}

/** Marks the items of a PATCH answer that failed; returns the failures by entity id. */
function itemResults(
  ctx: PinterestContext,
  endpoint: string,
  batch: readonly Planned[],
  items: readonly PatchItem[],
  fail: (index: number, error: PlatformError) => void,
): Map<string, PlatformError> {
  if (items.length !== batch.length) throw ctx.malformed(endpoint, 'items', `holds ${items.length} items for ${batch.length} sent`);
  const failed = new Map<string, PlatformError>();
  batch.forEach((p, i) => {
    const refusal = itemRefusal(ctx, endpoint, i, p.target.id, items[i]);
    if (!refusal) return;
    const error = new PinterestItemError(
      ctx.client.clean(`Pinterest ${endpoint}: ${p.target.kind} ${p.target.id} was not updated: ${refusal.why}`),
      { platform: 'pinterest', endpoint, status: 200, ...(refusal.code === undefined ? {} : { code: refusal.code }) },
      p.target.id,
    );
    failed.set(p.target.id, error);
    fail(p.index, error);
  });
  return failed;
}

function missing(ctx: PinterestContext, index: number): PlatformError {
  const endpoint = 'budget write';
  return ctx.malformed(endpoint, `requests[${index}]`, 'got no outcome');
}
