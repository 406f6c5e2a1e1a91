/**
 * The Meta connector's ad level against the fake Graph API over loopback: ads listed with their status, daily ad
 * rows equal to SimAds.reportedResults exactly (immature days included, sync and async, across pages) through
 * throttles and 5xx, and ad status writes that move the simulated ads from the next day.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/model/dates.ts';
import { AuthError, MalformedResponseError } from '../../../lib/platforms/errors.ts';
import { createMetaConnector } from '../../../lib/platforms/meta/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SimAds } from '../../../lib/sim/ads.ts';
import type { FaultHook } from '../../../lib/sim/faults.ts';
import { MarketSimulator } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID, SAMPLE_ADSET_IDS, sampleMarketConfig } from '../../../lib/sim/sample-market.ts';
import { exposedText } from '../../unit/platforms/meta/fixture-fetch.ts';
import { fakeMetaConnector } from '../fake-meta.ts';

const TOKEN = 'EAAB-ads-integration-secret';

const servers: FakeMetaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fault?: FaultHook) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = new MarketSimulator({
    ...sampleMarketConfig(42),
    startDate: '2026-08-01',
    clock,
    maturity: (age) => Math.min(1, 0.4 + age / 10),
  });
  const ads = new SimAds(market);
  const fake = await startFakeMeta({ market, ads, accessToken: TOKEN, pageSize: 7, ...(fault ? { fault } : {}) });
  servers.push(fake);
  const delays: number[] = [];
  const meta = fakeMetaConnector(fake.baseUrl, TOKEN, {
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    timeoutMs: 2_000,
  });
  const account = await meta.getAccount(SAMPLE_ACCOUNT_ID);
  return { clock, market, ads, fake, meta, delays, account };
}

const sorted = <T extends { adId: string; date: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => a.date.localeCompare(b.date) || a.adId.localeCompare(b.adId));

describe('Meta ad level against the fake', () => {
  it('getAds lists the asked ads with ad set, campaign and status; unknown ids are absent', async () => {
    const { meta, ads, account } = await setup();
    const ids = ads.ads(SAMPLE_ACCOUNT_ID).map((a) => a.adId);
    expect(await meta.getAds(account, [...ids, '99999999'])).toEqual(ads.ads(SAMPLE_ACCOUNT_ID));
  });

  it('daily ad rows equal SimAds.reportedResults for every ad and day, over pages, through a throttle and a 5xx', async () => {
    let insights = 0;
    const hook: FaultHook = (r) => {
      if (!r.path.endsWith('/insights')) return undefined;
      insights += 1;
      if (insights === 1) return { kind: 'throttle' };
      if (insights === 3) return { kind: 'server-error' };
      return undefined;
    };
    const { meta, ads, market, fake, delays, account } = await setup(hook);
    const ids = ads.ads(SAMPLE_ACCOUNT_ID).map((a) => a.adId);
    const today = market.today(SAMPLE_ACCOUNT_ID);
    const from = addDays(today, -13);
    const got = await meta.fetchAdDailyMetrics(account, ids, from, today);
    expect(sorted(got)).toEqual(sorted(ads.reportedResults(SAMPLE_ACCOUNT_ID, ids, from, today)));
    expect(new Set(got.map((r) => r.date)).size).toBeGreaterThanOrEqual(10);
    expect(fake.requests.filter((r) => r.fault !== undefined).map((r) => r.fault)).toEqual(['throttle', 'server-error']);
    expect(delays.length).toBeGreaterThanOrEqual(2);
  });

  it('a range past 31 days goes through async report runs and still equals SimAds.reportedResults', async () => {
    const { meta, ads, market, fake, account } = await setup();
    const ids = [SimAds.adIdOf(SAMPLE_ADSET_IDS.broad, 0), SimAds.adIdOf(SAMPLE_ADSET_IDS.video, 1)];
    const today = market.today(SAMPLE_ACCOUNT_ID);
    const from = addDays(today, -45);
    const got = await meta.fetchAdDailyMetrics(account, ids, from, today);
    expect(sorted(got)).toEqual(sorted(ads.reportedResults(SAMPLE_ACCOUNT_ID, ids, from, today)));
    expect(fake.requests.some((r) => r.method === 'POST' && r.path.endsWith('/insights'))).toBe(true);
  });

  it('recent days are immature: fewer conversions than the market will report', async () => {
    const { meta, ads, market, account } = await setup();
    const ids = ads.ads(SAMPLE_ACCOUNT_ID).map((a) => a.adId);
    const today = market.today(SAMPLE_ACCOUNT_ID);
    const rows = await meta.fetchAdDailyMetrics(account, ids, addDays(today, -3), today);
    const truth = market.dailyResults(SAMPLE_ACCOUNT_ID, addDays(today, -3), today);
    expect(rows.reduce((s, r) => s + r.conversions, 0)).toBeLessThan(truth.reduce((s, r) => s + r.conversions, 0));
  });

  it('pauses an ad and re-activates it: each read back, each moving the ad from the next day', async () => {
    const { meta, ads, market, clock, account } = await setup();
    const [ad] = await meta.getAds(account, [SimAds.adIdOf(SAMPLE_ADSET_IDS.broad, 1)]);
    if (!ad) throw new Error('ad missing');
    const today = market.today(SAMPLE_ACCOUNT_ID);
    expect(await meta.setAdStatus(ad, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([ads.statusOn(ad.adId, today), ads.statusOn(ad.adId, addDays(today, 1))]).toEqual(['ACTIVE', 'PAUSED']);
    clock.advance(86_400_000);
    const tomorrow = market.today(SAMPLE_ACCOUNT_ID);
    expect(await meta.setAdStatus(ad, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect([ads.statusOn(ad.adId, tomorrow), ads.statusOn(ad.adId, addDays(tomorrow, 1))]).toEqual(['PAUSED', 'ACTIVE']);
  });

  it('a refused token and a corrupt ad row are typed errors without the token in them', async () => {
    const expired = await setup();
    const ad = expired.ads.ads(SAMPLE_ACCOUNT_ID)[0];
    if (!ad) throw new Error('no ad');
    const stale = createMetaConnector({
      baseUrl: expired.fake.baseUrl,
      apiVersion: 'v25.0',
      accessToken: `${TOKEN}-old`,
      purchaseActionType: 'omni_purchase',
      sleep: async () => {},
    });
    const e1 = await stale.setAdStatus(ad, 'PAUSED').catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(AuthError);
    const corrupt = await setup((r) =>
      r.path.endsWith('/insights') ? { kind: 'malformed', corrupt: { field: 'impressions', value: 'many' } } : undefined,
    );
    const today = corrupt.market.today(SAMPLE_ACCOUNT_ID);
    const e2 = await corrupt.meta.fetchAdDailyMetrics(corrupt.account, [ad.adId], addDays(today, -5), today).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(MalformedResponseError);
    expect((e2 as MalformedResponseError).field).toBe('data[0].impressions');
    for (const error of [e1, e2]) expect(exposedText(error)).not.toContain(TOKEN);
  });
});
