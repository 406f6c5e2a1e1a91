/**
 * The TikTok connector's ad level against the fake TikTok API over loopback: ads listed with their status, daily
 * ad rows equal to SimAds.reportedResults exactly (immature days included) through throttles and 5xx, and ad
 * status writes that move the simulated ads from the next day.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/model/dates.ts';
import { AuthError, MalformedResponseError } from '../../../lib/platforms/errors.ts';
import { createTikTokConnector } from '../../../lib/platforms/tiktok/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SimAds } from '../../../lib/sim/ads.ts';
import type { FaultHook } from '../../../lib/sim/faults.ts';
import { type FakeTikTokServer, startFakeTikTok } from '../../../lib/sim/tiktok/server.ts';
import { JP_ADVERTISER, tiktokMarket, US_ADVERTISER } from '../../fixtures/tiktok/market.ts';

const TOKEN = 'tt-ads-integration-secret';

const servers: FakeTikTokServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fault?: FaultHook) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = tiktokMarket(clock, { maturity: (age) => Math.min(1, 0.4 + age / 10) });
  const ads = new SimAds(market);
  const fake = await startFakeTikTok({ market, ads, accessToken: TOKEN, ...(fault ? { fault } : {}) });
  servers.push(fake);
  const delays: number[] = [];
  const tiktok = createTikTokConnector({
    baseUrl: fake.baseUrl,
    accessToken: TOKEN,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    timeoutMs: 2_000,
  });
  return { clock, market, ads, fake, tiktok, delays };
}

const byKey = <T extends { adId: string; date: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => a.date.localeCompare(b.date) || a.adId.localeCompare(b.adId));

describe('TikTok ad level against the fake', () => {
  it('getAds lists the asked ads with ad group, campaign and status; unknown ids are absent', async () => {
    const { tiktok, ads } = await setup();
    const account = await tiktok.getAccount(US_ADVERTISER);
    const ids = ads.ads(US_ADVERTISER).map((a) => a.adId);
    expect(await tiktok.getAds(account, [...ids, '1899999999999999901'])).toEqual(ads.ads(US_ADVERTISER));
  });

  it('daily ad rows equal SimAds.reportedResults for every ad and day, across 30-day slices, through a throttle and a 5xx', async () => {
    const isReport = (r: { path: string }) => r.path.endsWith('/report/integrated/get/');
    let reports = 0;
    const hook: FaultHook = (r) => {
      if (!isReport(r)) return undefined;
      reports += 1;
      if (reports === 1) return { kind: 'throttle' };
      if (reports === 3) return { kind: 'server-error' };
      return undefined;
    };
    const { tiktok, ads, fake, market, delays } = await setup(hook);
    for (const accountId of [US_ADVERTISER, JP_ADVERTISER]) {
      const account = await tiktok.getAccount(accountId);
      const ids = ads.ads(accountId).map((a) => a.adId);
      const today = market.today(accountId);
      const from = addDays(today, -44);
      const got = await tiktok.fetchAdDailyMetrics(account, ids, from, today);
      const expected = ads.reportedResults(accountId, ids, from, today);
      expect(byKey(got)).toEqual(byKey(expected));
      // Every ad of an active ad group delivers on most days; the recent days are immature (fewer conversions than truth).
      expect(new Set(got.map((r) => r.date)).size).toBeGreaterThanOrEqual(10);
    }
    expect(fake.requests.filter((r) => r.fault === 'throttle' || r.fault === 'server-error')).toHaveLength(2);
    expect(delays.length).toBeGreaterThanOrEqual(2);
  });

  it('immature days report fewer conversions than the market will', async () => {
    const { tiktok, ads, market } = await setup();
    const account = await tiktok.getAccount(US_ADVERTISER);
    const ids = ads.ads(US_ADVERTISER).map((a) => a.adId);
    const today = market.today(US_ADVERTISER);
    const recent = await tiktok.fetchAdDailyMetrics(account, ids, addDays(today, -3), today);
    const reported = recent.reduce((s, r) => s + r.conversions, 0);
    const truth = market.dailyResults(US_ADVERTISER, addDays(today, -3), today).reduce((s, r) => s + r.conversions, 0);
    expect(reported).toBeLessThan(truth);
  });

  it('pauses an ad and re-activates it: each read back, each moving the ad from the next day', async () => {
    const { tiktok, ads, market, clock } = await setup();
    const account = await tiktok.getAccount(US_ADVERTISER);
    const [ad] = await tiktok.getAds(account, [SimAds.adIdOf('1800000000000001', 1)]);
    if (!ad) throw new Error('ad missing');
    const today = market.today(US_ADVERTISER);
    expect(await tiktok.setAdStatus(ad, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([ads.statusOn(ad.adId, today), ads.statusOn(ad.adId, addDays(today, 1))]).toEqual(['ACTIVE', 'PAUSED']);
    clock.advance(86_400_000);
    const tomorrow = market.today(US_ADVERTISER);
    expect(await tiktok.setAdStatus(ad, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect([ads.statusOn(ad.adId, tomorrow), ads.statusOn(ad.adId, addDays(tomorrow, 1))]).toEqual(['PAUSED', 'ACTIVE']);
  });

  it('an expired token and a corrupt ad row are typed errors without the token in them', async () => {
    const expired = await setup(() => ({ kind: 'expired-token' }));
    const account = { platform: 'tiktok' as const, accountId: US_ADVERTISER, name: '', currency: 'USD', timezone: 'America/Los_Angeles' };
    const e1 = await expired.tiktok.getAds(account, ['1']).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(AuthError);
    const corrupt = await setup((r) =>
      r.path.endsWith('/report/integrated/get/') ? { kind: 'malformed', corrupt: { field: 'metrics.clicks', value: 'x' } } : undefined,
    );
    const ids = corrupt.ads.ads(US_ADVERTISER).map((a) => a.adId);
    const today = corrupt.market.today(US_ADVERTISER);
    const e2 = await corrupt.tiktok.fetchAdDailyMetrics(account, ids, addDays(today, -5), today).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(MalformedResponseError);
    expect((e2 as MalformedResponseError).field).toBe('data.list[0].metrics.clicks');
    for (const error of [e1, e2])
      expect(JSON.stringify({ m: (error as Error).message, s: (error as Error).stack, c: String((error as Error).cause) })).not.toContain(
        TOKEN,
      );
  });
});
