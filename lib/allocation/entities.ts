/** Groups ad sets into budget-holding entities: an ad set with its own budget, or a campaign with a campaign budget. */
import type { BudgetLevel, Platform } from '../model/ads.ts';
import { AllocationInputError } from './errors.ts';
import type { HistoryDay } from './response-model.ts';
import type { AllocationAdSet } from './types.ts';

/** One budget decision's subject, with its ad sets' constraints combined and histories summed by date. */
export interface BudgetEntity {
  readonly id: string;
  readonly level: BudgetLevel;
  readonly platform: Platform;
  readonly currency: string;
  readonly adsetIds: readonly string[];
  readonly currentBudgetMicros: number;
  readonly minMicros: number;
  readonly maxMicros: number;
  readonly frozen: boolean;
  /** In learning and not broken: held. */
  readonly learning: boolean;
  readonly coolingDown: boolean;
  readonly history: readonly HistoryDay[];
}

/** Builds the entities of a portfolio; campaign-budget ad sets must agree on their campaign's budget. */
export function budgetEntities(adsets: readonly AllocationAdSet[]): BudgetEntity[] {
  const groups = new Map<string, AllocationAdSet[]>();
  for (const adset of adsets) {
    if (!Number.isSafeInteger(adset.currentBudgetMicros) || adset.currentBudgetMicros < 0)
      throw new AllocationInputError(adset.id, `current budget must be whole micros >= 0, got ${adset.currentBudgetMicros}`);
    const key = adset.budgetLevel === 'campaign' ? `campaign\u241f${adset.platform}\u241f${adset.campaignId}` : `adset\u241f${adset.id}`;
    const group = groups.get(key);
    if (group) group.push(adset);
    else groups.set(key, [adset]);
  }
  const out: BudgetEntity[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    if (first.budgetLevel === 'adset' && group.length > 1) throw new AllocationInputError(first.id, 'the ad set is listed twice');
    for (const adset of group) {
      if (adset.currentBudgetMicros !== first.currentBudgetMicros)
        throw new AllocationInputError(adset.id, `campaign ${first.campaignId} budget differs between its ad sets`);
    }
    const maxes = group.map((a) => a.maxMicros ?? Number.POSITIVE_INFINITY);
    out.push({
      id: first.budgetLevel === 'campaign' ? first.campaignId : first.id,
      level: first.budgetLevel,
      platform: first.platform,
      currency: first.currency,
      adsetIds: group.map((a) => a.id),
      currentBudgetMicros: first.currentBudgetMicros,
      minMicros: Math.max(...group.map((a) => Math.max(a.minMicros, a.platformMinMicros ?? 0))),
      maxMicros: Math.min(...maxes),
      // A campaign budget moves every ad set under it: one frozen, learning or cooling ad set holds it.
      frozen: group.some((a) => a.frozen),
      learning: group.some((a) => a.learning && !a.learningBroken),
      coolingDown: group.some((a) => a.coolingDown),
      history: group.length === 1 ? first.history : sumByDate(group.flatMap((a) => a.history)),
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function sumByDate(days: readonly HistoryDay[]): HistoryDay[] {
  const byDate = new Map<string, { spend: number; revenue: number; conversions: number; matured: number; sd: number }>();
  for (const d of days) {
    const acc = byDate.get(d.date) ?? { spend: 0, revenue: 0, conversions: 0, matured: 0, sd: 0 };
    acc.spend += d.spendMicros;
    acc.revenue += d.revenueMicros;
    acc.conversions += d.conversions;
    // Spend-weighted maturity: each ad set's share of the expected final response.
    acc.matured += d.spendMicros * (d.maturity ?? 1);
    acc.sd += d.spendMicros * (d.maturitySd ?? 0);
    byDate.set(d.date, acc);
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, a]) => ({
      date,
      spendMicros: a.spend,
      revenueMicros: a.revenue,
      conversions: a.conversions,
      maturity: a.spend > 0 ? a.matured / a.spend : 1,
      maturitySd: a.spend > 0 ? a.sd / a.spend : 0,
    }));
}
