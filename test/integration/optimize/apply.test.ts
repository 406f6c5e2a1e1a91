import { afterEach, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { createMetaConnector } from '../../../lib/platforms/meta/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { type MarketSimulator, sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta-server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import type { BudgetPlan, PlannedChange } from '../../../lib/store/records.ts';
import { planIdFor } from '../../../lib/usecases/optimize.ts';

const TOKEN = 'apply-token';
const DATE = '2026-11-20';
const config = (mode: 'auto' | 'approve' | 'dry-run') =>
  parseClientConfig({
    client: 'acme',
    timezone: 'Europe/Paris',
    currency: 'EUR',
    budget: { dailyTotal: '1500.00', mode, cooldownHours: 72 },
    platforms: { meta: { accounts: [SAMPLE_ACCOUNT_ID] } },
    report: { recipients: ['lead@acme.example'] },
  });

let fake: FakeMetaServer;
let runtime: LocalRuntime;
let market: MarketSimulator;
let clock: ManualClock;

async function start(mode: 'auto' | 'approve' | 'dry-run') {
  clock = new ManualClock('2026-11-20T05:00:00Z');
  market = sampleMarket(3, clock);
  fake = await startFakeMeta({ market, accessToken: TOKEN });
  const baseUrl = fake.baseUrl;
  runtime = await startLocalRuntime({
    config: config(mode),
    clock,
    retryIntervalMs: 0,
    connector: async () =>
      createMetaConnector({ baseUrl, apiVersion: 'v25.0', accessToken: TOKEN, purchaseActionType: 'omni_purchase', sleep: async () => {} }),
  });
  await runtime.invoke('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
}

afterEach(async () => {
  await runtime.close();
  await fake.close();
});

/** Stores the day's plan with two changes that move 10% of the smaller budget from the second ad set to the first (the total holds). */
async function storePlan(mode: BudgetPlan['mode'], shape: 'shift' | 'increase' = 'shift'): Promise<PlannedChange[]> {
  const [a, b] = await runtime.ctx.store.listAdSets('meta', SAMPLE_ACCOUNT_ID);
  if (!a?.dailyBudgetMicros || !b?.dailyBudgetMicros) throw new Error('sample market has budgets');
  const delta = Math.round(Math.min(a.dailyBudgetMicros, b.dailyBudgetMicros) * 0.1);
  const change = (adset: typeof a, by: number, n: number): PlannedChange => ({
    changeId: `${planIdFor('acme', DATE)}-${n}`,
    platform: 'meta',
    accountId: SAMPLE_ACCOUNT_ID,
    adsetId: adset.adsetId,
    adsetName: adset.name,
    campaignId: adset.campaignId,
    budgetLevel: 'adset',
    currency: 'EUR',
    beforeMicros: adset.dailyBudgetMicros ?? 0,
    afterMicros: (adset.dailyBudgetMicros ?? 0) + by,
    reason: 'test move',
  });
  const changes = shape === 'shift' ? [change(a, delta, 1), change(b, -delta, 2)] : [change(a, delta, 1)];
  await runtime.ctx.store.putPlanIfAbsent({
    planId: planIdFor('acme', DATE),
    date: DATE,
    createdAt: clock.now().toISOString(),
    updatedAt: clock.now().toISOString(),
    mode,
    status: 'planned',
    currency: 'EUR',
    totalBeforeMicros: 0,
    totalAfterMicros: 0,
    changes,
    holds: [],
    inputs: {},
  });
  return changes;
}

const budgetWrites = () => fake.requests.filter((r) => r.method === 'POST').length;

describe('optimize: apply budget changes', () => {
  it('applies each change once, reads it back, logs it, and a re-run changes nothing', async () => {
    await start('auto');
    const changes = await storePlan('auto');
    const first = await runtime.runStateMachine('optimize', { date: DATE });
    expect(first).toMatchObject({ status: 'SUCCEEDED', output: { planId: planIdFor('acme', DATE), status: 'applied' } });
    expect(budgetWrites()).toBe(2);
    for (const c of changes) expect(market.adset(c.adsetId).dailyBudgetMicros).toBe(c.afterMicros);
    const log = await runtime.ctx.store.changesForPlan(planIdFor('acme', DATE));
    expect(log.map((c) => [c.adsetId, c.outcome, c.readBackMicros])).toEqual(changes.map((c) => [c.adsetId, 'applied', c.afterMicros]));

    const second = await runtime.runStateMachine('optimize', { date: DATE });
    expect(second.status).toBe('SUCCEEDED');
    expect(budgetWrites()).toBe(2);
    expect(runtime.bus.events.filter((e) => e['detail-type'] === 'Budget Changed').map((e) => e.id)).toEqual(
      expect.arrayContaining(changes.map((c) => `budget-changed:${c.changeId}`)),
    );
  });

  it('after a crash between the write and the log, the next run records the change without writing it again', async () => {
    await start('auto');
    const [first] = await storePlan('auto');
    if (!first) throw new Error('plan has changes');
    // The platform already holds the new budget (the crashed run wrote it) but nothing was logged.
    const adset = await runtime.ctx.store.getAdSet('meta', SAMPLE_ACCOUNT_ID, first.adsetId);
    if (!adset) throw new Error('ingested');
    await (await runtime.ctx.connector('meta')).setDailyBudget(adset, first.afterMicros);
    const writesBefore = budgetWrites();
    const result = await runtime.invoke('apply-budget-change', { planId: planIdFor('acme', DATE), changeId: first.changeId });
    expect(result).toEqual({ changeId: first.changeId, outcome: 'applied' });
    expect(budgetWrites()).toBe(writesBefore);
    expect((await runtime.ctx.store.getChange(first.changeId))?.outcome).toBe('applied');
  });

  it('refuses to overwrite a budget someone changed since the plan, and says so', async () => {
    await start('auto');
    const [first] = await storePlan('auto');
    if (!first) throw new Error('plan has changes');
    const adset = await runtime.ctx.store.getAdSet('meta', SAMPLE_ACCOUNT_ID, first.adsetId);
    if (!adset) throw new Error('ingested');
    await (await runtime.ctx.connector('meta')).setDailyBudget(adset, 77_000_000);
    const result = await runtime.invoke('apply-budget-change', { planId: planIdFor('acme', DATE), changeId: first.changeId });
    expect(result).toEqual({ changeId: first.changeId, outcome: 'failed' });
    expect(market.adset(first.adsetId).dailyBudgetMicros).toBe(77_000_000);
    const failed = runtime.bus.events.filter((e) => e['detail-type'] === 'Budget Change Failed');
    expect(failed).toHaveLength(1);
  });

  it('never applies a change that would take the portfolio over the daily cap', async () => {
    await start('auto');
    await storePlan('auto', 'increase');
    const run = await runtime.runStateMachine('optimize', { date: DATE });
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { status: 'applied' } });
    expect(budgetWrites()).toBe(0);
  });

  it('in approve mode stores the plan as pending and writes nothing; in dry-run likewise', async () => {
    for (const mode of ['approve', 'dry-run'] as const) {
      await start(mode);
      await storePlan(mode);
      const run = await runtime.runStateMachine('optimize', { date: DATE });
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { status: mode === 'approve' ? 'pending-approval' : 'dry-run' } });
      expect(budgetWrites()).toBe(0);
      if (mode === 'approve') {
        await runtime.close();
        await fake.close();
      }
    }
  });
});
