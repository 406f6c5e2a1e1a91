/**
 * The storage port: repositories over the client's single table. The DynamoDB adapter
 * (lib/store/dynamo-store.ts) implements it against DynamoDB and dynalite alike.
 */
import type { AdAccount, AdSet, DailyMetric, Platform, StoredDailyMetric } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';
import type { AnomalyRecord, BudgetChangeRecord, BudgetPlan, ReportRecord, TestEvaluationRecord } from './records.ts';

export interface UpsertResult {
  /** Rows created or whose values changed. */
  readonly written: number;
  /** Rows whose values were already stored: not rewritten. */
  readonly unchanged: number;
}

export interface Store {
  // accounts and ad sets
  putAccount(account: AdAccount): Promise<void>;
  getAccount(platform: Platform, accountId: string): Promise<AdAccount | undefined>;
  listAccounts(): Promise<AdAccount[]>;
  /** Creates or updates ad sets (only those whose stored state differs are written). */
  upsertAdSets(adsets: readonly AdSet[]): Promise<UpsertResult>;
  listAdSets(platform?: Platform, accountId?: string): Promise<AdSet[]>;
  getAdSet(platform: Platform, accountId: string, adsetId: string): Promise<AdSet | undefined>;

  // daily metrics
  /**
   * Upserts normalized rows keyed by platform/account/ad set/date. Rows whose values did not
   * change are not rewritten; changed rows bump `revision`. All-or-nothing per call is not
   * promised by DynamoDB, but every row write is individually idempotent.
   */
  upsertDailyMetrics(rows: readonly DailyMetric[], fetchedAt: Date): Promise<UpsertResult>;
  metricsForAccount(platform: Platform, accountId: string, from: LocalDate, to: LocalDate): Promise<StoredDailyMetric[]>;
  metricsForAdSet(platform: Platform, adsetId: string, from: LocalDate, to: LocalDate): Promise<StoredDailyMetric[]>;
  setWatermark(platform: Platform, accountId: string, through: LocalDate, at: Date): Promise<void>;
  getWatermark(platform: Platform, accountId: string): Promise<{ through: LocalDate; at: string } | undefined>;

  // plans and changes
  /** Stores a plan unless one with the same id exists; returns the stored plan either way. */
  putPlanIfAbsent(plan: BudgetPlan): Promise<BudgetPlan>;
  getPlan(planId: string): Promise<BudgetPlan | undefined>;
  /** Moves a plan between statuses with a condition on the current status; false when it was not in `from`. */
  transitionPlan(planId: string, from: BudgetPlan['status'], to: BudgetPlan['status'], at: Date): Promise<boolean>;
  listPlans(limit?: number): Promise<BudgetPlan[]>;
  /** Appends a change record once (keyed by its changeId); false if it was already there. */
  appendChange(change: BudgetChangeRecord): Promise<boolean>;
  getChange(changeId: string): Promise<BudgetChangeRecord | undefined>;
  changesForAdSet(platform: Platform, adsetId: string): Promise<BudgetChangeRecord[]>;
  changesForPlan(planId: string): Promise<BudgetChangeRecord[]>;

  // anomalies, tests, reports
  /** Records an anomaly once per entity/date/type; false when it was already recorded. */
  putAnomalyIfAbsent(anomaly: AnomalyRecord): Promise<boolean>;
  anomaliesBetween(from: LocalDate, to: LocalDate): Promise<AnomalyRecord[]>;
  putTestEvaluation(evaluation: TestEvaluationRecord): Promise<void>;
  testEvaluations(testId: string): Promise<TestEvaluationRecord[]>;
  /** Stores the computed report model of a week (replaced when recomputed before sending). */
  putReportModel(week: string, model: unknown, at: Date): Promise<void>;
  getReportModel(week: string): Promise<unknown | undefined>;
  /** Marks a week's report as sent, once; false when it was already sent. */
  putReportIfAbsent(report: ReportRecord): Promise<boolean>;
  getReport(week: string): Promise<ReportRecord | undefined>;
}
