/**
 * The local daily cycle runs the freshness check as the hourly schedule does in AWS: an account whose
 * ingestion keeps failing is announced as stale data once it has been silent past the limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runDailyCycle } from '../../../lib/local/daily-cycle.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { AuthError } from '../../../lib/platforms/errors.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { metaClient } from '../fake-meta.ts';

let runtime: LocalRuntime;
afterEach(async () => runtime.close());

describe('the local daily cycle', () => {
  it('announces an account it could never read as stale data once watched past the limit, once', async () => {
    const clock = new ManualClock('2026-11-20T06:00:00Z');
    runtime = await startLocalRuntime({
      config: metaClient(['act_1000000001']),
      clock,
      connector: async () => {
        throw new AuthError('the access token has expired', { platform: 'meta', endpoint: 'GET /act_1000000001' });
      },
    });
    const stale = () =>
      runtime.bus.events.filter((e) => e['detail-type'] === 'Anomaly Detected').map((e) => e.detail as Record<string, unknown>);

    const first = await runDailyCycle(runtime, '2026-11-20');
    expect(first.ingestion).toEqual([expect.objectContaining({ ok: false, accountId: 'act_1000000001' })]);
    expect(stale()).toEqual([]);

    clock.set('2026-11-21T06:00:00Z');
    await runDailyCycle(runtime, '2026-11-21');
    clock.set('2026-11-22T06:00:00Z');
    await runDailyCycle(runtime, '2026-11-22');
    expect(stale()).toEqual([
      expect.objectContaining({ faultType: 'stale-data', adsetId: 'account:act_1000000001', severity: 'high', observed: 24 }),
    ]);
  });
});
