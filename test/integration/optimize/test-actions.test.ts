/**
 * Concluded A/B tests acted on by the real plan and apply steps against the fake Meta API:
 * - `shift-budget`: the day's plan moves one guarded step of budget from the losing arm to the winner, the
 *   allocator plans the other ad sets around the pair, and the plan stays within the daily total;
 * - `pause-loser`: the loser is paused on the platform exactly once (also after a crash between the write and
 *   the record), announced, undone by `revert`, and not paused again the next day.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import type { TestConfig } from '../../../lib/config/schema.ts';
import { StatusChanged } from '../../../lib/events/schemas.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import { applyBudgetChange, applyGuardrails, createPlan } from '../../../lib/usecases/optimize.ts';
import { revertChange } from '../../../lib/usecases/revert.ts';
import { fakeMetaConnector } from '../fake-meta.ts';

const TOKEN = 'steer-token';
const DATE = '2026-11-20';
const LOSER = '23850000000001';
const WINNER = '23850000000002';

let fake: FakeMetaServer | undefined;
let runtime: LocalRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  await fake?.close();
});

describe('the daily plan acts on a concluded shift-budget test', () => {
  it('moves budget from the loser to the winner within the step limit and keeps the plan inside the daily total', async () => {
    const { runtime: rt } = await setUp('shift-budget', 'dry-run');
    runtime = rt;
    const adsets = await runtime.ctx.store.listAdSets('meta', SAMPLE_ACCOUNT_ID);
    const budget = (id: string) => adsets.find((a) => a.adsetId === id)?.dailyBudgetMicros ?? 0;

    const { planId } = await createPlan(runtime.ctx, { date: DATE, runId: 'r1' });
    const plan = await runtime.ctx.store.getPlan(planId);
    if (!plan) throw new Error('no plan stored');
    const winner = plan.changes.find((c) => c.adsetId === WINNER);
    const loser = plan.changes.find((c) => c.adsetId === LOSER);
    const moved = Math.min(Math.floor(budget(WINNER) * 0.2), Math.floor(budget(LOSER) * 0.2));
    expect(winner).toMatchObject({ beforeMicros: budget(WINNER), afterMicros: budget(WINNER) + moved });
    expect(loser).toMatchObject({ beforeMicros: budget(LOSER), afterMicros: budget(LOSER) - moved });
    expect(winner?.reason).toMatch(/^\+\d+%: test broad-vs-lookalike concluded: Lookalike 1% won/);
    expect(plan.changes.filter((c) => c.adsetId === WINNER || c.adsetId === LOSER)).toHaveLength(2);
    expect(plan.totalAfterMicros).toBeLessThanOrEqual(1_500_000_000);
    const after = new Map(adsets.map((a) => [a.adsetId, a.dailyBudgetMicros ?? 0]));
    for (const c of plan.changes) after.set(c.adsetId, c.afterMicros);
    expect([...after.values()].reduce((s, v) => s + v, 0)).toBe(plan.totalAfterMicros);
  });
});

describe('the daily plan acts on a concluded pause-loser test', () => {
  it('pauses the loser once, announces it, undoes it on revert and does not pause it again', async () => {
    const { runtime: rt, market, clock } = await setUp('pause-loser', 'auto');
    runtime = rt;
    const ctx = rt.ctx;
    const { planId } = await createPlan(ctx, { date: DATE, runId: 'r1' });
    const plan = await ctx.store.getPlan(planId);
    if (!plan) throw new Error('no plan stored');
    const pause = plan.changes.find((c) => c.adsetId === LOSER);
    expect(pause).toMatchObject({
      action: 'pause',
      reason: expect.stringMatching(/^paused: test broad-vs-lookalike concluded: Lookalike 1% won/),
    });
    expect(pause?.afterMicros).toBe(pause?.beforeMicros);
    expect(plan.totalAfterMicros).toBeLessThanOrEqual(1_500_000_000);
    if (!pause) throw new Error('no pause planned');

    const { changeIds } = await applyGuardrails(ctx, { planId });
    expect(changeIds).toContain(pause.changeId);
    // A previous run wrote the pause and died before recording it: the re-run writes PAUSED again (harmless) and records once.
    const loser = await ctx.store.getAdSet('meta', SAMPLE_ACCOUNT_ID, LOSER);
    if (!loser) throw new Error('no loser');
    await (await ctx.connector('meta')).setStatus(loser, 'PAUSED');
    expect(await applyBudgetChange(ctx, { planId, changeId: pause.changeId })).toEqual({ changeId: pause.changeId, outcome: 'applied' });
    expect(await applyBudgetChange(ctx, { planId, changeId: pause.changeId })).toEqual({ changeId: pause.changeId, outcome: 'skipped' });
    expect(market.adset(LOSER).status).toBe('PAUSED');
    expect(market.adset(LOSER).dailyBudgetMicros).toBe(pause.beforeMicros);
    const statusEvents = () => rt.bus.events.filter((e) => e['detail-type'] === 'Status Changed').map((e) => StatusChanged.parse(e.detail));
    expect(statusEvents()).toEqual([
      {
        version: 1,
        id: `status-changed:${pause.changeId}`,
        client: 'acme',
        platform: 'meta',
        accountId: SAMPLE_ACCOUNT_ID,
        adsetId: LOSER,
        adsetName: pause.adsetName,
        level: 'adset',
        planId,
        changeId: pause.changeId,
        reason: pause.reason,
        statusBefore: 'ACTIVE',
        statusAfter: 'PAUSED',
        revertedChangeId: null,
      },
    ]);
    expect(
      rt.bus.events.filter((e) => e['detail-type'] === 'Budget Changed' && 'adsetId' in e.detail && e.detail.adsetId === LOSER),
    ).toEqual([]);

    // Undo: active again with its budget, announced, and a second undo is a no-op.
    const reverted = await revertChange(ctx, pause.changeId);
    expect(reverted).toEqual({
      kind: 'reverted',
      changeId: pause.changeId,
      revertId: `revert-${pause.changeId}`,
      budgetMicros: pause.beforeMicros,
      currency: 'EUR',
      reactivated: true,
    });
    expect(market.adset(LOSER).status).toBe('ACTIVE');
    expect(await revertChange(ctx, pause.changeId)).toEqual({
      kind: 'already-reverted',
      changeId: pause.changeId,
      revertId: `revert-${pause.changeId}`,
    });
    expect(statusEvents().map((e) => [e.statusBefore, e.statusAfter, e.revertedChangeId])).toEqual([
      ['ACTIVE', 'PAUSED', null],
      ['PAUSED', 'ACTIVE', pause.changeId],
    ]);

    // The next day the test is still concluded, but an arm adpilot paused once (and a person re-activated) stays active.
    clock.set('2026-11-21T05:00:00Z');
    await rt.invoke('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    const next = await createPlan(ctx, { date: '2026-11-21', runId: 'r2' });
    const nextPlan = await ctx.store.getPlan(next.planId);
    expect(nextPlan?.changes.filter((c) => c.action === 'pause')).toEqual([]);
  });
});

/** A local runtime over the fake Meta API with one concluded test (B won) and the sample account ingested. */
async function setUp(onConclusion: TestConfig['onConclusion'], mode: 'auto' | 'dry-run') {
  const clock = new ManualClock('2026-11-20T05:00:00Z');
  const market = sampleMarket(3, clock);
  fake = await startFakeMeta({ market, accessToken: TOKEN });
  const baseUrl = fake.baseUrl;
  const config = parseClientConfig({
    client: 'acme',
    timezone: 'Europe/Paris',
    currency: 'EUR',
    budget: { dailyTotal: '1500.00', mode, maxChangePct: 20 },
    platforms: { meta: { accounts: [SAMPLE_ACCOUNT_ID] } },
    report: { recipients: ['lead@acme.example'] },
    tests: [
      {
        id: 'broad-vs-lookalike',
        arms: [
          { platform: 'meta', adsetId: LOSER },
          { platform: 'meta', adsetId: WINNER },
        ],
        onConclusion,
      },
    ],
  });
  const rt = await startLocalRuntime({
    config,
    clock,
    retryIntervalMs: 0,
    connector: async () => fakeMetaConnector(baseUrl, TOKEN),
  });
  await rt.invoke('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
  await rt.ctx.store.putTestEvaluation({
    testId: 'broad-vs-lookalike',
    date: DATE,
    decision: 'winner',
    summary: 'Lookalike 1% beats Prospecting – Broad on ROAS',
    result: { winnerAdsetId: WINNER },
    evaluatedAt: '2026-11-20T05:00:00.000Z',
  });
  return { runtime: rt, market, clock };
}
