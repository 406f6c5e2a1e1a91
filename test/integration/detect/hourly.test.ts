import { afterEach, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { addDays, zonedTimeToInstant } from '../../../lib/model/dates.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import type { IngestResult } from '../../../lib/usecases/ingest.ts';
import { fakeMetaConnector } from '../fake-meta.ts';

const TOKEN = 'hourly-detect-token';
const TZ = 'Europe/Paris';
const TODAY = '2026-11-20';
/** Days of hourly history ingested before today (the detector needs at least five). */
const HISTORY_DAYS = 7;
let fake: FakeMetaServer | undefined;
let runtime: LocalRuntime | undefined;

afterEach(async () => {
  await runtime?.close();
  await fake?.close();
});

const at = (date: string, hour: number, minute = 0) => zonedTimeToInstant(date, hour, TZ, minute).toISOString();

/**
 * A week of nightly runs (each day's first run re-reads yesterday's hours whole), then the 15:00 run of TODAY, on the
 * fake Meta where `burner` (when given) spends its whole daily budget in the hours up to `lastHour` today.
 */
async function scenario(
  pickBurners: (adsetIds: string[]) => string[],
  options: { lastHour?: number; exclude?: (adsetIds: string[]) => string[] } = {},
) {
  const clock = new ManualClock(at(addDays(TODAY, -HISTORY_DAYS - 1), 6));
  const market = sampleMarket(11, clock);
  const adsetIds = market.adsets(SAMPLE_ACCOUNT_ID).map((a) => a.adsetId);
  const burners = pickBurners(adsetIds);
  fake = await startFakeMeta({
    market,
    accessToken: TOKEN,
    intraday: { exhaustEarly: burners.map((adsetId) => ({ adsetId, date: TODAY, lastHour: options.lastHour ?? 13 })) },
  });
  const baseUrl = fake.baseUrl;
  runtime = await startLocalRuntime({
    config: parseClientConfig({
      client: 'acme',
      timezone: TZ,
      currency: 'EUR',
      budget: { dailyTotal: '1500.00', mode: 'dry-run' },
      platforms: { meta: { accounts: [SAMPLE_ACCOUNT_ID] } },
      adsets: { exclude: options.exclude?.(adsetIds) ?? [] },
      report: { recipients: ['lead@acme.example'] },
    }),
    clock,
    connector: async () => fakeMetaConnector(baseUrl, TOKEN),
  });
  const rt = runtime;
  const ingest = async (instant: string) => {
    clock.set(instant);
    const result = await rt.invoke<IngestResult>('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    expect(rt.bus.takeFailures()).toEqual([]);
    return result;
  };
  for (let day = HISTORY_DAYS - 1; day >= 0; day--) await ingest(at(addDays(TODAY, -day), 0, 30));
  const announced = () =>
    rt.bus.events
      .filter((e) => e['detail-type'] === 'Anomaly Detected')
      .map((e): Record<string, unknown> => ({ id: e.id, ...(e.detail as Record<string, unknown>) }))
      .filter((d) => d.faultType === 'budget-exhausted-early');
  return { market, burners, adsetIds, ingest, announced, runtime: rt };
}

describe('budget exhausted early, from Meta hourly insights to the bus', () => {
  it('announces the ad set that spent its budget by ~14:00 once at the 15:00 run, none of the others, and the same id on a re-run', async () => {
    // A second ad set burns its budget too, but adpilot does not manage it (config `adsets.exclude`): it is not judged.
    const {
      burners,
      ingest,
      announced,
      runtime: rt,
    } = await scenario((ids) => [ids[1] ?? '', ids[3] ?? ''], {
      exclude: (ids) => [ids[3] ?? ''],
    });
    const burner = burners[0];
    expect(announced()).toEqual([]);

    const result = await ingest(at(TODAY, 15, 0));
    expect(result.hourly).toEqual({ ok: true, dates: [TODAY], rowsWritten: expect.any(Number), rowsUnchanged: 0 });
    const first = announced();
    expect(first.map((a) => [a.adsetId, a.date, a.faultType, a.metric])).toEqual([
      [burner, TODAY, 'budget-exhausted-early', 'spendMicros'],
    ]);
    const event = first[0];
    expect(event?.id).toBe(`anomaly:acme:meta:${burner}:${TODAY}:budget-exhausted-early`);
    expect(event?.hint).toMatch(new RegExp(`daily budget by 15:00 on ${TODAY}, .*the budget is already gone`));

    // The next runs of the day see the same incident: recorded once, announced once, under the same id.
    await ingest(at(TODAY, 15, 20));
    await ingest(at(TODAY, 16, 5));
    expect(announced()).toEqual(first);
    const stored = (await rt.ctx.store.anomaliesBetween(TODAY, TODAY)).filter((a) => a.faultType === 'budget-exhausted-early');
    expect(stored.map((a) => `anomaly:${a.anomalyId}`)).toEqual([event?.id]);
  });

  it('stays quiet on a normally paced day judged at every run from 09:00 to 22:00', async () => {
    const { ingest, announced } = await scenario(() => []);
    for (let hour = 9; hour <= 22; hour++) {
      const result = await ingest(at(TODAY, hour, 5));
      expect(result.hourly?.ok).toBe(true);
    }
    expect(announced()).toEqual([]);
  });
});
