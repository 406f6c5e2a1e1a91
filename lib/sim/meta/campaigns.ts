/**
 * Meta campaigns as the fake Graph API derives them from the market's ad sets: the grouping by campaign id, the
 * campaign node, and the exact split of a CBO campaign's budget over its ad sets.
 */
import type { AdSet } from '../../model/ads.ts';
import { microsToMinorFloor } from '../../model/money.ts';

/** A Meta campaign as the fake derives it from the market's ad sets. */
export interface FakeCampaign {
  readonly campaignId: string;
  readonly name: string;
  readonly accountId: string;
  readonly currency: string;
  /** The campaign's ad sets; under CBO they share its budget. */
  readonly adsets: readonly AdSet[];
  readonly cbo: boolean;
}

/** The campaigns of a list of ad sets (one account's), by id. */
export function campaignsFrom(adsets: readonly AdSet[]): Map<string, FakeCampaign> {
  const byId = new Map<string, AdSet[]>();
  for (const adset of adsets) byId.set(adset.campaignId, [...(byId.get(adset.campaignId) ?? []), adset]);
  const out = new Map<string, FakeCampaign>();
  for (const [campaignId, members] of byId) {
    const first = members[0];
    if (!first) continue;
    out.set(campaignId, {
      campaignId,
      name: first.campaignName,
      accountId: first.accountId,
      currency: first.currency,
      adsets: members,
      cbo: members.some((a) => a.budgetLevel === 'campaign'),
    });
  }
  return out;
}

/** Budget of a CBO campaign: the sum of its ad sets' shares, in minor units (it is what they were split from). */
function campaignBudgetMinor(campaign: FakeCampaign): number {
  const micros = campaign.adsets.filter((a) => a.budgetLevel === 'campaign').reduce((sum, a) => sum + (a.dailyBudgetMicros ?? 0), 0);
  return microsToMinorFloor(micros, campaign.currency);
}

/** Every field of a campaign node, as Graph writes it. */
export function campaignNode(campaign: FakeCampaign): Record<string, unknown> {
  const budget = campaign.cbo ? String(campaignBudgetMinor(campaign)) : undefined;
  const status = campaign.adsets.some((a) => a.status === 'ACTIVE') ? 'ACTIVE' : 'PAUSED';
  return {
    id: campaign.campaignId,
    account_id: campaign.accountId.replace(/^act_/, ''),
    name: campaign.name,
    status,
    configured_status: status,
    effective_status: status,
    objective: 'OUTCOME_SALES',
    // Only a CBO campaign holds a budget; Graph leaves the fields out otherwise.
    daily_budget: budget,
    lifetime_budget: campaign.cbo ? '0' : undefined,
    budget_remaining: budget,
  };
}

/** Splits `totalMicros` over `weights` proportionally (equally when all are 0); the shares sum to the total exactly. */
export function splitBudget(totalMicros: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const w = sum > 0 ? weights.map(BigInt) : weights.map(() => 1n);
  const total = BigInt(totalMicros);
  const weightSum = w.reduce((a, b) => a + b, 0n);
  // BigInt: a budget in micros times a weight in micros passes 2^53.
  const shares = w.map((x) => (total * x) / weightSum);
  const rest = total - shares.reduce((a, b) => a + b, 0n);
  shares[shares.length - 1] = (shares[shares.length - 1] ?? 0n) + rest;
  return shares.map(Number);
}
