/**
 * An A/B test of two ads of one Meta ad set, end to end on the local runtime: the ingest reads the two ads' daily
 * rows from the fake Graph API, the daily evaluation compares them, the test concludes for the better creative, and
 * the next plan pauses the losing ad on the platform (once), leaving the ad set and its budget as they were.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { StatusChanged } from '../../../lib/events/schemas.ts';
import { runDailyCycle } from '../../../lib/local/daily-cycle.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { addDays, dateRange, zonedTimeToInstant } from '../../../lib/model/dates.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SimAds } from '../../../lib/sim/ads.ts';
import { sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID, SAMPLE_ADSET_IDS } from '../../../lib/sim/sample-market.ts';
import type { IngestResult } from '../../../lib/usecases/ingest.ts';
import { revertChange } from '../../../lib/usecases/revert.ts';
import { fakeMetaConnector } from '../fake-meta.ts';

const TOKEN = 'ad-level-token';
const FIRST = '2026-11-02';
const DAYS = 21;
const WINNER = SimAds.adIdOf(SAMPLE_ADSET_IDS.broad, 0);
const LOSER = SimAds.adIdOf(SAMPLE_ADSET_IDS.broad, 1);

let fake: FakeMetaServer | undefined;
let runtime: LocalRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  await fake?.close();
});

describe('an ad-level A/B test', () => {
  it('concludes for the better creative and pauses the losing ad once, leaving its ad set alone', async () => {
    const clock = new ManualClock(zonedTimeToInstant(FIRST, 6, 'Europe/Paris'));
    const market = sampleMarket(5, clock);
    // Same delivery, the first creative converts three times as well.
    const ads = new SimAds(market, {
      quality: { [WINNER]: { delivery: 1, conversionRate: 1.5 }, [LOSER]: { delivery: 1, conversionRate: 0.5 } },
    });
    fake = await startFakeMeta({ market, accessToken: TOKEN, ads });
    const baseUrl = fake.baseUrl;
    const config = parseClientConfig({
      client: 'acme',
      timezone: 'Europe/Paris',
      currency: 'EUR',
      budget: { dailyTotal: '1500.00', mode: 'auto' },
      platforms: { meta: { accounts: [SAMPLE_ACCOUNT_ID] } },
      report: { recipients: ['lead@acme.example'] },
      tests: [
        {
          id: 'broad-creatives',
          arms: [
            { platform: 'meta', adId: LOSER },
            { platform: 'meta', adId: WINNER },
          ],
          metric: 'roas',
          onConclusion: 'pause-loser',
          startDate: FIRST,
        },
      ],
    });
    runtime = await startLocalRuntime({
      config,
      clock,
      retryIntervalMs: 0,
      connector: async () => fakeMetaConnector(baseUrl, TOKEN),
    });
    const budgetBefore = market.adset(SAMPLE_ADSET_IDS.broad).dailyBudgetMicros;
    for (const date of dateRange(FIRST, addDays(FIRST, DAYS - 1))) {
      clock.set(zonedTimeToInstant(date, 6, 'Europe/Paris'));
      const day = await runDailyCycle(runtime, date);
      expect(day.optimize.status).toBe('SUCCEEDED');
    }
    // The ad rows are read on the account day's full read only; the later hourly runs leave them.
    const recent = await runtime.invoke<IngestResult>('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, window: 'recent' });
    expect(recent.ads).toBeUndefined();
    const full = await runtime.invoke<IngestResult>('ingest', { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, window: 'full' });
    expect(full.ads).toEqual({ ok: true, ads: 2, rowsWritten: expect.any(Number), rowsUnchanged: expect.any(Number) });
    const ctx = runtime.ctx;
    expect((await ctx.store.getAd('meta', WINNER))?.name).toBe('Prospecting – Broad – Creative A');
    expect((await ctx.store.metricsForAd('meta', WINNER, FIRST, addDays(FIRST, 3))).length).toBe(4);

    const evaluations = await ctx.store.testEvaluations('broad-creatives');
    const concluded = evaluations.find((e) => e.decision !== 'continue');
    expect(concluded?.decision).toBe('winner');
    expect(concluded?.result.winnerAdsetId).toBe(WINNER);
    expect(concluded?.summary).toMatch(/^Prospecting – Broad – Creative A beats Prospecting – Broad – Creative B on ROAS: \+\d+%/);

    // Paused on the platform exactly once, announced at ad level; the ad set still runs on its own budget.
    expect(ads.ad(LOSER)?.status).toBe('PAUSED');
    expect(ads.ad(WINNER)?.status).toBe('ACTIVE');
    expect(market.adset(SAMPLE_ADSET_IDS.broad).status).toBe('ACTIVE');
    const events = runtime.bus.events.filter((e) => e['detail-type'] === 'Status Changed').map((e) => StatusChanged.parse(e.detail));
    expect(events.map((e) => [e.level, e.adId, e.adName, e.adsetId, e.statusAfter])).toEqual([
      ['ad', LOSER, 'Prospecting – Broad – Creative B', SAMPLE_ADSET_IDS.broad, 'PAUSED'],
    ]);
    // While the test ran, its ad set's budget was held.
    const concludedOn = concluded?.date ?? '';
    expect(market.budgetOn(SAMPLE_ADSET_IDS.broad, concludedOn)).toBe(budgetBefore);

    // Undoing the pause while someone has paused the ad set: the ad reads back paused, and the refusal says why.
    const pauseId = events[0]?.changeId ?? '';
    market.setStatus(SAMPLE_ADSET_IDS.broad, 'PAUSED');
    const refused = await revertChange(ctx, pauseId);
    expect(refused).toEqual({ kind: 'refused', changeId: pauseId, reason: expect.any(String) });
    expect(refused.kind === 'refused' && refused.reason).toBe(
      `the ad "Prospecting – Broad – Creative B" could not be re-activated (Meta ad ${LOSER}: wrote status ACTIVE but read back ` +
        'PAUSED (status ACTIVE, effective_status ADSET_PAUSED)), so adpilot left it paused. If its ad set or campaign is ' +
        'paused, re-activate that first, then revert again',
    );
    // Left as adpilot paused it, so its log (a pause, no undo) stays true.
    expect(ads.ad(LOSER)?.status).toBe('PAUSED');
    market.setStatus(SAMPLE_ADSET_IDS.broad, 'ACTIVE');
    expect(await revertChange(ctx, pauseId)).toMatchObject({ kind: 'reverted', reactivated: true });
    expect(ads.ad(LOSER)?.status).toBe('ACTIVE');
  }, 240_000);
});
