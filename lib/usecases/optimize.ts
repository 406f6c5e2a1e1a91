/**
 * The steps of the optimize state machine. Each step reads what it needs from the store and
 * returns a small JSON result (state machine payloads stay far below the 256 KB limit);
 * re-running any step with the same input changes nothing a second time.
 */
import { type AdSetFacts, checkGuardrails } from '../allocation/guardrails.ts';
import { type LoggedStep, learningSafeStepPct } from '../allocation/learning-step.ts';
import { planBudgets } from '../allocation/plan.ts';
import { isManaged } from '../config/platforms.ts';
import { isAdArm, type TestConfig } from '../config/schema.ts';
import { makeEvent } from '../events/publisher.ts';
import { type Ad, type AdSet, budgetHolderKey, budgetHolders, type StoredDailyMetric } from '../model/ads.ts';
import { addDays, type LocalDate, localDateAt, scheduledLocalDate } from '../model/dates.ts';
import type { PlatformConnector } from '../platforms/port.ts';
import type { AppContext } from '../runtime/context.ts';
import { type BudgetPlan, isBudgetChange, type PlannedChange } from '../store/records.ts';
import { toReportingMicros } from './currency.ts';
import { UseCaseError } from './errors.ts';
import { statusChangedEvent, writeStatus } from './status-changes.ts';
import { type ConcludedTest, steerConcludedTests, winnerOf } from './test-actions.ts';

export type PlanMode = BudgetPlan['mode'];

/** Days of history the response model learns from. */
const HISTORY_DAYS = 56;

/** Days after an edit in which a learning phase is blamed on it (Meta: the week after a significant edit). */
const LEARNING_WINDOW_DAYS = 7;

/** The ad sets adpilot manages: active, configured in, with a daily budget. */
export async function managedAdSets(ctx: AppContext): Promise<AdSet[]> {
  const adsets = await ctx.store.listAdSets();
  return adsets.filter((a) => a.status === 'ACTIVE' && a.dailyBudgetMicros !== null && isManaged(ctx.config, a.adsetId));
}

/** LoadState: checks there is data to decide on and names the run. */
export async function loadState(ctx: AppContext, input: { date: string }): Promise<{ date: LocalDate; runId: string; adsets: number }> {
  const date = scheduledLocalDate(input.date, ctx.config.timezone);
  const adsets = await managedAdSets(ctx);
  return { date, runId: `optimize:${ctx.config.client}:${date}`, adsets: adsets.length };
}

/** The id of the day's plan: one plan per client and date, so a re-run finds the same plan. */
export function planIdFor(client: string, date: LocalDate): string {
  return `${client}-${date}`;
}

/** PlanBudgets: computes and stores the day's plan (once). */
export async function createPlan(
  ctx: AppContext,
  input: { date: LocalDate; runId: string },
): Promise<{ planId: string; mode: PlanMode; changeCount: number }> {
  const planId = planIdFor(ctx.config.client, input.date);
  const existing = await ctx.store.getPlan(planId);
  if (existing) return { planId, mode: existing.mode, changeCount: existing.changes.length };

  const adsets = await managedAdSets(ctx);
  const now = ctx.clock.now();
  const history = await historyOf(ctx, adsets, input.date);
  const coolingDown = new Set<string>();
  const pausedBefore = new Set<string>();
  const steps: LoggedStep[] = [];
  for (const adset of adsets) {
    const log = await ctx.store.changesForAdSet(adset.platform, adset.adsetId);
    for (const c of log) if (c.action === 'pause' && c.outcome === 'applied') pausedBefore.add(c.adId ?? c.adsetId);
    const applied = log.filter((c) => c.outcome === 'applied' && isBudgetChange(c));
    const last = applied.at(-1);
    if (last && now.getTime() - new Date(last.appliedAt).getTime() < ctx.config.budget.cooldownHours * 3_600_000)
      coolingDown.add(adset.adsetId);
    for (const c of applied)
      steps.push({
        adsetId: c.adsetId,
        // The client's day, the one `since` below is counted in (a UTC slice is a day off east or west of UTC).
        date: localDateAt(new Date(c.appliedAt), ctx.config.timezone),
        beforeMicros: c.beforeMicros,
        afterMicros: c.afterMicros,
      });
  }
  const { budget } = ctx.config;
  // Keep steps under the smallest one our log shows restarting learning (carried over from yesterday's plan).
  const previous = (await ctx.store.getPlan(planIdFor(ctx.config.client, addDays(input.date, -1))))?.inputs.learningSafeStepPct;
  const maxChangePct = learningSafeStepPct({
    maxChangePct: budget.maxChangePct,
    changes: steps,
    learningAdsetIds: new Set(adsets.filter((a) => a.learning).map((a) => a.adsetId)),
    since: addDays(input.date, -LEARNING_WINDOW_DAYS),
    ...(typeof previous === 'number' ? { previousPct: previous } : {}),
  });
  // Running tests hold their arms; concluded ones act on them; the allocator plans the rest around them.
  const { concluded, running } = await testsOn(ctx, input.date);
  const steering = steerConcludedTests({
    planId,
    config: ctx.config,
    adsets,
    concluded,
    running,
    coolingDownAdsetIds: coolingDown,
    pausedBeforeIds: pausedBefore,
    ads: await testArmAds(ctx),
  });
  const decision = planBudgets({
    planId,
    date: input.date,
    objective: ctx.config.objective,
    adsets: adsets.filter((a) => !steering.steeredAdsetIds.has(a.adsetId)),
    currency: ctx.config.currency,
    history,
    dailyTotalMicros:
      budget.dailyTotal -
      sumReporting(
        ctx,
        afterChanges(
          adsets.filter((a) => steering.steeredAdsetIds.has(a.adsetId)),
          steering.changes,
        ),
      ),
    minDailyMicros: budget.minDaily,
    maxChangePct,
    frozenAdsetIds: budget.frozen,
    coolingDownAdsetIds: coolingDown,
  });
  const changes = [...steering.changes, ...decision.changes];
  const holds = [...steering.holds, ...decision.holds];
  const totalBefore = sumReporting(ctx, adsets);
  const totalAfter = sumReporting(ctx, afterChanges(adsets, changes));
  const plan: BudgetPlan = {
    planId,
    date: input.date,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    mode: ctx.config.budget.mode,
    status: 'planned',
    currency: ctx.config.currency,
    totalBeforeMicros: totalBefore,
    totalAfterMicros: totalAfter,
    changes,
    holds,
    inputs: {
      adsets: adsets.map((a) => ({ platform: a.platform, adsetId: a.adsetId, budgetMicros: a.dailyBudgetMicros, currency: a.currency })),
      coolingDown: [...coolingDown],
      historyDays: HISTORY_DAYS,
      limits: { ...ctx.config.budget },
      learningSafeStepPct: maxChangePct,
      model: decision.model,
    },
  };
  const stored = await ctx.store.putPlanIfAbsent(plan);
  return { planId, mode: stored.mode, changeCount: stored.changes.length };
}

/**
 * ApplyGuardrails: re-checks every change against the limits right before applying. A pause only stops
 * spend, so it is checked for what it touches (not a frozen ad set, still managed); its budget keeps counting
 * against the total as if it still spent.
 */
export async function applyGuardrails(
  ctx: AppContext,
  input: { planId: string },
): Promise<{ planId: string; mode: PlanMode; changeIds: string[]; rejected: number }> {
  const plan = await requirePlan(ctx, input.planId);
  const adsets = await managedAdSets(ctx);
  const facts = new Map<string, AdSetFacts>();
  for (const adset of adsets) {
    const log = await ctx.store.changesForAdSet(adset.platform, adset.adsetId);
    const written = log.filter((c) => c.outcome === 'applied' || c.outcome === 'reverted');
    facts.set(adset.adsetId, {
      adsetId: adset.adsetId,
      learning: adset.learning,
      lastChangedAt: written.at(-1)?.appliedAt ?? null,
      changedAt: written.map((c) => c.appliedAt),
    });
  }
  const budgetChanges = plan.changes.filter(isBudgetChange);
  const managed = new Set(adsets.map((a) => a.adsetId));
  const pauses = plan.changes
    .filter((c) => !isBudgetChange(c))
    .map((c) => ({ change: c, pass: managed.has(c.adsetId) && !ctx.config.budget.frozen.includes(c.adsetId) }));
  const changedHolders = new Set(budgetChanges.map(budgetHolderKey));
  const unchangedTotal = sumReporting(
    ctx,
    adsets.filter((a) => !changedHolders.has(budgetHolderKey(a))),
  );
  const inReporting = budgetChanges.map((c) => ({
    ...c,
    beforeMicros: toReportingMicros(ctx.config, c.beforeMicros, c.currency),
    afterMicros: toReportingMicros(ctx.config, c.afterMicros, c.currency),
  }));
  const { budget } = ctx.config;
  const verdicts = checkGuardrails(inReporting, {
    limits: {
      dailyTotalMicros: budget.dailyTotal,
      maxChangePct: budget.maxChangePct,
      minDailyMicros: budget.minDaily,
      cooldownHours: budget.cooldownHours,
      frozenAdsetIds: budget.frozen,
    },
    facts,
    unchangedTotalMicros: unchangedTotal,
    now: ctx.clock.now(),
  });
  const passing = [
    ...pauses.filter((p) => p.pass).map((p) => p.change.changeId),
    ...verdicts.filter((v) => v.kind === 'pass').map((v) => v.change.changeId),
  ];
  return { planId: plan.planId, mode: plan.mode, changeIds: passing, rejected: plan.changes.length - passing.length };
}

/** ApplyBudgetChange: applies one change exactly once, reading the budget back after the write. */
export async function applyBudgetChange(
  ctx: AppContext,
  input: { planId: string; changeId: string },
): Promise<{ changeId: string; outcome: 'applied' | 'skipped' | 'failed' }> {
  const plan = await requirePlan(ctx, input.planId);
  const change = plan.changes.find((c) => c.changeId === input.changeId);
  if (!change) throw new UseCaseError(`plan ${input.planId} has no change ${input.changeId}`);
  const done = await ctx.store.getChange(change.changeId);
  if (done) return { changeId: change.changeId, outcome: 'skipped' };

  const adset = await ctx.store.getAdSet(change.platform, change.accountId, change.adsetId);
  if (!adset) throw new UseCaseError(`unknown ad set ${change.platform} ${change.adsetId}`);
  const connector = await ctx.connector(change.platform);
  if (change.action === 'pause') return applyPause(ctx, plan, change, adset, connector);
  const now = ctx.clock.now();
  const current = await connector.getDailyBudget(adset);
  let readBack: number;
  if (current === change.afterMicros) {
    // A previous attempt wrote the budget and stopped before recording it: record, do not write again.
    readBack = current;
  } else if (current !== change.beforeMicros) {
    return recordFailure(
      ctx,
      plan,
      change,
      `the budget is ${current ?? 'unset'} on the platform, not the ${change.beforeMicros} the plan expected`,
    );
  } else {
    const written = await connector.setDailyBudget(adset, change.afterMicros);
    readBack = written.readBackMicros;
    if (readBack !== written.appliedMicros) {
      return recordFailure(ctx, plan, change, `read back ${readBack} after writing ${written.appliedMicros}`);
    }
  }
  await ctx.store.appendChange({
    ...change,
    planId: plan.planId,
    appliedAt: now.toISOString(),
    outcome: 'applied',
    readBackMicros: readBack,
    error: null,
    revertsChangeId: null,
  });
  await ctx.events.publish([
    makeEvent(
      'Budget Changed',
      { ...changeEventBase(ctx, plan, change), id: `budget-changed:${change.changeId}`, afterMicros: readBack },
      now,
    ),
  ]);
  return { changeId: change.changeId, outcome: 'applied' };
}

/**
 * Pauses a losing test arm (an ad set, or one ad). Writing PAUSED again is harmless, so a run that stopped
 * between the write and the record simply writes and records it again.
 */
async function applyPause(
  ctx: AppContext,
  plan: BudgetPlan,
  change: PlannedChange,
  adset: AdSet,
  connector: PlatformConnector,
): Promise<{ changeId: string; outcome: 'applied' | 'failed' }> {
  const readBack = await writeStatus(ctx, change, adset, connector, 'PAUSED');
  if (readBack !== 'PAUSED') return recordFailure(ctx, plan, change, `read back status ${readBack} after pausing`);
  const now = ctx.clock.now();
  await ctx.store.appendChange({
    ...change,
    planId: plan.planId,
    appliedAt: now.toISOString(),
    outcome: 'applied',
    readBackMicros: null,
    error: null,
    revertsChangeId: null,
  });
  await ctx.events.publish([statusChangedEvent(ctx, plan.planId, change, 'PAUSED', null, now)]);
  return { changeId: change.changeId, outcome: 'applied' };
}

async function recordFailure(
  ctx: AppContext,
  plan: BudgetPlan,
  change: PlannedChange,
  error: string,
): Promise<{ changeId: string; outcome: 'failed' }> {
  const now = ctx.clock.now();
  await ctx.store.appendChange({
    ...change,
    planId: plan.planId,
    appliedAt: now.toISOString(),
    outcome: 'failed',
    readBackMicros: null,
    error,
    revertsChangeId: null,
  });
  await ctx.events.publish([
    makeEvent(
      'Budget Change Failed',
      { ...changeEventBase(ctx, plan, change), id: `budget-change-failed:${change.changeId}`, requestedMicros: change.afterMicros, error },
      now,
    ),
  ]);
  return { changeId: change.changeId, outcome: 'failed' };
}

/** RecordPlan: settles the plan's status and announces it. */
export async function recordPlan(
  ctx: AppContext,
  input: { planId: string; mode: PlanMode; applied: readonly { changeId: string; outcome: string }[] },
): Promise<{ planId: string; status: BudgetPlan['status'] }> {
  const plan = await requirePlan(ctx, input.planId);
  const now = ctx.clock.now();
  const failed = input.applied.filter((a) => a.outcome === 'failed').length;
  const target: BudgetPlan['status'] =
    plan.mode === 'dry-run' ? 'dry-run' : plan.mode === 'approve' ? 'pending-approval' : failed > 0 ? 'partially-applied' : 'applied';
  if (plan.status === 'planned') await ctx.store.transitionPlan(plan.planId, 'planned', target, now);
  const status = (await requirePlan(ctx, plan.planId)).status;
  await ctx.events.publish([
    makeEvent(
      'Budget Plan Created',
      {
        version: 1,
        id: `budget-plan-created:${plan.planId}`,
        client: ctx.config.client,
        planId: plan.planId,
        date: plan.date,
        mode: plan.mode,
        changes: plan.changes.length,
        holds: plan.holds.length,
        totalBeforeMicros: plan.totalBeforeMicros,
        totalAfterMicros: plan.totalAfterMicros,
        currency: plan.currency,
      },
      now,
    ),
  ]);
  return { planId: plan.planId, status };
}

/** The fields every budget-change event shares. */
function changeEventBase(ctx: AppContext, plan: BudgetPlan, change: PlannedChange) {
  return {
    version: 1 as const,
    client: ctx.config.client,
    platform: change.platform,
    accountId: change.accountId,
    adsetId: change.adsetId,
    adsetName: change.adsetName,
    planId: plan.planId,
    changeId: change.changeId,
    currency: change.currency,
    beforeMicros: change.beforeMicros,
    reason: change.reason,
  };
}

/** Complete days of the managed ad sets over the model's look-back. */
async function historyOf(ctx: AppContext, adsets: readonly AdSet[], date: LocalDate): Promise<StoredDailyMetric[]> {
  const managed = new Set(adsets.map((a) => a.adsetId));
  const accounts = [...new Map(adsets.map((a) => [`${a.platform}\u0000${a.accountId}`, a])).values()];
  const rows = await Promise.all(
    accounts.map((a) => ctx.store.metricsForAccount(a.platform, a.accountId, addDays(date, -HISTORY_DAYS), addDays(date, -1))),
  );
  return rows.flat().filter((r) => managed.has(r.adsetId));
}

async function requirePlan(ctx: AppContext, planId: string): Promise<BudgetPlan> {
  const plan = await ctx.store.getPlan(planId);
  if (!plan) throw new UseCaseError(`no plan ${planId}`);
  return plan;
}

/** The ad sets' daily budgets in the reporting currency, each campaign budget counted once. */
export function sumReporting(ctx: AppContext, adsets: readonly AdSet[]): number {
  return budgetHolders(adsets).reduce((sum, a) => sum + toReportingMicros(ctx.config, a.dailyBudgetMicros ?? 0, a.currency), 0);
}

/** The ad sets with the budgets the changes give them. */
function afterChanges(adsets: readonly AdSet[], changes: readonly PlannedChange[]): AdSet[] {
  const after = new Map(changes.map((c) => [budgetHolderKey(c), c.afterMicros]));
  return adsets.map((a) => ({ ...a, dailyBudgetMicros: after.get(budgetHolderKey(a)) ?? a.dailyBudgetMicros }));
}

/** The stored ads that the config's ad-level tests name as arms. */
async function testArmAds(ctx: AppContext): Promise<Ad[]> {
  const arms = ctx.config.tests.flatMap((t) => t.arms.filter(isAdArm));
  const ads = await Promise.all(arms.map((arm) => ctx.store.getAd(arm.platform, arm.adId)));
  return ads.filter((a): a is Ad => a !== undefined);
}

/**
 * The config's tests on `date`: those that concluded with a winner on or before it and have an action, with
 * that conclusion; and those that have started and not concluded (winner or futility) yet.
 */
async function testsOn(ctx: AppContext, date: LocalDate): Promise<{ concluded: ConcludedTest[]; running: TestConfig[] }> {
  const concluded: ConcludedTest[] = [];
  const running: TestConfig[] = [];
  for (const test of ctx.config.tests) {
    const records = (await ctx.store.testEvaluations(test.id)).filter((r) => r.date <= date);
    const winner = records.find((r) => winnerOf(r) !== null);
    if (winner && test.onConclusion !== 'none') concluded.push({ test, conclusion: winner });
    const ended = records.some((r) => r.decision === 'winner' || r.decision === 'futility');
    if (!ended && (test.startDate === undefined || test.startDate <= date)) running.push(test);
  }
  return { concluded, running };
}
