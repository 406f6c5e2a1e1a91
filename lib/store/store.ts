/**
 * The storage port: repositories over the client's single table. The DynamoDB adapter
 * (lib/store/dynamo-store.ts) implements it against DynamoDB and dynalite alike.
 */
import type { Ad, AdAccount, AdDailyMetric, AdSet, DailyMetric, Platform, StoredDailyMetric } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';
import type { HourlyMetric } from '../platforms/hourly.ts';
import type { StoredAdDailyMetric } from './ad-metrics.ts';
import type { StoredHourlyMetric } from './hourly.ts';
import type { AnomalyRecord, BudgetChangeRecord, BudgetPlan, ReportRecord, TestEvaluationRecord } from './records.ts';

export interface UpsertResult {
  /** Rows created or whose values changed. */
  readonly written: number;
  /** Rows whose values were already stored: not rewritten. */
  readonly unchanged: number;
}

export interface WriteOptions {
  /**
   * The caller holds the account's writer lease (see lib/usecases/ingest-lease.ts): nothing else writes
   * these items meanwhile, so what it read is still current and changed items may be batch-written
   * without per-item conditions. Without it every write is conditional on the state it was compared to.
   */
  readonly exclusive?: boolean;
}

/** A held slot of a lease semaphore: exclusive until `until` or until released. */
export interface Lease {
  readonly resource: string;
  readonly slot: number;
  /** Who holds it: unique per run, so only that run can release it. */
  readonly holder: string;
  /** ISO instant after which another acquirer may take the slot over. */
  readonly until: string;
}

export interface Store {
  // accounts and ad sets
  putAccount(account: AdAccount): Promise<void>;
  getAccount(platform: Platform, accountId: string): Promise<AdAccount | undefined>;
  listAccounts(): Promise<AdAccount[]>;
  /** Creates or updates ad sets (only those whose stored state differs are written). */
  upsertAdSets(adsets: readonly AdSet[], options?: WriteOptions): Promise<UpsertResult>;
  listAdSets(platform?: Platform, accountId?: string): Promise<AdSet[]>;
  getAdSet(platform: Platform, accountId: string, adsetId: string): Promise<AdSet | undefined>;

  // daily metrics
  /**
   * Upserts normalized rows keyed by platform/account/ad set/date. Rows whose values did not
   * change are not rewritten; changed rows bump `revision`. All-or-nothing per call is not
   * promised by DynamoDB, but every row write is individually idempotent.
   */
  upsertDailyMetrics(rows: readonly DailyMetric[], fetchedAt: Date, options?: WriteOptions): Promise<UpsertResult>;
  metricsForAccount(platform: Platform, accountId: string, from: LocalDate, to: LocalDate): Promise<StoredDailyMetric[]>;
  metricsForAdSet(platform: Platform, adsetId: string, from: LocalDate, to: LocalDate): Promise<StoredDailyMetric[]>;
  // hourly delivery (kept HOURLY_RETENTION_DAYS, see hourly.ts)
  /** Stores hourly rows keyed by platform/account/ad set/date/hour; rows whose values did not change are not rewritten. */
  putHourlyMetrics(rows: readonly HourlyMetric[], fetchedAt: Date, options?: WriteOptions): Promise<UpsertResult>;
  /** The account's stored hourly rows of the account-local dates in [from, to]. */
  hourlyMetricsForAccount(platform: Platform, accountId: string, from: LocalDate, to: LocalDate): Promise<StoredHourlyMetric[]>;
  // ads named as A/B test arms, and their daily rows
  /** Creates or updates ads (only those whose stored state differs are written). */
  upsertAds(ads: readonly Ad[]): Promise<UpsertResult>;
  getAd(platform: Platform, adId: string): Promise<Ad | undefined>;
  /** Stores ad rows keyed by platform/ad/date; rows whose values did not change are not rewritten. */
  putAdMetrics(rows: readonly AdDailyMetric[], fetchedAt: Date): Promise<UpsertResult>;
  /** One ad's stored rows of the account-local dates in [from, to], by date. */
  metricsForAd(platform: Platform, adId: string, from: LocalDate, to: LocalDate): Promise<StoredAdDailyMetric[]>;
  setWatermark(platform: Platform, accountId: string, through: LocalDate, at: Date): Promise<void>;
  getWatermark(platform: Platform, accountId: string): Promise<{ through: LocalDate; at: string } | undefined>;
  /** The instant the account was first watched for freshness: `at` on the first call, the stored one after. */
  watchedSince(platform: Platform, accountId: string, at: Date): Promise<string>;

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

  // leases (concurrency caps)
  /**
   * Takes a free slot among `slots` of `resource` (a slot is free when absent, or held past its expiry)
   * with a conditional write; undefined when every slot is held.
   */
  acquireLease(resource: string, slots: number, holder: string, now: Date, ttlMs: number): Promise<Lease | undefined>;
  /** Frees a slot if `lease.holder` still holds it; false when it expired and was taken over meanwhile. */
  releaseLease(lease: Lease): Promise<boolean>;
}
