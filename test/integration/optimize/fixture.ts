/** A local runtime over a fake Meta with the sample market, ingested, and a way to store the day's plan with known changes. */
import { parseClientConfig } from '../../../lib/config/load.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { type MarketSimulator, sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import type { BudgetPlan, PlannedChange } from '../../../lib/store/records.ts';
import { planIdFor } from '../../../lib/usecases/optimize.ts';
import { fakeMetaConnector } from '../fake-meta.ts';

const TOKEN = 'apply-token';
export const DATE = '2026-11-20';
export const PLAN_ID = planIdFor('acme', DATE);
const config = (mode: 'auto' | 'approve' | 'dry-run') =>
  parseClientConfig({
    client: 'acme',
    timezone: 'Europe/Paris',
    currency: 'EUR',
    budget: { dailyTotal: '1500.00', mode, cooldownHours: 72 },
    platforms: { meta: { accounts: [SAMPLE_ACCOUNT_ID] } },
    report: { recipients: ['lead@acme.example'] },
  });

export interface OptimizeFixture {
  readonly fake: FakeMetaServer;
  readonly runtime: LocalRuntime;
  readonly market: MarketSimulator;
  readonly clock: ManualClock;
  /** Budget writes the fake received. */
  budgetWrites(): number;
  /** Stores the day's plan (see storePlan). */
  storePlan(mode: BudgetPlan['mode'], shape?: 'shift' | 'increase'): Promise<PlannedChange[]>;
  close(): Promise<void>;
}

/** Starts a fake Meta over the sample market and the local runtime, and ingests the account. */
export async function startOptimizeFixture(mode: 'auto' | 'approve' | 'dry-run'): Promise<OptimizeFixture> {
  const clock = new ManualClock('2026-11-20T05:00:00Z');
  const market = sampleMarket(3, clock);
  const fake = await startFakeMeta({ market, accessToken: TOKEN });
  const baseUrl = fake.baseUrl;
  const runtime = await startLocalRuntime({
    config: config(mode),
    clock,
    retryIntervalMs: 0,
    connector: async () => fakeMetaConnector(baseUrl, TOKEN),
  });
  await runtime.invoke('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
  return {
    fake,
    runtime,
    market,
    clock,
    budgetWrites: () => fake.requests.filter((r) => r.method === 'POST').length,
    storePlan: (mode, shape = 'shift') => storePlan(runtime, clock, mode, shape),
    close: async () => {
      await runtime.close();
      await fake.close();
    },
  };
}

/** Stores the day's plan with two changes that move 10% of the smaller budget from the second ad set to the first (the total holds). */
async function storePlan(
  runtime: LocalRuntime,
  clock: ManualClock,
  mode: BudgetPlan['mode'],
  shape: 'shift' | 'increase',
): Promise<PlannedChange[]> {
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
