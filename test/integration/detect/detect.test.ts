import { afterEach, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { addDays } from '../../../lib/model/dates.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { type MarketSimulator, sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import { fakeMetaConnector, metaClient } from '../fake-meta.ts';

const TOKEN = 'detect-token';
const FAULT_DAY = '2026-11-18';
let fake: FakeMetaServer;
let runtime: LocalRuntime;

afterEach(async () => {
  await runtime.close();
  await fake.close();
});

/** Ingests (which runs the detectors through the bus rule) `daysLater` mornings after the fault's first day. */
async function detectAfter(inject: (market: MarketSimulator) => void, daysLater = 1) {
  const clock = new ManualClock('2026-11-10T05:00:00Z');
  const market = sampleMarket(5, clock);
  inject(market);
  clock.set(`${addDays(FAULT_DAY, daysLater)}T05:00:00Z`);
  fake = await startFakeMeta({ market, accessToken: TOKEN });
  const baseUrl = fake.baseUrl;
  runtime = await startLocalRuntime({
    config: metaClient([SAMPLE_ACCOUNT_ID]),
    clock,
    connector: async () => fakeMetaConnector(baseUrl, TOKEN),
  });
  await runtime.invoke('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
  expect(runtime.bus.takeFailures()).toEqual([]);
  const announced = runtime.bus.events
    .filter((e) => e['detail-type'] === 'Anomaly Detected')
    .map((e) => e.detail as Record<string, unknown>);
  const stored = await runtime.ctx.store.anomaliesBetween(FAULT_DAY, addDays(FAULT_DAY, daysLater - 1));
  return { market, announced, stored };
}

describe('detect-anomalies after ingestion', () => {
  it('announces a delivery stop on the ad set that stopped, the morning after', async () => {
    let stopped = '';
    const { announced } = await detectAfter((market) => {
      stopped = market.adsets()[2]?.adsetId ?? '';
      market.stopDelivery(stopped, FAULT_DAY);
    });
    expect(announced.map((a) => [a.adsetId, a.faultType, a.date, a.severity])).toEqual([[stopped, 'delivery-stop', FAULT_DAY, 'high']]);
  });

  it('raises one account-level alert when tracking breaks on every ad set, and stores the ad-set ones as explained', async () => {
    // Tracking breakage needs a couple of days of evidence on smaller ad sets: judge the third day.
    const { announced, stored } = await detectAfter((market) => {
      for (const adset of market.adsets()) market.breakTracking(adset.adsetId, FAULT_DAY);
    }, 3);
    expect(announced.map((a) => [a.adsetId, a.faultType])).toEqual([[`account:${SAMPLE_ACCOUNT_ID}`, 'tracking-breakage']]);
    const explained = stored.filter((a) => a.adsetId !== `account:${SAMPLE_ACCOUNT_ID}`);
    expect(explained.length).toBeGreaterThanOrEqual(4);
    for (const a of explained) expect(a.hint).toMatch(/^Part of a wider fault/);
  });
});
