/**
 * The weekly report as data: what buildWeeklyReport returns and renderWeeklyReportEmail reads.
 * A zod schema, because the report crosses a boundary (build-report → send-report Lambdas).
 * Every amount is integer micros of `currency` (the reporting currency) unless a line says otherwise.
 */
import { z } from 'zod';
import { Platform } from '../model/ads.ts';
import { AnomalyRecord } from '../store/records.ts';

const micros = z.number().int().safe();
const count = z.number().int().nonnegative().safe();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** A ratio or relative change; null where the denominator is zero ("—" when rendered). */
const maybeRatio = z.number().nullable();

export const ReportWeekSchema = z.object({ label: z.string(), from: localDate, to: localDate });

/** Sums and ratios of one entity over one week. */
export const Figures = z.object({
  spendMicros: micros,
  revenueMicros: micros,
  conversions: count,
  /** revenue / spend. */
  roas: maybeRatio,
  /** spend / conversions, rounded to the nearest micro (ties to even). */
  cpaMicros: micros.nullable(),
});
export type Figures = z.infer<typeof Figures>;

/** Relative week-over-week change, (current − previous) / previous; null when previous is 0 or undefined. */
export const FigureChanges = z.object({
  spend: maybeRatio,
  revenue: maybeRatio,
  conversions: maybeRatio,
  roas: maybeRatio,
  cpa: maybeRatio,
});
export type FigureChanges = z.infer<typeof FigureChanges>;

/** One week of a trend, oldest first. */
export const TrendPoint = ReportWeekSchema.extend(Figures.shape).extend({ provisional: z.boolean() });
export type TrendPoint = z.infer<typeof TrendPoint>;

const line = {
  current: Figures,
  previous: Figures,
  change: FigureChanges,
  /** Some of this week's rows are still inside the platform's restatement window. */
  provisional: z.boolean(),
  /** Same, for last week's rows. */
  previousProvisional: z.boolean(),
};

export const TotalsLine = z.object({ ...line, trend: z.array(TrendPoint) });
export type TotalsLine = z.infer<typeof TotalsLine>;

export const PlatformLine = z.object({
  ...line,
  platform: Platform,
  /** Days the platform may still restate (0 when not configured). */
  restatementDays: count,
  /** First day on which this week's figures for the platform are final. */
  finalOn: localDate,
  trend: z.array(TrendPoint),
});
export type PlatformLine = z.infer<typeof PlatformLine>;

export const CampaignLine = z.object({
  ...line,
  platform: Platform,
  accountId: z.string(),
  campaignId: z.string(),
  /** Platform-provided, untrusted: escape when rendering. Falls back to the id. */
  name: z.string(),
});
export type CampaignLine = z.infer<typeof CampaignLine>;

export const AdSetLine = z.object({
  ...line,
  platform: Platform,
  accountId: z.string(),
  accountName: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  adsetId: z.string(),
  /** Platform-provided, untrusted: escape when rendering. Falls back to the id. */
  name: z.string(),
  /** Null when the ad set is not in the entity list (deleted since). */
  status: z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']).nullable(),
  learning: z.boolean(),
});
export type AdSetLine = z.infer<typeof AdSetLine>;

/** A budget change, in the ad set's own currency (what the platform bills). */
export const BudgetMove = z.object({
  changeId: z.string(),
  /** Null for next week's planned moves when the plan has no id yet. */
  planId: z.string().nullable(),
  platform: Platform,
  accountId: z.string(),
  adsetId: z.string(),
  adsetName: z.string(),
  budgetLevel: z.enum(['adset', 'campaign']),
  currency: z.string(),
  beforeMicros: micros,
  afterMicros: micros,
  /** after − before, in `currency`. */
  deltaMicros: micros,
  /** after − before, converted to the reporting currency. */
  deltaReportingMicros: micros,
  /** (after − before) / before; null when before is 0. */
  deltaPct: maybeRatio,
  reason: z.string(),
  appliedAt: z.string().nullable(),
  outcome: z.enum(['applied', 'failed', 'skipped', 'reverted', 'planned']),
  error: z.string().nullable(),
  /** For a revert: the change it undoes. */
  revertsChangeId: z.string().nullable(),
  /** A status change instead of a budget write: a test's losing arm paused, or that pause undone. */
  action: z.enum(['pause', 'activate']).optional(),
  /** For a status change of one ad: its name (the ad set named above keeps its budget). */
  adName: z.string().optional(),
  /**
   * Expected change of the objective per day from the plan's response model: revenue in micros of the
   * reporting currency, or conversions. Absent when the plan kept no model for this budget.
   */
  estimatedDailyEffect: z.number().optional(),
});
export type BudgetMove = z.infer<typeof BudgetMove>;

/**
 * The week's moves against leaving budgets as they were, from the plans' response models: each move's daily
 * effect times the days of the week it was in force (the day it was applied included). Same unit as
 * `BudgetMove.estimatedDailyEffect`; `moves` counts the moves with an estimate.
 */
export const MovesEffect = z.object({ total: z.number(), moves: count });
export type MovesEffect = z.infer<typeof MovesEffect>;

/**
 * Daily budget moved, in the reporting currency, over the moves that changed a budget
 * (applied and reverts; failed and skipped moves are only counted). decreaseMicros is ≥ 0.
 */
export const MovesSummary = z.object({
  applied: count,
  reverted: count,
  failed: count,
  skipped: count,
  increaseMicros: micros,
  decreaseMicros: micros,
  netMicros: micros,
});
export type MovesSummary = z.infer<typeof MovesSummary>;

/** Daily budget next week's plan would move, in the reporting currency. */
export const PlanSummary = z.object({
  changes: count,
  increaseMicros: micros,
  decreaseMicros: micros,
  netMicros: micros,
});
export type PlanSummary = z.infer<typeof PlanSummary>;

/** An anomaly as the report shows it: the stored record without its detection time. */
export const ReportAnomaly = AnomalyRecord.omit({ detectedAt: true });
export type ReportAnomaly = z.infer<typeof ReportAnomaly>;

export const ReportTest = z.object({
  testId: z.string(),
  decision: z.enum(['continue', 'winner', 'futility', 'invalid']),
  summary: z.string(),
  /** True for winner, futility and invalid: the test stopped. */
  concluded: z.boolean(),
});
export type ReportTest = z.infer<typeof ReportTest>;

export const WeeklyReport = z.object({
  version: z.literal(1),
  client: z.string(),
  timezone: z.string(),
  /** Reporting currency. */
  currency: z.string(),
  objective: z.enum(['revenue', 'conversions']),
  week: ReportWeekSchema,
  previousWeek: ReportWeekSchema,
  /** The day the report was computed, client-local; provisional flags are relative to it. */
  today: localDate,
  totals: TotalsLine,
  /** Sorted by this week's spend, descending. */
  platforms: z.array(PlatformLine),
  campaigns: z.array(CampaignLine),
  adsets: z.array(AdSetLine),
  budgetMoves: z.object({ moves: z.array(BudgetMove), summary: MovesSummary, estimatedEffect: MovesEffect.optional() }),
  /** Highest severity first, then by date. */
  anomalies: z.array(ReportAnomaly),
  /** Concluded first. */
  tests: z.array(ReportTest),
  /** Null when no plan for next week is known. */
  nextPlan: z.object({ planId: z.string().nullable(), moves: z.array(BudgetMove), summary: PlanSummary }).nullable(),
  /** Rates applied, 1 unit of `currency` = `rate` units of the reporting currency. */
  exchangeRates: z.array(z.object({ currency: z.string(), rate: z.number().positive() })),
});
export type WeeklyReport = z.infer<typeof WeeklyReport>;
