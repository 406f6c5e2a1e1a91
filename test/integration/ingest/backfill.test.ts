import { afterEach, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import type { DailyMetric, StoredDailyMetric } from '../../../lib/model/ads.ts';
import { addDays } from '../../../lib/model/dates.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { FaultHook } from '../../../lib/sim/faults.ts';
import { MarketSimulator } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID, sampleMarketConfig } from '../../../lib/sim/sample-market.ts';
import { BackfillChunkError } from '../../../lib/usecases/errors.ts';
import { type BackfillChunk, type BackfillResult, backfillAccount, backfillWindows } from '../../../lib/usecases/ingest.ts';
import { fakeMetaConnector } from '../fake-meta.ts';

const TOKEN = 'backfill-token';
const TODAY = '2026-11-20';
const SINCE = addDays(TODAY, -120);
const YESTERDAY = addDays(TODAY, -1);
const config = parseClientConfig({
  client: 'acme',
  timezone: 'Europe/Paris',
  currency: 'EUR',
  budget: { dailyTotal: '1500.00', mode: 'dry-run' },
  platforms: { meta: { accounts: [SAMPLE_ACCOUNT_ID] } },
  report: { recipients: ['lead@acme.example'] },
});

let fake: FakeMetaServer | undefined;
let runtime: LocalRuntime | undefined;

afterEach(async () => {
  await runtime?.close();
  await fake?.close();
  runtime = undefined;
  fake = undefined;
});

async function start(fault?: FaultHook) {
  const clock = new ManualClock(`${TODAY}T05:00:00Z`);
  // The market starts well before the back-fill, so every one of its 120 days has delivery.
  const market = new MarketSimulator({ ...sampleMarketConfig(7), startDate: addDays(TODAY, -150), clock });
  fake = await startFakeMeta({ market, accessToken: TOKEN, ...(fault ? { fault } : {}) });
  const baseUrl = fake.baseUrl;
  runtime = await startLocalRuntime({
    config,
    clock,
    retryIntervalMs: 0,
    connector: async () => fakeMetaConnector(baseUrl, TOKEN, { maxAttempts: 2 }),
  });
  return { market, runtime };
}

const strip = ({ fetchedAt: _f, firstFetchedAt: _ff, revision: _r, ...row }: StoredDailyMetric): DailyMetric => row;
const byKey = (a: DailyMetric, b: DailyMetric) => `${a.date}${a.adsetId}`.localeCompare(`${b.date}${b.adsetId}`);
const stored = async (rt: LocalRuntime) =>
  (await rt.ctx.store.metricsForAccount('meta', SAMPLE_ACCOUNT_ID, '2000-01-01', '2100-01-01')).map(strip).sort(byKey);
const rowsIn = (rows: readonly DailyMetric[], from: string, to: string) => rows.filter((r) => r.date >= from && r.date <= to).length;

describe('backfillWindows', () => {
  it('covers the range in consecutive chunks, oldest first, the last one short', () => {
    expect(backfillWindows('2026-01-01', '2026-03-01', 28)).toEqual([
      { from: '2026-01-01', to: '2026-01-28' },
      { from: '2026-01-29', to: '2026-02-25' },
      { from: '2026-02-26', to: '2026-03-01' },
    ]);
    expect(backfillWindows('2026-01-01', '2026-01-01', 28)).toEqual([{ from: '2026-01-01', to: '2026-01-01' }]);
    expect(() => backfillWindows('2026-01-01', '2026-01-02', 0)).toThrow(/whole number of days/);
  });
});

describe('backfillAccount on the simulated Meta account', () => {
  it('stores exactly the market truth of 120 days in 28-day chunks, and a second run writes 0 rows', async () => {
    const { market, runtime } = await start();
    const truth = market.dailyResults(SAMPLE_ACCOUNT_ID, SINCE, YESTERDAY).sort(byKey);
    const progress: BackfillChunk[] = [];
    const first = await backfillAccount(
      runtime.ctx,
      { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, since: SINCE },
      { onChunk: (c) => progress.push(c) },
    );

    const windows = backfillWindows(SINCE, TODAY, 28);
    expect(windows).toHaveLength(5);
    const expectedChunks = windows.map((w, i) => ({
      ...w,
      index: i + 1,
      count: 5,
      rowsWritten: rowsIn(truth, w.from, w.to),
      rowsUnchanged: 0,
    }));
    expect(progress).toEqual(expectedChunks);
    expect(first).toEqual<BackfillResult>({
      platform: 'meta',
      accountId: SAMPLE_ACCOUNT_ID,
      from: SINCE,
      to: TODAY,
      rowsWritten: truth.length,
      rowsUnchanged: 0,
      adsets: 6,
      chunks: expectedChunks,
    });
    expect(truth.length).toBeGreaterThan(100 * 6);
    expect(await stored(runtime)).toEqual(truth);
    expect(await runtime.ctx.store.getWatermark('meta', SAMPLE_ACCOUNT_ID)).toEqual({ through: YESTERDAY, at: `${TODAY}T05:00:00.000Z` });
    expect(runtime.bus.events.filter((e) => e['detail-type'] === 'Metrics Ingested').map((e) => e.detail)).toEqual([
      {
        version: 1,
        id: `metrics-backfilled:meta:${SAMPLE_ACCOUNT_ID}:${SINCE}:${TODAY}:${TODAY}T05:00:00.000Z`,
        client: 'acme',
        platform: 'meta',
        accountId: SAMPLE_ACCOUNT_ID,
        from: SINCE,
        to: TODAY,
        rowsWritten: truth.length,
        rowsUnchanged: 0,
        adsets: 6,
      },
    ]);

    const second = await backfillAccount(runtime.ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, since: SINCE });
    expect(second.rowsWritten).toBe(0);
    expect(second.rowsUnchanged).toBe(truth.length);
    expect(second.chunks.map((c) => c.rowsWritten)).toEqual([0, 0, 0, 0, 0]);
    expect(await stored(runtime)).toEqual(truth);
  });

  it('names the chunk that failed, keeps the chunks before it, and a re-run resumes', async () => {
    let failing = false;
    // Once chunk 2 is stored the platform starts refusing the token: chunk 3 fails on its first request.
    const { market, runtime } = await start(() => (failing ? { kind: 'expired-token' } : undefined));
    const truth = market.dailyResults(SAMPLE_ACCOUNT_ID, SINCE, YESTERDAY).sort(byKey);
    const windows = backfillWindows(SINCE, TODAY, 28);
    const [w1, w2, w3] = windows;
    if (!w1 || !w2 || !w3) throw new Error('expected at least 3 chunks');

    const failure = await backfillAccount(
      runtime.ctx,
      { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, since: SINCE },
      {
        onChunk: (c) => {
          if (c.index === 2) failing = true;
        },
      },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackfillChunkError);
    const error = failure as BackfillChunkError;
    expect(error.chunk).toEqual({ ...w3, index: 3, count: 5 });
    expect(error.completed.map((c) => [c.index, c.rowsWritten])).toEqual([
      [1, rowsIn(truth, w1.from, w1.to)],
      [2, rowsIn(truth, w2.from, w2.to)],
    ]);
    expect(error.message).toContain(`chunk 3/5 (${w3.from}..${w3.to}) failed`);
    expect(error.message).toContain('chunks 1-2 are stored; re-run the same back-fill to resume');
    expect(await stored(runtime)).toEqual(truth.filter((r) => r.date <= w2.to));
    const failed = runtime.bus.events.filter((e) => e['detail-type'] === 'Ingestion Failed');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed)).not.toContain(TOKEN);
    expect(runtime.bus.events.filter((e) => e['detail-type'] === 'Metrics Ingested')).toEqual([]);

    failing = false;
    const resumed = await backfillAccount(runtime.ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, since: SINCE });
    expect(resumed.chunks.map((c) => c.rowsWritten)).toEqual(windows.map((w, i) => (i < 2 ? 0 : rowsIn(truth, w.from, w.to))));
    expect(resumed.chunks.map((c) => c.rowsUnchanged)).toEqual(windows.map((w, i) => (i < 2 ? rowsIn(truth, w.from, w.to) : 0)));
    expect(await stored(runtime)).toEqual(truth);
  });

  it('refuses a range that ends before it starts or after today, before writing anything', async () => {
    const { runtime } = await start();
    await expect(
      backfillAccount(runtime.ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, since: TODAY, until: YESTERDAY }),
    ).rejects.toThrow(`--since ${TODAY} is after --until ${YESTERDAY}`);
    await expect(
      backfillAccount(runtime.ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, since: SINCE, until: addDays(TODAY, 1) }),
    ).rejects.toThrow(/is after today/);
    expect(await runtime.ctx.store.listAccounts()).toEqual([]);
  });
});
