/** Input and output shapes of the budget allocator (`planAllocation`). */
import type { BudgetLevel, Platform } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';
import type { HistoryDay, Objective, ResponseModelOptions } from './response-model.ts';

/** One managed ad set as the allocator sees it. */
export interface AllocationAdSet {
  readonly id: string;
  readonly platform: Platform;
  readonly currency: string;
  readonly campaignId: string;
  /** Where the budget lives; ad sets with a campaign budget are planned together, one decision per campaign. */
  readonly budgetLevel: BudgetLevel;
  /** The daily budget in effect (micros); for a campaign budget, the campaign's budget (equal on all its ad sets). */
  readonly currentBudgetMicros: number;
  /** Smallest budget adpilot may set (the client's minimum), micros. */
  readonly minMicros: number;
  /** Largest budget adpilot may set, micros. */
  readonly maxMicros?: number;
  /** The platform's own minimum daily budget for this ad set, micros. */
  readonly platformMinMicros?: number;
  readonly frozen: boolean;
  readonly learning: boolean;
  /** The learning phase is broken (learning limited, or delivery stopped): then the ad set may be edited. */
  readonly learningBroken?: boolean;
  /** Changed too recently (cooldown): its budget is held. */
  readonly coolingDown: boolean;
  readonly history: readonly HistoryDay[];
}

/** What `planAllocation` plans from. */
export interface AllocationInput {
  /** Date the plan is for: the first day not in the histories (recency is counted from it). */
  readonly date: LocalDate;
  readonly adsets: readonly AllocationAdSet[];
  readonly objective: Objective;
  /** Daily total for the managed ad sets (micros), or a pacing target from `pacedDailyTotal`. */
  readonly dailyTotalMicros: number;
  /** Largest step per change, percent of the current budget. @default 20 */
  readonly maxChangePct?: number;
  /** No entity is cut below this share (percent) of an equal split of the total, so it keeps being measured. @default 10 */
  readonly explorationFloorPct?: number;
  /** Changes smaller than this (percent of the current budget) are not worth an edit (they restart cooldowns) and are held. @default 5 */
  readonly minChangePct?: number;
  /**
   * Thompson draws per plan for the Thompson share, whose allocations are averaged: 1 is classic Thompson
   * sampling; a few draws keep the exploration but cut day-to-day jitter between similar ad sets. @default 8
   */
  readonly draws?: number;
  /**
   * Share (0..1) of the plan taken from the Thompson draws; the rest maximizes the posterior-expected return
   * around the current budgets. 1 is pure (averaged) Thompson sampling. @default 0.15
   */
  readonly thompsonShare?: number;
  /** Seed of the Thompson draws (e.g. client + date): the same input and seed give the same plan. */
  readonly seed: number | string;
  readonly model?: ResponseModelOptions;
}

/** Why an entity is held rather than planned. */
export type HoldCause = 'frozen' | 'learning' | 'cooling-down' | 'no-room' | 'small-change';

/** The decision for one budget-holding entity (an ad set, or a campaign with a campaign budget). */
export interface EntityBudget {
  /** Ad set id, or campaign id when the budget lives on the campaign. */
  readonly id: string;
  readonly level: BudgetLevel;
  readonly platform: Platform;
  readonly currency: string;
  readonly adsetIds: readonly string[];
  readonly beforeMicros: number;
  readonly afterMicros: number;
  readonly decision: { readonly kind: 'change' } | { readonly kind: 'hold'; readonly cause: HoldCause };
  /** Plain reason, e.g. "+18%: marginal ROAS 3.10 against 2.20 for the portfolio". */
  readonly reason: string;
}

/** The model state a plan was made from, for the plan record and its explanation. */
export interface ModelSummary {
  readonly objective: Objective;
  readonly seed: number | string;
  readonly draws: number;
  readonly pooledReturn: number;
  readonly weekday: readonly number[];
  readonly kappaPrior: { readonly mean: number; readonly sd: number };
  readonly dispersion: number;
  /** Posterior-mean marginal return of the portfolio at current budgets (spend-weighted). */
  readonly portfolioMarginal: number;
  /** How the free budget fit the bounds of the free entities. */
  readonly fit: 'ok' | 'below-minimums' | 'above-maximums' | 'nothing-free';
  readonly entities: readonly {
    readonly id: string;
    readonly beta: number;
    readonly kappa: number;
    /** Posterior-mean marginal return at the current budget. */
    readonly marginal: number;
    /** Posterior-mean average return at the current budget. */
    readonly average: number;
    readonly effectiveDays: number;
    readonly nowcast: { readonly mean: number; readonly sd: number };
    /** A level change detected in the recent days (the history before `since` was set aside), or null. */
    readonly levelChange: { readonly since: string; readonly ratio: number } | null;
  }[];
}

/** A plan: one decision per entity, totals, and the model summary. */
export interface AllocationPlan {
  readonly budgets: readonly EntityBudget[];
  readonly totalBeforeMicros: number;
  readonly totalAfterMicros: number;
  readonly targetMicros: number;
  readonly model: ModelSummary;
}
