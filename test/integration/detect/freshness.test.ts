/**
 * The hourly freshness check on the local runtime: an account whose ingestion keeps failing (here an expired
 * token on the fake Meta API) is announced as `stale-data` once its data is older than the limit, once per
 * outage; an account never fetched gets the limit from when it was first watched; a recovered account is fresh.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import { fakeMetaConnector, metaClient } from '../fake-meta.ts';

const TOKEN = 'fresh-token';
const NEVER_FETCHED = 'act_4040404040';
let fake: FakeMetaServer;
let runtime: LocalRuntime;
let dataDir: string;
afterEach(async () => {
  await runtime.close();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('freshness check', () => {
  it('announces an account silent past the limit once per outage, and one never fetched once watched that long', async () => {
    const clock = new ManualClock('2026-11-20T08:05:00Z');
    const market = sampleMarket(5, clock);
    fake = await startFakeMeta({ market, accessToken: TOKEN });
    const baseUrl = fake.baseUrl;
    let token = TOKEN;
    dataDir = mkdtempSync(join(tmpdir(), 'adpilot-freshness-'));
    runtime = await startLocalRuntime({
      config: metaClient([SAMPLE_ACCOUNT_ID, NEVER_FETCHED]),
      clock,
      dataDir,
      connector: async () => fakeMetaConnector(baseUrl, token),
    });
    const ingest = () => runtime.invoke('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    const check = async (at: string) => {
      clock.set(at);
      return runtime.invoke('detect-anomalies', { check: 'freshness' });
    };
    const staleEvents = () =>
      runtime.bus.events
        .filter((e) => e['detail-type'] === 'Anomaly Detected' && (e.detail as { faultType?: string }).faultType === 'stale-data')
        .map((e) => e.detail as Record<string, unknown>);

    await ingest();
    expect(await check('2026-11-20T08:50:00Z')).toEqual({ accounts: 2, stale: 0, new: 0 });

    // The token expires: three hourly runs fail.
    token = 'expired';
    for (const at of ['2026-11-20T09:05:00Z', '2026-11-20T10:05:00Z', '2026-11-20T11:05:00Z']) {
      clock.set(at);
      await expect(ingest()).rejects.toThrow();
    }
    expect(await check('2026-11-20T10:50:00Z')).toEqual({ accounts: 2, stale: 0, new: 0 });
    expect(await check('2026-11-20T11:50:00Z')).toEqual({ accounts: 2, stale: 1, new: 1 });
    expect(staleEvents()).toEqual([
      expect.objectContaining({
        platform: 'meta',
        accountId: SAMPLE_ACCOUNT_ID,
        adsetId: `account:${SAMPLE_ACCOUNT_ID}`,
        date: '2026-11-20',
        metric: 'dataAgeHours',
        observed: 3.8,
        expected: { low: 0, high: 3 },
        severity: 'high',
      }),
    ]);
    expect(staleEvents()[0]?.adsetName).toMatch(/^Meta account /);
    expect(String(staleEvents()[0]?.hint)).toMatch(/^The latest data is 3 hours old \(limit 3\)/);

    // The same outage an hour later: not announced again. The account never fetched has now been watched 4 h.
    expect(await check('2026-11-20T12:50:00Z')).toEqual({ accounts: 2, stale: 2, new: 1 });
    expect(staleEvents().map((e) => [e.adsetId, e.severity])).toEqual([
      [`account:${SAMPLE_ACCOUNT_ID}`, 'high'],
      [`account:${NEVER_FETCHED}`, 'high'],
    ]);
    // Both reach people with the default alerts.minSeverity (high), as do the expired token's failed runs.
    const alerted = readFileSync(runtime.alertsFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { 'detail-type': string; detail: { adsetId?: string } });
    expect(alerted.filter((a) => a['detail-type'] === 'Anomaly Detected').map((a) => a.detail.adsetId)).toEqual([
      `account:${SAMPLE_ACCOUNT_ID}`,
      `account:${NEVER_FETCHED}`,
    ]);
    expect(alerted.filter((a) => a['detail-type'] === 'Ingestion Failed')).toHaveLength(3);

    // The token is renewed: the next run succeeds and the account is fresh again.
    token = TOKEN;
    clock.set('2026-11-20T13:05:00Z');
    await ingest();
    expect(await check('2026-11-20T13:50:00Z')).toEqual({ accounts: 2, stale: 1, new: 0 });
  });
});
