/**
 * Budget planning: turns the managed ad sets and their histories into the day's planned
 * changes and holds, with the allocator (Thompson sampling over response curves) doing the
 * deciding. Pure: the use case gathers the data and stores the result.
 */
import type { AdSet, StoredDailyMetric } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';
import type { PlannedChange } from '../store/records.ts';
import { planAllocation } from './allocator.ts';
import { estimateCompletion, historyDayOf } from './nowcast.ts';
import type { AllocationPlan } from './types.ts';

export interface PlanInput {
  readonly planId: string;
  readonly date: LocalDate;
  readonly objective: 'revenue' | 'conversions';
  /** The managed ad sets, all in `currency`. */
  readonly adsets: readonly AdSet[];
  readonly currency: string;
  /** Complete days of the managed ad sets, oldest first or in any order. */
  readonly history: readonly StoredDailyMetric[];
  readonly dailyTotalMicros: number;
  readonly minDailyMicros: number;
  readonly maxChangePct: number;
  readonly frozenAdsetIds: readonly string[];
  /** Ad sets changed within the cooldown. */
  readonly coolingDownAdsetIds: ReadonlySet<string>;
}

export interface PlanDecision {
  readonly changes: PlannedChange[];
  readonly holds: { platform: AdSet['platform']; adsetId: string; adsetName: string; reason: string }[];
  readonly model: AllocationPlan['model'] | null;
}

/** Decides the budget of each managed ad set for the day. */
export function planBudgets(input: PlanInput): PlanDecision {
  const foreign = input.adsets.filter((a) => a.currency !== input.currency);
  if (foreign.length > 0 || input.adsets.length === 0) {
    const reason =
      foreign.length > 0
        ? `held: ad sets in ${[...new Set(foreign.map((a) => a.currency))].join(', ')} are not reallocated against ${input.currency} budgets yet`
        : 'held';
    return {
      changes: [],
      holds: input.adsets.map((a) => ({ platform: a.platform, adsetId: a.adsetId, adsetName: a.name, reason })),
      model: null,
    };
  }
  // Young days are read through the completion curve the store's own rows show, per platform.
  const completion = estimateCompletion(input.history, input.date);
  const byAdset = new Map<string, StoredDailyMetric[]>();
  for (const row of input.history) byAdset.set(row.adsetId, [...(byAdset.get(row.adsetId) ?? []), row]);
  const plan = planAllocation({
    date: input.date,
    objective: input.objective,
    dailyTotalMicros: input.dailyTotalMicros,
    maxChangePct: input.maxChangePct,
    seed: `${input.planId}`,
    adsets: input.adsets.map((a) => ({
      id: a.adsetId,
      platform: a.platform,
      currency: a.currency,
      campaignId: a.campaignId,
      budgetLevel: a.budgetLevel,
      currentBudgetMicros: a.dailyBudgetMicros ?? 0,
      minMicros: input.minDailyMicros,
      frozen: input.frozenAdsetIds.includes(a.adsetId),
      learning: a.learning,
      coolingDown: input.coolingDownAdsetIds.has(a.adsetId),
      history: (byAdset.get(a.adsetId) ?? []).sort((x, y) => x.date.localeCompare(y.date)).map((r) => historyDayOf(r, completion)),
    })),
  });
  const adsetsById = new Map(input.adsets.map((a) => [a.adsetId, a]));
  const changes: PlannedChange[] = [];
  const holds: PlanDecision['holds'] = [];
  for (const budget of plan.budgets) {
    // A campaign budget is written once, through the first of its ad sets (the connector writes it at the campaign).
    const adset = adsetsById.get(budget.adsetIds[0] ?? budget.id);
    if (!adset) continue;
    if (budget.decision.kind === 'change' && budget.afterMicros !== budget.beforeMicros) {
      changes.push({
        changeId: `${input.planId}-${adset.platform}-${budget.id}`,
        platform: adset.platform,
        accountId: adset.accountId,
        adsetId: adset.adsetId,
        adsetName: adset.name,
        campaignId: adset.campaignId,
        budgetLevel: budget.level,
        currency: budget.currency,
        beforeMicros: budget.beforeMicros,
        afterMicros: budget.afterMicros,
        reason: budget.reason,
      });
    } else {
      for (const id of budget.adsetIds) {
        const held = adsetsById.get(id);
        if (held) holds.push({ platform: held.platform, adsetId: held.adsetId, adsetName: held.name, reason: budget.reason });
      }
    }
  }
  return { changes, holds, model: plan.model };
}
