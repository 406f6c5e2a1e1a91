import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryPublisher } from '../../../lib/events/publisher.ts';
import { addDays, zonedTimeToInstant } from '../../../lib/model/dates.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { Log } from '../../../lib/runtime/log.ts';
import { sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, type FaultHook, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import { ingestAccount } from '../../../lib/usecases/ingest.ts';
import { fakeMetaConnector } from '../fake-meta.ts';
import { type IngestTestContext, startIngestContext } from './harness.ts';

const TOKEN = 'hourly-ingest-token';
const TZ = 'Europe/Paris';
const TODAY = '2026-11-20';
let fake: FakeMetaServer | undefined;
let ingest: IngestTestContext | undefined;

afterEach(async () => {
  await ingest?.close();
  await fake?.close();
});

const at = (date: string, hour: number, minute = 0) => zonedTimeToInstant(date, hour, TZ, minute).toISOString();

/** A log that keeps its warnings. */
function memoryLog(): Log & { warnings: { message: string; data: Record<string, unknown> | undefined }[] } {
  const warnings: { message: string; data: Record<string, unknown> | undefined }[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (message, data) => void warnings.push({ message, data }) };
}

async function setup(fault?: FaultHook) {
  const clock = new ManualClock(at(TODAY, 15));
  const market = sampleMarket(3, clock);
  const burner = market.adsets(SAMPLE_ACCOUNT_ID)[0]?.adsetId ?? '';
  fake = await startFakeMeta({
    market,
    accessToken: TOKEN,
    intraday: { exhaustEarly: [{ adsetId: burner, date: TODAY, lastHour: 13 }] },
    ...(fault ? { fault } : {}),
  });
  const baseUrl = fake.baseUrl;
  ingest = await startIngestContext({
    clock,
    configPatch: { meta: { accounts: [SAMPLE_ACCOUNT_ID] } },
    connector: async () => fakeMetaConnector(baseUrl, TOKEN, { maxAttempts: 2 }),
  });
  const log = memoryLog();
  return { clock, market, burner, ctx: { ...ingest.ctx, log }, log, events: ingest.events as MemoryPublisher };
}

const isHourly = (query: Readonly<Record<string, string>>) => query.breakdowns !== undefined;

describe('ingesting Meta hourly delivery', () => {
  it('stores the complete hours of today, and on the day’s first run yesterday’s whole day, adding up to the daily rows', async () => {
    const { market, burner, ctx } = await setup();
    const result = await ingestAccount(ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    const yesterday = addDays(TODAY, -1);
    expect(result.hourly).toEqual({ ok: true, dates: [yesterday, TODAY], rowsWritten: expect.any(Number), rowsUnchanged: 0 });

    const hours = await ctx.store.hourlyMetricsForAccount('meta', SAMPLE_ACCOUNT_ID, yesterday, TODAY);
    expect(result.hourly?.ok === true && result.hourly.rowsWritten).toBe(hours.length);
    const today = hours.filter((h) => h.date === TODAY);
    // 15:00: hours 0..14 are over; the hour in progress is not served.
    expect(Math.max(...today.map((h) => h.hour))).toBe(14);
    // The ad set burning its budget spent all of it by the end of 13:00–14:00.
    const burnt = today.filter((h) => h.adsetId === burner);
    expect(Math.max(...burnt.map((h) => h.hour))).toBe(13);
    expect(burnt.reduce((s, h) => s + h.spendMicros, 0)).toBe(market.budgetOn(burner, TODAY));

    // Yesterday's hours add up, ad set by ad set, to yesterday's stored daily rows.
    const daily = await ctx.store.metricsForAccount('meta', SAMPLE_ACCOUNT_ID, yesterday, yesterday);
    expect(daily.length).toBeGreaterThan(0);
    const sum = (adsetId: string, key: 'spendMicros' | 'impressions' | 'clicks') =>
      hours.filter((h) => h.date === yesterday && h.adsetId === adsetId).reduce((s, h) => s + h[key], 0);
    expect(daily.map((d) => [d.adsetId, sum(d.adsetId, 'spendMicros'), sum(d.adsetId, 'impressions'), sum(d.adsetId, 'clicks')])).toEqual(
      daily.map((d) => [d.adsetId, d.spendMicros, d.impressions, d.clicks]),
    );
  });

  it('re-reads only today on later runs, rewriting just the hours that closed since', async () => {
    const { clock, ctx } = await setup();
    await ingestAccount(ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    const again = await ingestAccount(ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    expect(again.hourly).toEqual({ ok: true, dates: [TODAY], rowsWritten: 0, rowsUnchanged: expect.any(Number) });
    clock.set(at(TODAY, 16, 2));
    const later = await ingestAccount(ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    const hour15 = (await ctx.store.hourlyMetricsForAccount('meta', SAMPLE_ACCOUNT_ID, TODAY, TODAY)).filter((h) => h.hour === 15);
    expect(hour15.length).toBeGreaterThan(0);
    expect(later.hourly).toEqual({ ok: true, dates: [TODAY], rowsWritten: hour15.length, rowsUnchanged: expect.any(Number) });
  });

  it('keeps the daily rows and announces the ingestion when the hourly part fails, reporting the failure in the log and the result', async () => {
    const { ctx, log, events } = await setup((request) => (isHourly(request.query) ? { kind: 'server-error', status: 503 } : undefined));
    const result = await ingestAccount(ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID });
    expect(result.hourly).toEqual({
      ok: false,
      dates: [addDays(TODAY, -1), TODAY],
      errorName: expect.stringMatching(/Error$/),
      reason: expect.stringContaining('503'),
    });
    expect(result.rowsWritten).toBeGreaterThan(0);
    expect((await ctx.store.metricsForAccount('meta', SAMPLE_ACCOUNT_ID, addDays(TODAY, -28), TODAY)).length).toBe(result.rowsWritten);
    expect(await ctx.store.hourlyMetricsForAccount('meta', SAMPLE_ACCOUNT_ID, addDays(TODAY, -1), TODAY)).toEqual([]);
    expect(events.events.map((e) => e.detailType)).toEqual(['Metrics Ingested']);
    expect(log.warnings).toEqual([
      {
        message: 'hourly ingestion failed; the daily rows are stored',
        data: {
          platform: 'meta',
          accountId: SAMPLE_ACCOUNT_ID,
          dates: [addDays(TODAY, -1), TODAY],
          errorName: result.hourly?.ok === false ? result.hourly.errorName : '',
          reason: result.hourly?.ok === false ? result.hourly.reason : '',
        },
      },
    ]);
    expect(JSON.stringify(log.warnings)).not.toContain(TOKEN);
  });
});
