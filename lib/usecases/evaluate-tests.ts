/**
 * EvaluateTests: evaluates every A/B test of the client config on the days that are mature,
 * stores the evaluation (with the look's p-value, so the next look can keep the running
 * minimum) and announces it.
 */
import { restatementDays } from '../config/platforms.ts';
import type { TestConfig } from '../config/schema.ts';
import { makeEvent } from '../events/publisher.ts';
import type { AdpilotEvent } from '../events/schemas.ts';
import { addDays, type LocalDate } from '../model/dates.ts';
import type { AppContext } from '../runtime/context.ts';
import { type ArmDays, describeComparison, evaluateTest, type TestEvaluation } from '../stats/index.ts';
import type { TestEvaluationRecord } from '../store/records.ts';

/** Days after which a day's conversions count as mature: the platforms' default click attribution window. */
const ATTRIBUTION_DAYS = 7;

type Decision = TestEvaluationRecord['decision'];

/** Evaluates each configured test once per date (a re-run rewrites the same evaluation). */
export async function evaluateTests(
  ctx: AppContext,
  input: { date: LocalDate; runId: string },
): Promise<{ evaluated: number; concluded: number }> {
  let concluded = 0;
  for (const test of ctx.config.tests) {
    const outcome = await evaluateOne(ctx, test, input.date);
    if (outcome === 'winner' || outcome === 'futility') concluded += 1;
  }
  return { evaluated: ctx.config.tests.length, concluded };
}

async function evaluateOne(ctx: AppContext, test: TestConfig, date: LocalDate): Promise<Decision> {
  const history = (await ctx.store.testEvaluations(test.id)).filter((e) => e.date < date);
  const alreadyConcluded = history.find((e) => e.decision === 'winner' || e.decision === 'futility');
  const names: Record<string, string> = {};
  const arms: ArmDays[] = [];
  const notes: string[] = [];
  let invalid: string | null = null;
  for (const arm of test.arms) {
    const adset = (await ctx.store.listAdSets(arm.platform)).find((a) => a.adsetId === arm.adsetId);
    names[arm.adsetId] = adset?.name ?? arm.adsetId;
    if (!adset) invalid ??= `arm ${arm.adsetId} is not in the store`;
    else if (adset.status !== 'ACTIVE') invalid ??= `arm ${adset.name} is ${adset.status.toLowerCase()}`;
    const matureThrough = addDays(date, -Math.min(ATTRIBUTION_DAYS, restatementDays(ctx.config, arm.platform)));
    const rows = await ctx.store.metricsForAdSet(arm.platform, arm.adsetId, '0000-01-01', matureThrough);
    notes.push(`${names[arm.adsetId]}: ${rows.length} mature days through ${matureThrough}`);
    arms.push({ id: arm.adsetId, name: names[arm.adsetId] ?? arm.adsetId, days: rows });
  }
  const previousPValues: Record<string, number[]> = {};
  for (const evaluation of history) {
    const looks = (evaluation.result.lookPValues ?? {}) as Record<string, number>;
    for (const [arm, p] of Object.entries(looks)) previousPValues[arm] = [...(previousPValues[arm] ?? []), p];
  }
  let evaluation: TestEvaluation | null = null;
  if (!invalid && arms.every((a) => a.days.length > 0)) {
    evaluation = evaluateTest(arms, { metric: test.metric, method: test.method, minDays: test.minDays, previousPValues });
  }
  const decision: Decision = invalid ? 'invalid' : decide(evaluation);
  const summary = invalid
    ? `Test ${test.id} is invalid: ${invalid}`
    : evaluation
      ? evaluation.comparisons.map((c) => describeComparison(c, test.metric, names)).join('; ')
      : `Test ${test.id}: no data for every arm yet`;
  const labelled = `${summary}${test.randomized ? '' : ' (not randomized: each ad set reaches the audience its delivery found)'}`;
  const now = ctx.clock.now();
  const lookPValues = Object.fromEntries(
    (evaluation?.comparisons ?? []).flatMap((c) =>
      c.kind !== 'insufficient-data' && c.stats.lookPValue !== null ? [[c.treatment, c.stats.lookPValue]] : [],
    ),
  );
  await ctx.store.putTestEvaluation({
    testId: test.id,
    date,
    decision,
    summary: labelled,
    result: { comparisons: evaluation?.comparisons ?? [], lookPValues, notes, randomized: test.randomized },
    evaluatedAt: now.toISOString(),
  });
  const detail = { version: 1 as const, client: ctx.config.client, testId: test.id, date, decision, summary: labelled };
  const events: AdpilotEvent[] = [makeEvent('AB Test Evaluated', { ...detail, id: `ab-test-evaluated:${test.id}:${date}` }, now)];
  if ((decision === 'winner' || decision === 'futility') && !alreadyConcluded) {
    const winner = evaluation?.comparisons.find((c) => c.kind === 'winner');
    events.push(
      makeEvent(
        'AB Test Concluded',
        { ...detail, id: `ab-test-concluded:${test.id}`, winnerAdsetId: winner && winner.kind === 'winner' ? winner.winner : null },
        now,
      ),
    );
  }
  await ctx.events.publish(events);
  return decision;
}

function decide(evaluation: TestEvaluation | null): Decision {
  if (!evaluation) return 'continue';
  if (evaluation.comparisons.some((c) => c.kind === 'winner')) return 'winner';
  if (evaluation.comparisons.length > 0 && evaluation.comparisons.every((c) => c.kind === 'no-difference')) return 'futility';
  return 'continue';
}
