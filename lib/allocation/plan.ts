/**
 * Budget planning. The foundation plans to hold every budget (the allocator over response
 * curves comes with the allocation work); the plan still carries every managed ad set with a
 * plain reason, so every later step (guardrails, approval, apply, record) is exercised.
 */
import type { AdSet } from '../model/ads.ts';
import type { PlannedChange } from '../store/records.ts';

export interface PlanInput {
  readonly adsets: readonly AdSet[];
}

export interface PlanDecision {
  readonly changes: PlannedChange[];
  readonly holds: { platform: AdSet['platform']; adsetId: string; adsetName: string; reason: string }[];
}

/** Decides the budget of each managed ad set for the next day. */
export function planBudgets(input: PlanInput): PlanDecision {
  return {
    changes: [],
    holds: input.adsets.map((adset) => ({
      platform: adset.platform,
      adsetId: adset.adsetId,
      adsetName: adset.name,
      reason: adset.learning ? 'held: in learning phase' : 'held: automatic reallocation is not enabled yet',
    })),
  };
}
