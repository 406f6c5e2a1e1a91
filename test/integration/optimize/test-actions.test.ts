/**
 * A concluded A/B test with `onConclusion: shift-budget`: the day's plan moves one guarded step of budget from
 * the losing arm to the winner, the allocator plans the other ad sets around the pair, and the plan stays
 * within the daily total.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { createMetaConnector } from '../../../lib/platforms/meta/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import { createPlan } from '../../../lib/usecases/optimize.ts';

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
    const clock = new ManualClock('2026-11-20T05:00:00Z');
    const market = sampleMarket(3, clock);
    fake = await startFakeMeta({ market, accessToken: TOKEN });
    const baseUrl = fake.baseUrl;
    const config = parseClientConfig({
      client: 'acme',
      timezone: 'Europe/Paris',
      currency: 'EUR',
      budget: { dailyTotal: '1500.00', mode: 'dry-run', maxChangePct: 20 },
      platforms: { meta: { accounts: [SAMPLE_ACCOUNT_ID] } },
      report: { recipients: ['lead@acme.example'] },
      tests: [
        {
          id: 'broad-vs-lookalike',
          arms: [
            { platform: 'meta', adsetId: LOSER },
            { platform: 'meta', adsetId: WINNER },
          ],
          onConclusion: 'shift-budget',
        },
      ],
    });
    runtime = await startLocalRuntime({
      config,
      clock,
      retryIntervalMs: 0,
      connector: async () =>
        createMetaConnector({
          baseUrl,
          apiVersion: 'v25.0',
          accessToken: TOKEN,
          purchaseActionType: 'omni_purchase',
          sleep: async () => {},
        }),
    });
    await runtime.invoke('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    await runtime.ctx.store.putTestEvaluation({
      testId: 'broad-vs-lookalike',
      date: DATE,
      decision: 'winner',
      summary: 'Lookalike 1% beats Prospecting – Broad on ROAS',
      result: { winnerAdsetId: WINNER },
      evaluatedAt: '2026-11-20T05:00:00.000Z',
    });
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
