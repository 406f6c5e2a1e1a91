import { afterEach, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { FaultHook } from '../../../lib/sim/faults.ts';
import { sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import { fakeMetaConnector } from '../fake-meta.ts';

const TOKEN = 'integration-token';
const clock = new ManualClock('2026-11-20T05:00:00Z');
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
});

async function start(fault?: FaultHook) {
  const market = sampleMarket(7, clock);
  fake = await startFakeMeta({ market, accessToken: TOKEN, pageSize: 25, ...(fault ? { fault } : {}) });
  const baseUrl = fake.baseUrl;
  runtime = await startLocalRuntime({
    config,
    clock,
    retryIntervalMs: 0,
    connector: async () => fakeMetaConnector(baseUrl, TOKEN, { maxAttempts: 2 }),
  });
  return { market, runtime };
}

describe('ingest', () => {
  it('stores exactly what the platform reports over the restatement window, and a re-run writes nothing', async () => {
    const { market, runtime } = await start();
    const first = await runtime.invoke<{ rowsWritten: number; rowsUnchanged: number }>('ingest', {
      platform: 'meta',
      accountId: SAMPLE_ACCOUNT_ID,
    });
    const truth = market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-23', '2026-11-19');
    expect(first.rowsWritten).toBe(truth.length);
    const stored = await runtime.ctx.store.metricsForAccount('meta', SAMPLE_ACCOUNT_ID, '2026-10-23', '2026-11-19');
    const strip = ({ fetchedAt: _f, firstFetchedAt: _ff, revision: _r, ...row }: (typeof stored)[number]) => row;
    const byKey = (a: { adsetId: string; date: string }, b: { adsetId: string; date: string }) =>
      `${a.date}${a.adsetId}`.localeCompare(`${b.date}${b.adsetId}`);
    expect(stored.map(strip).sort(byKey)).toEqual([...truth].sort(byKey));

    const second = await runtime.invoke<{ rowsWritten: number; rowsUnchanged: number }>('ingest', {
      platform: 'meta',
      accountId: SAMPLE_ACCOUNT_ID,
      window: 'full',
    });
    expect(second).toMatchObject({ rowsWritten: 0, rowsUnchanged: truth.length });
  });

  it('reads the whole window on the first run of the account day and only yesterday and today after that', async () => {
    const { market, runtime } = await start();
    const run = () => runtime.invoke<{ from: string; to: string }>('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    // 05:00Z is 06:00 in Paris on the 20th.
    expect(await run()).toMatchObject({ from: '2026-10-23', to: '2026-11-20' });
    clock.advance(60 * 60_000);
    expect(await run()).toMatchObject({ from: '2026-11-19', to: '2026-11-20' });
    // 23:30Z is past midnight in Paris: a new account day starts with a full re-read.
    clock.set(new Date('2026-11-20T23:30:00Z'));
    expect(await run()).toMatchObject({ from: '2026-10-24', to: '2026-11-21' });
    const stored = await runtime.ctx.store.metricsForAccount('meta', SAMPLE_ACCOUNT_ID, '2026-10-24', '2026-11-20');
    expect(stored.length).toBe(market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-24', '2026-11-20').length);
  });

  it('writes nothing when a page is malformed, names the field, and announces the failure', async () => {
    const { runtime } = await start((req) =>
      req.path.endsWith('/insights') ? { kind: 'malformed', corrupt: { field: 'spend', index: 3, value: 'twelve' } } : undefined,
    );
    await expect(runtime.invoke('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID })).rejects.toThrow(/data\[3\]\.spend/);
    expect(await runtime.ctx.store.metricsForAccount('meta', SAMPLE_ACCOUNT_ID, '2000-01-01', '2100-01-01')).toEqual([]);
    expect(await runtime.ctx.store.listAccounts()).toEqual([]);
    const failed = runtime.bus.events.filter((e) => e['detail-type'] === 'Ingestion Failed');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed)).not.toContain(TOKEN);
  });

  it('rejects a malformed event with the field named, before touching anything', async () => {
    const { runtime } = await start();
    await expect(runtime.invoke('ingest', { platform: 'myspace', accountId: '' })).rejects.toThrow(/platform: .*; accountId: /);
    expect(runtime.bus.events).toEqual([]);
  });
});
