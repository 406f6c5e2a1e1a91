import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../../lib/local/dynamo.ts';
import type { AdSet, DailyMetric } from '../../../lib/model/ads.ts';
import { DynamoStore } from '../../../lib/store/dynamo-store.ts';
import type { BudgetPlan } from '../../../lib/store/records.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  store = new DynamoStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => dynamo.close());

const row = (adsetId: string, date: string, spend: number, conversions = 3): DailyMetric => ({
  platform: 'meta',
  accountId: 'act_1',
  adsetId,
  campaignId: 'c1',
  date,
  currency: 'EUR',
  spendMicros: spend,
  revenueMicros: conversions * 40_000_000,
  impressions: 1000,
  clicks: 30,
  conversions,
});

describe('DynamoStore metrics', () => {
  it('writes new rows, skips unchanged ones and bumps the revision of restated ones', async () => {
    const first = await store.upsertDailyMetrics(
      [row('a', '2026-11-01', 10_000_000), row('b', '2026-11-01', 20_000_000)],
      new Date('2026-11-02T06:00:00Z'),
    );
    expect(first).toEqual({ written: 2, unchanged: 0 });

    const again = await store.upsertDailyMetrics(
      [row('a', '2026-11-01', 10_000_000), row('b', '2026-11-01', 20_000_000)],
      new Date('2026-11-03T06:00:00Z'),
    );
    expect(again).toEqual({ written: 0, unchanged: 2 });

    const restated = await store.upsertDailyMetrics([row('a', '2026-11-01', 10_000_000, 5)], new Date('2026-11-04T06:00:00Z'));
    expect(restated).toEqual({ written: 1, unchanged: 0 });

    const stored = await store.metricsForAccount('meta', 'act_1', '2026-11-01', '2026-11-01');
    expect(stored.find((r) => r.adsetId === 'a')).toEqual({
      ...row('a', '2026-11-01', 10_000_000, 5),
      fetchedAt: '2026-11-04T06:00:00.000Z',
      firstFetchedAt: '2026-11-02T06:00:00.000Z',
      revision: 1,
    });
  });

  it('never regresses a row to an older fetch', async () => {
    await store.upsertDailyMetrics([row('c', '2026-11-05', 10_000_000, 7)], new Date('2026-11-10T06:00:00Z'));
    const older = await store.upsertDailyMetrics([row('c', '2026-11-05', 10_000_000, 6)], new Date('2026-11-08T06:00:00Z'));
    expect(older).toEqual({ written: 0, unchanged: 1 });
    const [stored] = await store.metricsForAdSet('meta', 'c', '2026-11-05', '2026-11-05');
    expect(stored?.conversions).toBe(7);
  });

  it('reads one ad set over a range through the entity index', async () => {
    await store.upsertDailyMetrics(
      ['2026-11-11', '2026-11-12', '2026-11-13'].map((d) => row('d', d, 1_000_000)),
      new Date('2026-11-14T06:00:00Z'),
    );
    const rows = await store.metricsForAdSet('meta', 'd', '2026-11-12', '2026-11-13');
    expect(rows.map((r) => r.date)).toEqual(['2026-11-12', '2026-11-13']);
  });
});

describe('DynamoStore entities, plans and changes', () => {
  const adset: AdSet = {
    platform: 'meta',
    accountId: 'act_1',
    adsetId: 'a',
    campaignId: 'c1',
    name: '<b>VIP</b> "Winter" & co 🚀',
    campaignName: 'Winter',
    status: 'ACTIVE',
    currency: 'EUR',
    dailyBudgetMicros: 100_000_000,
    budgetLevel: 'adset',
    learning: false,
  };

  it('upserts ad sets only when they changed', async () => {
    await store.putAccount({ platform: 'meta', accountId: 'act_1', name: 'Acme', currency: 'EUR', timezone: 'Europe/Paris' });
    expect(await store.upsertAdSets([adset])).toEqual({ written: 1, unchanged: 0 });
    expect(await store.upsertAdSets([adset])).toEqual({ written: 0, unchanged: 1 });
    expect(await store.upsertAdSets([{ ...adset, dailyBudgetMicros: 120_000_000 }])).toEqual({ written: 1, unchanged: 0 });
    expect(await store.listAdSets()).toEqual([{ ...adset, dailyBudgetMicros: 120_000_000 }]);
  });

  it('stores a plan once and moves it between statuses only from the expected one', async () => {
    const plan: BudgetPlan = {
      planId: 'acme-2026-11-26',
      date: '2026-11-26',
      createdAt: '2026-11-26T05:00:00.000Z',
      updatedAt: '2026-11-26T05:00:00.000Z',
      mode: 'auto',
      status: 'planned',
      currency: 'EUR',
      totalBeforeMicros: 1,
      totalAfterMicros: 1,
      changes: [],
      holds: [],
      inputs: {},
    };
    expect(await store.putPlanIfAbsent(plan)).toEqual(plan);
    expect(await store.putPlanIfAbsent({ ...plan, mode: 'dry-run' })).toEqual(plan);
    expect(await store.transitionPlan(plan.planId, 'planned', 'applied', new Date('2026-11-26T05:01:00Z'))).toBe(true);
    expect(await store.transitionPlan(plan.planId, 'planned', 'applied', new Date('2026-11-26T05:02:00Z'))).toBe(false);
    expect((await store.getPlan(plan.planId))?.status).toBe('applied');
    expect((await store.listPlans()).map((p) => p.planId)).toEqual([plan.planId]);
  });

  it('appends a change once', async () => {
    const change = {
      changeId: 'ch1',
      planId: 'p',
      platform: 'meta' as const,
      accountId: 'act_1',
      adsetId: 'a',
      adsetName: 'A',
      campaignId: 'c1',
      budgetLevel: 'adset' as const,
      currency: 'EUR',
      beforeMicros: 100_000_000,
      afterMicros: 110_000_000,
      reason: 'test',
      appliedAt: '2026-11-26T05:00:00.000Z',
      outcome: 'applied' as const,
      readBackMicros: 110_000_000,
      error: null,
      revertsChangeId: null,
    };
    expect(await store.appendChange(change)).toBe(true);
    expect(await store.appendChange({ ...change, afterMicros: 1 })).toBe(false);
    expect(await store.changesForAdSet('meta', 'a')).toEqual([change]);
  });
});

describe('DynamoStore report models', () => {
  it('keeps a model larger than a DynamoDB item (stored compressed)', async () => {
    const model = {
      week: '2026-W47',
      adsets: Array.from({ length: 800 }, (_, i) => ({ id: `adset-${i}`, name: `${'long name '.repeat(60)}${i}`, spendMicros: i })),
    };
    expect(JSON.stringify(model).length).toBeGreaterThan(400_000);
    await store.putReportModel('2026-W47', model, new Date('2026-11-23T06:00:00Z'));
    expect(await store.getReportModel('2026-W47')).toEqual(model);
    expect(await store.getReportModel('2026-W01')).toBeUndefined();
  });
});
