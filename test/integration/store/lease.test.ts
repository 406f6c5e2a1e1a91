import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../../lib/local/dynamo.ts';
import { startLocalRuntime } from '../../../lib/local/runtime.ts';
import type { AdSet, DailyMetric } from '../../../lib/model/ads.ts';
import { addDays } from '../../../lib/model/dates.ts';
import type { PlatformConnector } from '../../../lib/platforms/port.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { type MarketSimulator, sampleMarket } from '../../../lib/sim/market.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import { DynamoStore } from '../../../lib/store/dynamo-store.ts';
import type { Lease } from '../../../lib/store/store.ts';
import { ingestAccountCapped } from '../../../lib/usecases/ingest.ts';
import { DEFAULT_INGEST_CONCURRENCY, INGEST_LEASE_TTL_MS, INGEST_SLOT_POLL_MS } from '../../../lib/usecases/ingest-lease.ts';
import { metaClient } from '../fake-meta.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  store = new DynamoStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => dynamo.close());

const T0 = new Date('2026-11-20T05:00:00Z');
const TTL = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('DynamoStore leases', () => {
  it('lets exactly N of N+1 concurrent acquirers in, one per slot', async () => {
    const holders = ['h0', 'h1', 'h2', 'h3'];
    const leases = await Promise.all(holders.map((h) => store.acquireLease('race', 3, h, T0, TTL)));
    const granted = leases.filter((l): l is Lease => l !== undefined);
    expect(granted).toHaveLength(3);
    expect(granted.map((l) => l.slot).sort()).toEqual([0, 1, 2]);
    expect(new Set(granted.map((l) => l.holder)).size).toBe(3);
    expect(granted.every((l) => l.until === at(TTL).toISOString())).toBe(true);
  });

  it('keeps the cap under a crowd of acquirers', async () => {
    const leases = await Promise.all(Array.from({ length: 12 }, (_, i) => store.acquireLease('crowd', 2, `c${i}`, T0, TTL)));
    expect(leases.filter((l) => l !== undefined)).toHaveLength(2);
  });

  it('refuses a held slot until its expiry, then lets another holder take it over', async () => {
    const first = await store.acquireLease('expiry', 1, 'crashed-run', T0, TTL);
    expect(first).toEqual({ resource: 'expiry', slot: 0, holder: 'crashed-run', until: at(TTL).toISOString() });
    expect(await store.acquireLease('expiry', 1, 'next-run', at(TTL - 1), TTL)).toBeUndefined();
    const takeover = await store.acquireLease('expiry', 1, 'next-run', at(TTL), TTL);
    expect(takeover).toEqual({ resource: 'expiry', slot: 0, holder: 'next-run', until: at(2 * TTL).toISOString() });
    // The run that lost its slot cannot release the one that took it over.
    expect(await store.releaseLease(first as Lease)).toBe(false);
    expect(await store.acquireLease('expiry', 1, 'third-run', at(TTL + 1), TTL)).toBeUndefined();
  });

  it('frees a slot on release, for the next acquirer only', async () => {
    const a = await store.acquireLease('release', 2, 'a', T0, TTL);
    const b = await store.acquireLease('release', 2, 'b', T0, TTL);
    expect([a?.slot, b?.slot]).toEqual([0, 1]);
    expect(await store.acquireLease('release', 2, 'c', T0, TTL)).toBeUndefined();
    expect(await store.releaseLease(a as Lease)).toBe(true);
    expect(await store.releaseLease(a as Lease)).toBe(false);
    expect(await store.acquireLease('release', 2, 'c', T0, TTL)).toEqual({
      resource: 'release',
      slot: 0,
      holder: 'c',
      until: at(TTL).toISOString(),
    });
    expect(await store.acquireLease('release', 2, 'd', T0, TTL)).toBeUndefined();
  });

  it('separates resources', async () => {
    expect(await store.acquireLease('meta-like', 1, 'x', T0, TTL)).toBeDefined();
    expect(await store.acquireLease('tiktok-like', 1, 'y', T0, TTL)).toBeDefined();
  });

  it('rejects a semaphore without slots', async () => {
    await expect(store.acquireLease('none', 0, 'x', T0, TTL)).rejects.toThrow(/at least one slot/);
  });
});

const metric = (accountId: string, adsetId: string, date: string, spend: number): DailyMetric => ({
  platform: 'meta',
  accountId,
  adsetId,
  campaignId: 'c1',
  date,
  currency: 'EUR',
  spendMicros: spend,
  revenueMicros: 3 * spend,
  impressions: 1000,
  clicks: 30,
  conversions: 2,
});

const adset = (accountId: string, adsetId: string, budget: number): AdSet => ({
  platform: 'meta',
  accountId,
  adsetId,
  campaignId: 'c1',
  name: `Ad set ${adsetId}`,
  campaignName: 'Campaign',
  status: 'ACTIVE',
  currency: 'EUR',
  dailyBudgetMicros: budget,
  budgetLevel: 'adset',
  learning: false,
});

describe('exclusive (batched) writes, as a lease holder makes them', () => {
  it('store exactly what the conditional writes store: new rows, restated rows, unchanged rows, no regression', async () => {
    // 3 ad sets × 30 days = 90 rows: several 25-item batches.
    const rows = (accountId: string, bump: (adsetId: string, date: string) => number) =>
      ['a', 'b', 'c'].flatMap((id) =>
        Array.from({ length: 30 }, (_, d) => {
          const date = addDays('2026-10-01', d);
          return metric(accountId, id, date, 10_000_000 + bump(id, date));
        }),
      );
    const runs = [
      { at: new Date('2026-11-01T06:00:00Z'), bump: () => 0 },
      { at: new Date('2026-11-02T06:00:00Z'), bump: (id: string, date: string) => (id === 'b' && date >= '2026-10-20' ? 500_000 : 0) },
      // An older fetch arriving late: must not overwrite the rows the newer one stored.
      { at: new Date('2026-11-01T12:00:00Z'), bump: () => 7 },
    ];
    const results: Record<string, unknown[]> = { conditional: [], exclusive: [] };
    for (const [accountId, exclusive] of [
      ['act_conditional', false],
      ['act_exclusive', true],
    ] as const) {
      for (const run of runs) {
        results[exclusive ? 'exclusive' : 'conditional']?.push(
          await store.upsertDailyMetrics(rows(accountId, run.bump), run.at, { exclusive }),
        );
      }
    }
    expect(results.exclusive).toEqual([
      { written: 90, unchanged: 0 },
      // b from 2026-10-20 to 2026-10-30 restated.
      { written: 11, unchanged: 79 },
      // The late older fetch updates what an even older fetch wrote, never the 11 rows of the newer one.
      { written: 79, unchanged: 11 },
    ]);
    expect(results.exclusive).toEqual(results.conditional);
    const strip = (r: { accountId: string }) => ({ ...r, accountId: 'act' });
    const conditional = await store.metricsForAccount('meta', 'act_conditional', '2026-10-01', '2026-10-30');
    const exclusive = await store.metricsForAccount('meta', 'act_exclusive', '2026-10-01', '2026-10-30');
    expect(exclusive).toHaveLength(90);
    expect(exclusive.map(strip)).toEqual(conditional.map(strip));
    expect(exclusive.find((r) => r.adsetId === 'b' && r.date === '2026-10-25')).toMatchObject({
      spendMicros: 10_500_000,
      revision: 1,
      fetchedAt: '2026-11-02T06:00:00.000Z',
      firstFetchedAt: '2026-11-01T06:00:00.000Z',
    });
    expect(exclusive.find((r) => r.adsetId === 'a' && r.date === '2026-10-25')).toMatchObject({
      spendMicros: 10_000_007,
      revision: 1,
      fetchedAt: '2026-11-01T12:00:00.000Z',
    });
  });

  it('batch-writes only the ad sets that changed', async () => {
    const many = Array.from({ length: 60 }, (_, i) => adset('act_adsets', `s${i}`, 5_000_000));
    expect(await store.upsertAdSets(many, { exclusive: true })).toEqual({ written: 60, unchanged: 0 });
    const changed = many.map((a, i) => (i % 10 === 0 ? { ...a, dailyBudgetMicros: 6_000_000 } : a));
    expect(await store.upsertAdSets(changed, { exclusive: true })).toEqual({ written: 6, unchanged: 54 });
    const stored = await store.listAdSets('meta', 'act_adsets');
    expect(stored.sort((x, y) => x.adsetId.localeCompare(y.adsetId))).toEqual(
      [...changed].sort((x, y) => x.adsetId.localeCompare(y.adsetId)),
    );
  });
});

/** The platform as the market reports it, in process, counting the calls that reach it. */
function marketConnector(market: MarketSimulator, calls: string[]): PlatformConnector {
  return {
    platform: 'meta',
    getAccount: async (accountId) => {
      calls.push(`account ${accountId}`);
      return market.account(accountId);
    },
    listAdSets: async (account) => market.adsets(account.accountId),
    fetchDailyMetrics: async (account, from, to) => market.reportedResults(account.accountId, from, to),
    getDailyBudget: async (adset) => market.adset(adset.adsetId).dailyBudgetMicros,
    setDailyBudget: async () => {
      throw new Error('ingestion never writes budgets');
    },
    setStatus: async () => {
      throw new Error('ingestion never writes statuses');
    },
  };
}

/** The local runtime of a client on the sample Meta account (`meta` adds to its platform config), over the market. */
function metaRuntime(market: MarketSimulator, clock: ManualClock, calls: string[], meta: { maxConcurrentRuns?: number } = {}) {
  return startLocalRuntime({
    config: metaClient([SAMPLE_ACCOUNT_ID], { platforms: { meta: { accounts: [SAMPLE_ACCOUNT_ID], ...meta } } }),
    clock,
    retryIntervalMs: 0,
    connector: async () => marketConnector(market, calls),
  });
}

describe('the ingest Lambda under the platform cap', () => {
  it("takes the platform's cap from the client config's maxConcurrentRuns", async () => {
    const clock = new ManualClock('2026-11-20T05:00:00Z');
    const runtime = await metaRuntime(sampleMarket(7, clock), clock, [], { maxConcurrentRuns: 1 });
    try {
      const other = await runtime.ctx.store.acquireLease('meta', 1, 'meta#other', new Date(), INGEST_LEASE_TTL_MS);
      expect(other?.slot).toBe(0);
      expect(await ingestAccountCapped(runtime.ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID }, { slotWaitMs: 0 })).toEqual({
        platform: 'meta',
        accountId: SAMPLE_ACCOUNT_ID,
        deferred: `ingestion of meta ${SAMPLE_ACCOUNT_ID} deferred: 1 meta ingest run(s) already in progress`,
      });
    } finally {
      await runtime.close();
    }
  });

  it('defers a run whose account is being ingested, waits for a Meta slot, and defers (announcing and writing nothing) if none frees', async () => {
    const clock = new ManualClock('2026-11-20T05:00:00Z');
    const market = sampleMarket(7, clock);
    const calls: string[] = [];
    const runtime = await metaRuntime(market, clock, calls);
    try {
      // A run of the same account in progress (its writer lease held): this one is deferred at once, without
      // failing (a dead letter would raise an alarm for nothing: the running one reads the same window).
      const sameAccount = await runtime.ctx.store.acquireLease(
        `meta#${SAMPLE_ACCOUNT_ID}`,
        1,
        'meta#same-account',
        new Date(),
        INGEST_LEASE_TTL_MS,
      );
      expect(await runtime.invoke('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID })).toEqual({
        platform: 'meta',
        accountId: SAMPLE_ACCOUNT_ID,
        deferred: `ingestion of meta ${SAMPLE_ACCOUNT_ID} deferred: another run of this account is in progress`,
      });
      expect(await runtime.ctx.store.releaseLease(sameAccount as Lease)).toBe(true);

      const slots = DEFAULT_INGEST_CONCURRENCY.meta;
      // Other accounts' runs hold every Meta slot, on the real clock as the Lambda's lease does.
      const held: Lease[] = [];
      for (let i = 0; i < slots; i++) {
        const lease = await runtime.ctx.store.acquireLease('meta', slots, `meta#other-${i}`, new Date(), INGEST_LEASE_TTL_MS);
        if (lease) held.push(lease);
      }
      expect(held).toHaveLength(slots);

      // No slot frees within the wait: deferred, nothing read, announced or written.
      const waits: number[] = [];
      let waited = 0;
      const wallClock = { now: () => new Date(Date.parse('2026-11-20T05:00:00Z') + waited) };
      const sleep = async (ms: number) => {
        waits.push(ms);
        waited += ms;
      };
      const deferred = await ingestAccountCapped(
        runtime.ctx,
        { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID },
        { clock: wallClock, sleep, slotWaitMs: 12_000 },
      );
      expect(deferred).toEqual({
        platform: 'meta',
        accountId: SAMPLE_ACCOUNT_ID,
        deferred: `ingestion of meta ${SAMPLE_ACCOUNT_ID} deferred: ${slots} meta ingest run(s) already in progress`,
      });
      expect(waits).toEqual([INGEST_SLOT_POLL_MS, INGEST_SLOT_POLL_MS, 12_000 - 2 * INGEST_SLOT_POLL_MS]);
      expect(runtime.bus.events).toEqual([]);
      expect(calls).toEqual([]);
      expect(await runtime.ctx.store.listAccounts()).toEqual([]);
      // The deferred run gave its account lease back.
      const probe = await runtime.ctx.store.acquireLease(`meta#${SAMPLE_ACCOUNT_ID}`, 1, 'probe', new Date(), INGEST_LEASE_TTL_MS);
      expect(probe?.holder).toBe('probe');
      await runtime.ctx.store.releaseLease(probe as Lease);

      // The Lambda waits: a slot freed while it waits is taken, and the run goes ahead.
      const running = runtime.invoke<{ rowsWritten: number }>('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls).toEqual([]);
      expect(await runtime.ctx.store.releaseLease(held[0] as Lease)).toBe(true);
      const ran = await running;
      expect(ran.rowsWritten).toBe(market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-23', '2026-11-19').length);
      expect(calls).toEqual([`account ${SAMPLE_ACCOUNT_ID}`]);
      expect(runtime.bus.events.map((e) => e['detail-type'])).toContain('Metrics Ingested');
      // The run released its slot: one is free again.
      const again = await runtime.ctx.store.acquireLease('meta', slots, 'meta#probe', new Date(), INGEST_LEASE_TTL_MS);
      expect(again?.slot).toBe(0);
    } finally {
      await runtime.close();
    }
  });
});
