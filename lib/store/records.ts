/** Schemas of the non-metric items of the store: plans, changes, anomalies, test evaluations, reports. */
import { z } from 'zod';
import { Platform } from '../model/ads.ts';

const micros = z.number().int().safe();

export const PlannedChange = z.object({
  changeId: z.string(),
  platform: Platform,
  accountId: z.string(),
  adsetId: z.string(),
  adsetName: z.string(),
  campaignId: z.string(),
  budgetLevel: z.enum(['adset', 'campaign']),
  currency: z.string(),
  beforeMicros: micros,
  afterMicros: micros,
  reason: z.string(),
  /**
   * What the change does: writes the daily budget (absent or 'budget'); pauses the ad set ('pause', a concluded
   * A/B test's `pause-loser`); or re-activates it ('activate', only as the undo of a pause). A status change
   * leaves the budget as it is, so its before and after are equal.
   */
  action: z.enum(['budget', 'pause', 'activate']).optional(),
  /** For a status change of one ad (an ad-level test's loser): the ad; `adset*` then name the ad set it runs in. */
  adId: z.string().optional(),
  adName: z.string().optional(),
});
export type PlannedChange = z.infer<typeof PlannedChange>;

/** A change that writes a budget (not a pause or re-activation). */
export function isBudgetChange(change: Pick<PlannedChange, 'action'>): boolean {
  return change.action === undefined || change.action === 'budget';
}

export const PlanHold = z.object({
  platform: Platform,
  adsetId: z.string(),
  adsetName: z.string(),
  reason: z.string(),
});

export const BudgetPlan = z.object({
  planId: z.string(),
  date: z.string(),
  createdAt: z.string(),
  mode: z.enum(['auto', 'approve', 'dry-run']),
  status: z.enum(['planned', 'pending-approval', 'applying', 'applied', 'partially-applied', 'dry-run', 'rejected', 'reverted']),
  currency: z.string(),
  totalBeforeMicros: micros,
  totalAfterMicros: micros,
  changes: z.array(PlannedChange),
  holds: z.array(PlanHold),
  /** Inputs and model state the plan was made from, for explanation and audit. */
  inputs: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
});
export type BudgetPlan = z.infer<typeof BudgetPlan>;

export const BudgetChangeRecord = PlannedChange.extend({
  planId: z.string(),
  appliedAt: z.string(),
  outcome: z.enum(['applied', 'failed', 'skipped', 'reverted']),
  readBackMicros: micros.nullable(),
  error: z.string().nullable(),
  /** For reverts: the change this one undoes. */
  revertsChangeId: z.string().nullable(),
});
export type BudgetChangeRecord = z.infer<typeof BudgetChangeRecord>;

export const AnomalyRecord = z.object({
  anomalyId: z.string(),
  platform: Platform,
  accountId: z.string(),
  adsetId: z.string(),
  adsetName: z.string(),
  date: z.string(),
  faultType: z.string(),
  metric: z.string(),
  observed: z.number(),
  expectedLow: z.number(),
  expectedHigh: z.number(),
  severity: z.enum(['low', 'medium', 'high']),
  hint: z.string(),
  detectedAt: z.string(),
});
export type AnomalyRecord = z.infer<typeof AnomalyRecord>;

export const TestEvaluationRecord = z.object({
  testId: z.string(),
  date: z.string(),
  decision: z.enum(['continue', 'winner', 'futility', 'invalid']),
  summary: z.string(),
  result: z.record(z.string(), z.unknown()),
  evaluatedAt: z.string(),
});
export type TestEvaluationRecord = z.infer<typeof TestEvaluationRecord>;

export const ReportRecord = z.object({
  week: z.string(),
  messageId: z.string(),
  location: z.string(),
  sentAt: z.string(),
  recipients: z.array(z.string()),
});
export type ReportRecord = z.infer<typeof ReportRecord>;
