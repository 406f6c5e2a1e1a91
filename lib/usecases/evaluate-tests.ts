/**
 * EvaluateTests: the `evaluate tests` step of the optimize state machine. Once per date it
 * evaluates every running A/B test of the client config on its clean days (mature for the
 * attribution window, out of the learning phase, every arm present), checks that the test is
 * still valid (arms active, tracking intact, no sample-ratio mismatch on randomized splits),
 * corrects for multiplicity across all the day's comparisons, stores the evaluation and
 * announces it.
 *
 * Multiplicity: Benjamini–Hochberg across every comparison of every test decided that day
 * (whatever its metric). Paid-social teams run dozens of comparisons at once; Holm's family-wise
 * control would make each one wait far longer for the sake of never declaring a single false
 * winner, whereas BH keeps the expected share of false winners among declared winners at α
 * (it holds under independence and the positive dependence of comparisons sharing a control).
 * The family of a day holds only the comparisons that can be decided that day: tests still in
 * their minimum runtime, invalid or already concluded tests and Bayesian tests (no p-value; they
 * decide on the chance to win) are not in it. Confidence intervals stay marginal (95%).
 *
 * The action on conclusion (`onConclusion`) is not taken here: the next PlanBudgets step of the same
 * run reads the stored conclusion and plans it through the budget guardrails (usecases/test-actions.ts).
 */
import { z } from 'zod';
import { restatementDays } from '../config/platforms.ts';
import { armId, isAdArm, type TestConfig } from '../config/schema.ts';
import { makeEvent } from '../events/publisher.ts';
import type { AdpilotEvent } from '../events/schemas.ts';
import type { AdSet, DailyMetric, Platform, StoredDailyMetric } from '../model/ads.ts';
import { addDays, dateRange, daysBetween, type LocalDate, localDateAt } from '../model/dates.ts';
import type { AppContext } from '../runtime/context.ts';
import {
  type ArmDays,
  adjustPValues,
  type Comparison,
  DEFAULT_DAY_TUNING,
  daysToDetect,
  describeComparison,
  evaluateTest,
  METRICS,
  metricStats,
  type SrmResult,
  srmTest,
  type TestEvaluation,
} from '../stats/index.ts';
import type { AnomalyRecord, TestEvaluationRecord } from '../store/records.ts';

/** Days after which a day's conversions count as final: the platforms' default 7-day click attribution window. */
const ATTRIBUTION_DAYS = 7;
/** The learning phase lasts until about 50 optimisation events, at most 7 days after a launch or a budget edit (Meta's rule). */
const LEARNING_MAX_DAYS = 7;
const LEARNING_EXIT_CONVERSIONS = 50;
const ALPHA = 0.05;
/** Relative effect below which a difference does not matter (futility when the interval sits inside ±5%). */
const MINIMUM_EFFECT = 0.05;
/** Relative lift the "days still needed" estimate is for. */
const DETECT_EFFECT = 0.1;
/** Anomalies are recorded the day after the day they judge; re-reading a week covers late ones (a backfill, a skipped run). */
const TRACKING_RECHECK_DAYS = 7;
/** The multiplicity correction across the day's comparisons (see the module comment). */
export const MULTIPLICITY_METHOD = 'bh' as const;

const NOT_RANDOMIZED =
  'not randomized: each ad set reaches the audience its own delivery found, so a difference may come from the audience rather than the variant';
const RANDOMIZED = 'randomized: a platform split test assigns people to the arms at random';

type Decision = TestEvaluationRecord['decision'];

/** Why a day of the test period was left out of the evaluation. */
export type ExclusionReason = 'immature' | 'learning' | 'missing-data';

/** A day left out, why, and the arms that caused it (every arm for immature days). */
export interface ExcludedDay {
  readonly date: LocalDate;
  readonly reason: ExclusionReason;
  readonly arms: readonly string[];
}

/** A tracking-breakage anomaly recorded on an arm. */
export interface TrackingBreak {
  readonly adsetId: string;
  readonly date: LocalDate;
}

/** The parts of earlier evaluations that the next one reads back: look p-values and what the tracking check found. */
const StoredHistory = z.object({
  lookPValues: z.record(z.string(), z.number().min(0).max(1)).default({}),
  period: z.object({ from: z.string().nullable() }).optional(),
  trackingBreaks: z.array(z.object({ adsetId: z.string(), date: z.string() })).optional(),
});

/** What `result` of a stored TestEvaluationRecord holds (written by this module, read by `adpilot test status`). */
export interface TestEvaluationResult {
  readonly metric: TestConfig['metric'];
  readonly method: TestConfig['method'];
  readonly alpha: number;
  readonly randomized: boolean;
  readonly randomization: string;
  /** First day every arm has data (null: none yet), the evaluated date, and the last day mature for attribution. */
  readonly period: { readonly from: LocalDate | null; readonly through: LocalDate; readonly matureThrough: LocalDate };
  readonly includedDays: readonly LocalDate[];
  readonly excludedDays: readonly ExcludedDay[];
  readonly invalidReasons: readonly string[];
  readonly trackingBreaks: readonly TrackingBreak[];
  /** Sample-ratio check of randomized splits: impressions per arm against an equal split. */
  readonly srm: {
    readonly impressions: readonly number[];
    readonly chiSquare: number;
    readonly pValue: number;
    readonly alarm: boolean;
  } | null;
  /** The day's family across tests: its size and how many comparisons it declared significant (BH-adjusted p < α). */
  readonly multiplicity: { readonly method: typeof MULTIPLICITY_METHOD; readonly familySize: number; readonly discoveries: number };
  /** Per comparison: `stats.pValue` is the raw (running-minimum) p-value, `stats.adjustedPValue` the BH value across the day. */
  readonly comparisons: readonly Comparison[];
  /** Sequential method: this look's own p-value per treatment arm, the history of the next look. */
  readonly lookPValues: Readonly<Record<string, number>>;
  readonly names: Readonly<Record<string, string>>;
  /** The plain-words lines of the summary, in order. */
  readonly lines: readonly string[];
  readonly winnerAdsetId: string | null;
}

/** Evaluates each running test once per date (a re-run rewrites the same evaluation and re-publishes the same event ids). */
export async function evaluateTests(
  ctx: AppContext,
  input: { date: LocalDate; runId: string },
): Promise<{ evaluated: number; concluded: number }> {
  const { date } = input;
  const lookup = new Lookup(ctx);
  const running: Prepared[] = [];
  for (const test of ctx.config.tests) {
    const records = await ctx.store.testEvaluations(test.id);
    // A concluded test has stopped: later dates neither re-decide it nor count it in the family.
    if (records.some((r) => r.date < date && isConclusion(r.decision))) continue;
    running.push(await prepare(ctx, lookup, test, date, records));
  }
  const evaluations = running.map((p) => (p.invalidReasons.length === 0 ? firstPass(p) : null));
  const family = adjustAcrossTests(running, evaluations);
  let concluded = 0;
  for (const [i, prepared] of running.entries()) {
    const outcome = finish(ctx, prepared, family.comparisons[i] ?? null, family, date);
    if (isConclusion(outcome.record.decision)) concluded += 1;
    // Publish before storing: if storing fails the re-run publishes the same ids again; once the
    // conclusion is stored, a re-run of the same date does not announce it a second time.
    const events: AdpilotEvent[] = [outcome.evaluated];
    if (outcome.concludedEvent && !(prepared.sameDate && isConclusion(prepared.sameDate.decision))) events.push(outcome.concludedEvent);
    await ctx.events.publish(events);
    await ctx.store.putTestEvaluation(outcome.record);
    ctx.log.info('ab test evaluated', { testId: prepared.test.id, date, decision: outcome.record.decision });
  }
  return { evaluated: running.length, concluded };
}

function isConclusion(decision: Decision): boolean {
  return decision === 'winner' || decision === 'futility';
}

// ---------- loading: arms, clean days, validity ----------

interface Prepared {
  readonly test: TestConfig;
  readonly names: Record<string, string>;
  /** Arms restricted to the included days, in config order (the first is control). */
  readonly arms: ArmDays[];
  readonly period: TestEvaluationResult['period'];
  readonly includedDays: LocalDate[];
  readonly excludedDays: ExcludedDay[];
  readonly invalidReasons: string[];
  readonly srm: TestEvaluationResult['srm'];
  readonly previousPValues: Record<string, number[]>;
  readonly trackingBreaks: TrackingBreak[];
  /** The evaluation already stored for this date (a re-run). */
  readonly sameDate: TestEvaluationRecord | undefined;
}

/** Store reads shared by the day's tests (ad sets per platform, anomalies per date, account time zones). */
class Lookup {
  private readonly adsets = new Map<Platform, Promise<AdSet[]>>();
  private readonly anomalies = new Map<LocalDate, Promise<AnomalyRecord[]>>();
  private readonly zones = new Map<string, Promise<string>>();
  private readonly histories = new Map<string, Promise<{ rows: StoredDailyMetric[]; learning: Set<LocalDate> }>>();
  constructor(private readonly ctx: AppContext) {}

  async adset(platform: Platform, adsetId: string): Promise<AdSet | undefined> {
    let list = this.adsets.get(platform);
    if (!list) {
      list = this.ctx.store.listAdSets(platform);
      this.adsets.set(platform, list);
    }
    return (await list).find((a) => a.adsetId === adsetId);
  }

  /** An ad set's rows through `date` by date and its learning days: read once however many arms run in it (ads of one ad set). */
  adsetHistory(adset: AdSet, date: LocalDate): Promise<{ rows: StoredDailyMetric[]; learning: Set<LocalDate> }> {
    const key = `${adset.platform}\u0000${adset.adsetId}`;
    let found = this.histories.get(key);
    if (!found) {
      found = this.ctx.store.metricsForAdSet(adset.platform, adset.adsetId, '0000-01-01', date).then(async (rows) => {
        rows.sort((a, b) => a.date.localeCompare(b.date));
        return { rows, learning: await learningDays(this.ctx, this, adset, rows, date) };
      });
      this.histories.set(key, found);
    }
    return found;
  }

  async anomaliesOn(date: LocalDate): Promise<AnomalyRecord[]> {
    let found = this.anomalies.get(date);
    if (!found) {
      found = this.ctx.store.anomaliesBetween(date, date);
      this.anomalies.set(date, found);
    }
    return found;
  }

  async timeZone(platform: Platform, accountId: string): Promise<string> {
    const key = `${platform}\u0000${accountId}`;
    let zone = this.zones.get(key);
    if (!zone) {
      zone = this.ctx.store.getAccount(platform, accountId).then((a) => a?.timezone ?? this.ctx.config.timezone);
      this.zones.set(key, zone);
    }
    return zone;
  }
}

interface LoadedArm {
  readonly id: string;
  readonly platform: Platform;
  readonly adset: AdSet | undefined;
  /** The arm's own rows: its ad set's, or its ad's. */
  readonly rows: Map<LocalDate, DailyMetric>;
  readonly learning: Set<LocalDate>;
}

async function prepare(
  ctx: AppContext,
  lookup: Lookup,
  test: TestConfig,
  date: LocalDate,
  records: readonly TestEvaluationRecord[],
): Promise<Prepared> {
  const invalidReasons: string[] = [];
  const names: Record<string, string> = {};
  const loaded: LoadedArm[] = [];
  const level = test.arms.some(isAdArm) ? 'ad' : 'ad set';
  if (new Set(test.arms.map(armId)).size !== test.arms.length) invalidReasons.push(`an ${level} appears in more than one arm`);
  if (test.randomized && new Set(test.arms.map((a) => a.platform)).size > 1)
    invalidReasons.push('a randomized split test runs on one platform, but the arms are on several');
  for (const arm of test.arms) {
    const id = armId(arm);
    const ad = isAdArm(arm) ? await ctx.store.getAd(arm.platform, arm.adId) : undefined;
    // An ad arm is judged on its own rows; its ad set carries the learning phase and the budget edits.
    const parentId = isAdArm(arm) ? ad?.adsetId : arm.adsetId;
    const adset = parentId === undefined ? undefined : await lookup.adset(arm.platform, parentId);
    const name = (isAdArm(arm) ? ad?.name : adset?.name) ?? id;
    names[id] = name;
    if (adset && ad) names[adset.adsetId] = adset.name;
    if (isAdArm(arm) && !ad) invalidReasons.push(`arm ${name} is missing (no such ${arm.platform} ad was ingested)`);
    else if (!adset) invalidReasons.push(`arm ${name} is missing (no such ${arm.platform} ad set was ingested)`);
    else if (ad && ad.status !== 'ACTIVE') invalidReasons.push(`arm ${name} is ${ad.status.toLowerCase()}`);
    else if (adset.status !== 'ACTIVE')
      invalidReasons.push(
        ad ? `the ad set of arm ${name} (${adset.name}) is ${adset.status.toLowerCase()}` : `arm ${name} is ${adset.status.toLowerCase()}`,
      );
    const history = adset ? await lookup.adsetHistory(adset, date) : { rows: [], learning: new Set<LocalDate>() };
    const rows: readonly DailyMetric[] = ad
      ? (await ctx.store.metricsForAd(arm.platform, ad.adId, '0000-01-01', date)).sort((a, b) => a.date.localeCompare(b.date))
      : history.rows;
    const learning = history.learning;
    loaded.push({ id, platform: arm.platform, adset, rows: new Map(rows.map((r) => [r.date, r])), learning });
  }
  if (test.metric === 'cpa' && new Set(loaded.flatMap((a) => (a.adset ? [a.adset.currency] : []))).size > 1)
    invalidReasons.push('the arms bill in different currencies, so their costs per acquisition do not compare');

  // Dates sort as strings: the earliest arm's maturity bounds them all.
  const matureThrough =
    loaded.map((a) => addDays(date, -Math.min(ATTRIBUTION_DAYS, restatementDays(ctx.config, a.platform)))).sort()[0] ?? date;
  const { from, included, excluded } = splitDays(loaded, matureThrough, test.startDate);
  const history = records
    .filter((r) => r.date < date)
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((r) => ({ date: r.date, ...StoredHistory.parse(r.result) }));
  const armAdsets = new Set(loaded.flatMap((a) => (a.adset ? [`${a.platform}\u0000${a.adset.adsetId}`] : [])));
  const trackingBreaks = await brokenTracking(lookup, armAdsets, from, date, history.at(-1));
  if (trackingBreaks.length > 0) invalidReasons.push(...describeBreaks(trackingBreaks, names));

  const arms = loaded.map((a) => ({ id: a.id, name: names[a.id] ?? a.id, days: included.flatMap((d) => a.rows.get(d) ?? []) }));
  let srm: TestEvaluationResult['srm'] = null;
  if (test.randomized && included.length > 0) {
    // Impressions are the only per-arm traffic count the store has; people assigned would be the true unit.
    const impressions = arms.map((a) => a.days.reduce((sum, d) => sum + d.impressions, 0));
    const result = srmTest(
      impressions,
      arms.map(() => 1),
    );
    if (result.kind === 'ok') {
      srm = { impressions, chiSquare: result.chiSquare, pValue: result.pValue, alarm: result.alarm };
      if (result.alarm) invalidReasons.push(srmReason(impressions, arms, result));
    }
  }
  const previousPValues: Record<string, number[]> = {};
  for (const earlier of history) {
    for (const [arm, p] of Object.entries(earlier.lookPValues)) previousPValues[arm] = [...(previousPValues[arm] ?? []), p];
  }
  return {
    test,
    names,
    arms,
    period: { from, through: date, matureThrough },
    includedDays: included,
    excludedDays: excluded,
    invalidReasons,
    srm,
    previousPValues,
    trackingBreaks,
    sameDate: records.find((r) => r.date === date),
  };
}

/**
 * The test period starts on the first day every arm has data, or on the configured start date when that
 * is later. From then on a day counts only when
 * it is mature for attribution, every arm has a row and no arm is learning; otherwise it is left
 * out for every arm, so that the arms are always compared over the same calendar days.
 */
function splitDays(
  arms: readonly LoadedArm[],
  matureThrough: LocalDate,
  startDate?: LocalDate,
): { from: LocalDate | null; included: LocalDate[]; excluded: ExcludedDay[] } {
  const firsts = arms.map((a) => [...a.rows.keys()][0]);
  const from = firsts.some((d) => d === undefined) ? undefined : [...firsts, startDate ?? ''].sort().at(-1);
  if (from === undefined) return { from: null, included: [], excluded: [] };
  const dates = [...new Set(arms.flatMap((a) => [...a.rows.keys()]))].filter((d) => d >= from).sort();
  const included: LocalDate[] = [];
  const excluded: ExcludedDay[] = [];
  for (const d of dates) {
    const missing = arms.filter((a) => !a.rows.has(d)).map((a) => a.id);
    const learning = arms.filter((a) => a.learning.has(d)).map((a) => a.id);
    if (d > matureThrough) excluded.push({ date: d, reason: 'immature', arms: arms.map((a) => a.id) });
    else if (missing.length > 0) excluded.push({ date: d, reason: 'missing-data', arms: missing });
    else if (learning.length > 0) excluded.push({ date: d, reason: 'learning', arms: learning });
    else included.push(d);
  }
  return { from, included, excluded };
}

/**
 * Days an ad set was (probably) in its learning phase. The store keeps only the current learning
 * flag, so the days are reconstructed: the launch (its first day with spend, when adpilot already
 * saw the account the days before, so it is a launch and not the start of our history) and every
 * budget write adpilot applied reset learning, which then lasts until 50 conversions or 7 days;
 * an ad set the platform reports as learning now is counted as learning since its last reset,
 * at most the last 7 days.
 */
async function learningDays(
  ctx: AppContext,
  lookup: Lookup,
  adset: AdSet,
  rows: readonly StoredDailyMetric[],
  date: LocalDate,
): Promise<Set<LocalDate>> {
  const resets: LocalDate[] = [];
  const launch = rows.find((r) => r.spendMicros > 0)?.date;
  if (launch) {
    const before = await ctx.store.metricsForAccount(adset.platform, adset.accountId, addDays(launch, -3), addDays(launch, -1));
    if (before.length > 0) resets.push(launch);
  }
  const zone = await lookup.timeZone(adset.platform, adset.accountId);
  for (const change of await ctx.store.changesForAdSet(adset.platform, adset.adsetId)) {
    if (change.outcome === 'applied' || change.outcome === 'reverted') resets.push(localDateAt(new Date(change.appliedAt), zone));
  }
  const days = new Set<LocalDate>();
  for (const reset of resets) {
    let conversions = 0;
    for (const row of rows) {
      if (row.date < reset) continue;
      if (daysBetween(reset, row.date) >= LEARNING_MAX_DAYS || conversions >= LEARNING_EXIT_CONVERSIONS) break;
      days.add(row.date);
      conversions += row.conversions;
    }
  }
  if (adset.learning) {
    const lastReset = resets.filter((r) => r <= date).reduce<LocalDate | null>((max, r) => (max === null || r > max ? r : max), null);
    const recent = addDays(date, 1 - LEARNING_MAX_DAYS);
    for (const d of dateRange(lastReset !== null && lastReset > recent ? lastReset : recent, date)) days.add(d);
  }
  return days;
}

/**
 * Tracking-breakage anomalies on any arm from the start of the test period through the date.
 * The store keeps anomalies per date, so a full scan costs a query per day of the period: a test
 * evaluated the day before over the same period carries its findings forward, and only the days
 * since then (plus a week for anomalies recorded late) are read again.
 */
async function brokenTracking(
  lookup: Lookup,
  arms: ReadonlySet<string>,
  from: LocalDate | null,
  date: LocalDate,
  previous: { date: LocalDate; period?: { from: LocalDate | null } | undefined; trackingBreaks?: TrackingBreak[] | undefined } | undefined,
): Promise<TrackingBreak[]> {
  if (from === null) return [];
  const carried = previous?.period?.from === from && previous.trackingBreaks !== undefined;
  const recheckFrom = carried ? addDays(previous.date, -TRACKING_RECHECK_DAYS) : from;
  const scanFrom = recheckFrom > from ? recheckFrom : from;
  const found: TrackingBreak[] = carried ? (previous.trackingBreaks ?? []).filter((b) => b.date < scanFrom) : [];
  for (const day of dateRange(scanFrom, date)) {
    for (const anomaly of await lookup.anomaliesOn(day)) {
      if (anomaly.faultType === 'tracking-breakage' && arms.has(`${anomaly.platform}\u0000${anomaly.adsetId}`))
        found.push({ adsetId: anomaly.adsetId, date: anomaly.date });
    }
  }
  return found;
}

function describeBreaks(breaks: readonly TrackingBreak[], names: Readonly<Record<string, string>>): string[] {
  const byArm = new Map<string, LocalDate[]>();
  for (const b of breaks) byArm.set(b.adsetId, [...(byArm.get(b.adsetId) ?? []), b.date]);
  return [...byArm].map(([adsetId, dates]) => `tracking broke on ${names[adsetId] ?? adsetId} (${formatDates(dates)})`);
}

function srmReason(impressions: readonly number[], arms: readonly ArmDays[], result: SrmResult): string {
  const split = arms.map((a, i) => `${a.name ?? a.id} ${impressions[i] ?? 0}`).join(', ');
  return `sample ratio mismatch: impressions ${split} are not the equal split the test promised (p = ${result.pValue.toExponential(1)})`;
}

// ---------- deciding ----------

/** Every comparison of a valid test with clean days, before the correction across tests. */
function firstPass(p: Prepared): TestEvaluation | null {
  if (p.includedDays.length === 0) return null;
  return evaluateTest(p.arms, {
    metric: p.test.metric,
    method: p.test.method,
    minDays: p.test.minDays,
    alpha: ALPHA,
    minimumEffect: MINIMUM_EFFECT,
    detectEffect: DETECT_EFFECT,
    tuning: DEFAULT_DAY_TUNING,
    previousPValues: p.previousPValues,
    // The correction runs across all the day's tests below, the test's own comparisons included.
    adjustment: 'none',
  });
}

interface Family {
  readonly comparisons: (readonly Comparison[] | null)[];
  readonly size: number;
  readonly discoveries: number;
}

/** Comparisons that the day can decide: past the minimum runtime, with a p-value. */
function inFamily(c: Comparison): boolean {
  if (c.kind === 'insufficient-data' || c.stats.pValue === null) return false;
  return !(c.kind === 'continue' && c.reason === 'minimum-runtime');
}

/** BH across every decidable comparison of the day; a winner whose adjusted p-value is not below α is not a winner. */
function adjustAcrossTests(running: readonly Prepared[], evaluations: readonly (TestEvaluation | null)[]): Family {
  const members: { test: number; comparison: number; p: number }[] = [];
  evaluations.forEach((evaluation, test) => {
    evaluation?.comparisons.forEach((c, comparison) => {
      if (inFamily(c) && c.kind !== 'insufficient-data' && c.stats.pValue !== null) members.push({ test, comparison, p: c.stats.pValue });
    });
  });
  const adjusted =
    members.length > 0
      ? adjustPValues(
          members.map((m) => m.p),
          MULTIPLICITY_METHOD,
        )
      : [];
  const byKey = new Map(members.map((m, i) => [`${m.test}:${m.comparison}`, adjusted[i] ?? 1]));
  const comparisons = evaluations.map((evaluation, test) => {
    if (!evaluation) return null;
    const prepared = running[test];
    return evaluation.comparisons.map((c, i) => {
      if (c.kind === 'insufficient-data') return c;
      const q = byKey.get(`${test}:${i}`);
      const stats = { ...c.stats, adjustedPValue: q ?? null };
      if (c.kind !== 'winner' || q === undefined || q < ALPHA || !prepared) return { ...c, stats };
      const base = { control: c.control, treatment: c.treatment, days: c.days, values: c.values };
      if (stats.ci[0] > -MINIMUM_EFFECT && stats.ci[1] < MINIMUM_EFFECT) return { ...base, kind: 'no-difference' as const, stats };
      return {
        ...base,
        kind: 'continue' as const,
        reason: 'not-significant' as const,
        stats,
        additionalDays: daysStillNeeded(prepared, c),
      };
    });
  });
  const discoveries = adjusted.filter((q) => q < ALPHA).length;
  return { comparisons, size: members.length, discoveries };
}

/** The same estimate evaluateTest gives a comparison that continues: days to detect a 10% lift at this volume. */
function daysStillNeeded(p: Prepared, c: Comparison): number | null {
  const arm = (id: string) => metricStats(p.arms.find((a) => a.id === id)?.days ?? [], p.test.metric);
  const lowerIsBetter = METRICS[p.test.metric].lowerIsBetter;
  const estimate = daysToDetect(arm(c.control), arm(c.treatment), {
    mde: lowerIsBetter ? -DETECT_EFFECT : DETECT_EFFECT,
    alpha: ALPHA,
    method: p.test.method === 'sequential' ? 'sequential' : 'fixed',
    tuning: DEFAULT_DAY_TUNING,
  });
  return estimate.kind === 'ok' ? Math.max(1, estimate.additionalDays) : null;
}

function decide(p: Prepared, comparisons: readonly Comparison[] | null): Decision {
  if (p.invalidReasons.length > 0) return 'invalid';
  if (!comparisons || comparisons.length === 0) return 'continue';
  if (comparisons.some((c) => c.kind === 'continue' || c.kind === 'insufficient-data')) return 'continue';
  return comparisons.some((c) => c.kind === 'winner') ? 'winner' : 'futility';
}

/** The best arm of a concluded test: the best treatment that beat control, or control when it beat every other arm. */
function winnerOf(p: Prepared, comparisons: readonly Comparison[]): string | null {
  const lowerIsBetter = METRICS[p.test.metric].lowerIsBetter;
  const better = comparisons.filter((c) => c.kind === 'winner' && c.winner === c.treatment);
  const best = better.sort((a, b) => {
    const ea = a.kind === 'winner' ? a.stats.effect : 0;
    const eb = b.kind === 'winner' ? b.stats.effect : 0;
    return lowerIsBetter ? ea - eb : eb - ea;
  })[0];
  if (best) return best.treatment;
  const control = comparisons[0]?.control;
  return control !== undefined && comparisons.every((c) => c.kind === 'winner' && c.winner === control) ? control : null;
}

// ---------- recording ----------

function finish(
  ctx: AppContext,
  p: Prepared,
  comparisons: readonly Comparison[] | null,
  family: Family,
  date: LocalDate,
): { record: TestEvaluationRecord; evaluated: AdpilotEvent; concludedEvent: AdpilotEvent | null } {
  const decision = decide(p, comparisons);
  const list = decision === 'invalid' ? [] : (comparisons ?? []);
  const winnerAdsetId = isConclusion(decision) ? winnerOf(p, list) : null;
  const lines = describe(p, decision, list, family);
  const summary = lines.join(' ');
  const lookPValues = Object.fromEntries(
    list.flatMap((c) => (c.kind !== 'insufficient-data' && c.stats.lookPValue !== null ? [[c.treatment, c.stats.lookPValue]] : [])),
  );
  const result: TestEvaluationResult = {
    metric: p.test.metric,
    method: p.test.method,
    alpha: ALPHA,
    randomized: p.test.randomized,
    randomization: p.test.randomized ? RANDOMIZED : NOT_RANDOMIZED,
    period: p.period,
    includedDays: p.includedDays,
    excludedDays: p.excludedDays,
    invalidReasons: p.invalidReasons,
    trackingBreaks: p.trackingBreaks,
    srm: p.srm,
    multiplicity: { method: MULTIPLICITY_METHOD, familySize: family.size, discoveries: family.discoveries },
    comparisons: list,
    lookPValues,
    names: p.names,
    lines,
    winnerAdsetId,
  };
  const now = ctx.clock.now();
  const record: TestEvaluationRecord = {
    testId: p.test.id,
    date,
    decision,
    summary,
    // A JSON round trip turns the readonly interfaces into the plain record the store schema holds.
    result: JSON.parse(JSON.stringify(result)) as Record<string, unknown>,
    evaluatedAt: now.toISOString(),
  };
  const detail = { version: 1 as const, client: ctx.config.client, testId: p.test.id, date, decision, summary };
  const evaluated = makeEvent('AB Test Evaluated', { ...detail, id: `ab-test-evaluated:${p.test.id}:${date}` }, now);
  const concludedEvent = isConclusion(decision)
    ? makeEvent('AB Test Concluded', { ...detail, id: `ab-test-concluded:${p.test.id}`, winnerAdsetId }, now)
    : null;
  return { record, evaluated, concludedEvent };
}

/** The plain-words lines: the verdict per comparison (or why the test is invalid), what was left out, and how it was assigned. */
function describe(p: Prepared, decision: Decision, comparisons: readonly Comparison[], family: Family): string[] {
  const lines: string[] = [];
  if (decision === 'invalid') lines.push(`Invalid: ${p.invalidReasons.join('; ')}.`);
  else if (comparisons.length === 0) lines.push(`No clean day for every arm yet (mature through ${p.period.matureThrough}).`);
  for (const c of comparisons) {
    let line = describeComparison(c, p.test.metric, p.names);
    if (c.kind === 'continue' && c.reason === 'not-significant' && c.stats.pValue !== null && c.stats.pValue < ALPHA)
      line += ` (significant alone, not after correcting for the ${family.size} comparisons decided today)`;
    lines.push(`${line}.`);
  }
  const excluded = describeExclusions(p.excludedDays, p.names);
  if (excluded) lines.push(`Excluded: ${excluded}.`);
  lines.push(`${capitalize(p.test.randomized ? RANDOMIZED : NOT_RANDOMIZED)}.`);
  return lines;
}

const REASON_TEXT: Record<ExclusionReason, (n: number) => string> = {
  immature: (n) => `${n} day${n === 1 ? '' : 's'} not yet mature for attribution`,
  learning: (n) => `${n} learning-phase day${n === 1 ? '' : 's'}`,
  'missing-data': (n) => `${n} day${n === 1 ? '' : 's'} without data for every arm`,
};

function describeExclusions(excluded: readonly ExcludedDay[], names: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const reason of ['learning', 'missing-data', 'immature'] as const) {
    const days = excluded.filter((e) => e.reason === reason);
    if (days.length === 0) continue;
    const arms = reason === 'immature' ? '' : ` of ${[...new Set(days.flatMap((d) => d.arms))].map((id) => names[id] ?? id).join(', ')}`;
    parts.push(`${REASON_TEXT[reason](days.length)}${arms} (${formatDates(days.map((d) => d.date))})`);
  }
  return parts.join(', ');
}

/** Sorted dates as ranges: 2026-11-01…2026-11-03, 2026-11-07. */
function formatDates(dates: readonly LocalDate[]): string {
  const sorted = [...new Set(dates)].sort();
  const ranges: string[] = [];
  let start: LocalDate | undefined;
  let end: LocalDate | undefined;
  for (const d of sorted) {
    if (start !== undefined && end !== undefined && addDays(end, 1) === d) {
      end = d;
      continue;
    }
    if (start !== undefined && end !== undefined) ranges.push(start === end ? start : `${start}…${end}`);
    start = d;
    end = d;
  }
  if (start !== undefined && end !== undefined) ranges.push(start === end ? start : `${start}…${end}`);
  return ranges.join(', ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
