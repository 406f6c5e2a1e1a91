/**
 * Google Ads ad level against the fake over loopback: ad group ads listed from SimAds, their daily rows equal
 * `SimAds.reportedResults` exactly (immature days included) through throttles and 5xx, and `adGroupAds:mutate`
 * pauses and re-enables an ad from the next account day, read back; no error carries a token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/model/dates.ts';
import { hasAdLevel } from '../../../lib/platforms/ads.ts';
import { AuthError } from '../../../lib/platforms/errors.ts';
import { createGoogleAdsConnector } from '../../../lib/platforms/google-ads/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SimAds } from '../../../lib/sim/ads.ts';
import type { FaultHook } from '../../../lib/sim/faults.ts';
import { everyNth, type FakeGoogleAdsServer, startFakeGoogleAds } from '../../../lib/sim/google-ads/server.ts';
import { googleMarket, JP_CUSTOMER, SHARED_BUDGETS, US_CUSTOMER } from '../../fixtures/google-ads/market.ts';

const TOKEN = 'ya29.ads-integration-secret';
const DEV_TOKEN = 'dev-ads-integration-secret';

const servers: FakeGoogleAdsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fault?: FaultHook) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = googleMarket(clock, { maturity: (age) => Math.min(1, 0.4 + age / 8) });
  const ads = new SimAds(market);
  const fake = await startFakeGoogleAds({
    market,
    ads,
    accessToken: TOKEN,
    developerToken: DEV_TOKEN,
    sharedBudgets: SHARED_BUDGETS,
    ...(fault ? { fault } : {}),
  });
  servers.push(fake);
  const delays: number[] = [];
  const google = createGoogleAdsConnector({
    baseUrl: fake.baseUrl,
    apiVersion: 'v26',
    accessToken: TOKEN,
    developerToken: DEV_TOKEN,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
  });
  return { clock, market, ads, fake, google, delays };
}

const isAdQuery = (r: { query: Readonly<Record<string, string>> }) => (r.query.query ?? '').includes('FROM ad_group_ad');

describe('Google Ads ad level against the fake', () => {
  it('has the ad-level capability', async () => {
    const { google } = await setup();
    expect(hasAdLevel(google)).toBe(true);
  });

  it('lists the asked ads with their campaign as ad set and campaign; unknown and non-numeric ids are absent', async () => {
    const { google, ads, fake } = await setup();
    const account = await google.getAccount(US_CUSTOMER);
    const all = ads.ads(US_CUSTOMER);
    const wanted = [all[0]?.adId ?? '', all[3]?.adId ?? '', all[all.length - 1]?.adId ?? ''];
    const got = await google.getAds(account, [...wanted, '999999999999', 'not-an-id']);
    expect(got).toEqual(all.filter((a) => wanted.includes(a.adId)));
    const query = fake.requests.at(-1)?.body as { query: string };
    expect(query.query).toBe(
      `SELECT ad_group_ad.ad.id, ad_group_ad.ad.name, ad_group_ad.status, ad_group.id, campaign.id FROM ad_group_ad WHERE ad_group_ad.ad.id IN (${[...wanted, '999999999999'].join(', ')})`,
    );
  });

  it.each([US_CUSTOMER, JP_CUSTOMER])(
    'reads every ad of %s per day exactly as SimAds reports it over 14 days, immature days included',
    async (customerId) => {
      const { google, ads, market } = await setup();
      const account = await google.getAccount(customerId);
      const adIds = ads.ads(customerId).map((a) => a.adId);
      const today = market.today(customerId);
      const from = addDays(today, -13);
      const rows = await google.fetchAdDailyMetrics(account, adIds, from, today);
      const truth = ads.reportedResults(customerId, adIds, from, today);
      expect(rows.length).toBeGreaterThan(adIds.length * 10);
      expect(new Set(rows.map((r) => r.date)).size).toBeGreaterThanOrEqual(10);
      // Immature days are in the range: the market reports fewer conversions for them than its final truth.
      const sum = (rows: readonly { conversions: number }[]) => rows.reduce((s, r) => s + r.conversions, 0);
      const yesterday = addDays(today, -1);
      expect(sum(market.reportedResults(customerId, yesterday, yesterday))).toBeLessThan(
        sum(market.dailyResults(customerId, yesterday, yesterday)),
      );
      const sortKey = (r: { date: string; adId: string }) => `${r.date}|${r.adId}`;
      expect([...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(truth);
    },
  );

  it('retries throttles and 5xx on ad queries and still returns the exact rows', async () => {
    let n = 0;
    const hook: FaultHook = (request) => {
      if (request.method !== 'POST' || !isAdQuery(request)) return undefined;
      n += 1;
      return n === 1 ? { kind: 'throttle' } : n === 2 ? { kind: 'server-error', status: 503 } : undefined;
    };
    const { google, ads, market, fake, delays } = await setup(hook);
    const account = await google.getAccount(US_CUSTOMER);
    const adIds = ads.ads(US_CUSTOMER).map((a) => a.adId);
    const today = market.today(US_CUSTOMER);
    const rows = await google.fetchAdDailyMetrics(account, adIds, addDays(today, -11), today);
    expect(rows).toEqual(ads.reportedResults(US_CUSTOMER, adIds, addDays(today, -11), today));
    expect(fake.requests.filter((r) => r.fault !== undefined).map((r) => [r.fault, r.status])).toEqual([
      ['throttle', 429],
      ['server-error', 503],
    ]);
    expect(delays.length).toBe(2);
  });

  it('pauses an ad from the next account day and re-enables it, each read back', async () => {
    const { google, ads, market, fake } = await setup();
    const account = await google.getAccount(US_CUSTOMER);
    const [ad] = await google.getAds(account, [ads.ads(US_CUSTOMER)[1]?.adId ?? '']);
    if (!ad) throw new Error('no ad');
    const tomorrow = addDays(market.today(US_CUSTOMER), 1);
    expect(await google.setAdStatus(ad, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(ads.statusOn(ad.adId, tomorrow)).toBe('PAUSED');
    expect(ads.statusOn(ad.adId, market.today(US_CUSTOMER))).toBe('ACTIVE');
    const mutate = fake.requests.find((r) => r.path.endsWith('adGroupAds:mutate'));
    expect(mutate?.body).toEqual({
      operations: [
        {
          updateMask: 'status',
          update: { resourceName: `customers/${US_CUSTOMER}/adGroupAds/${ad.campaignId}00~${ad.adId}`, status: 'PAUSED' },
        },
      ],
      partialFailure: false,
      validateOnly: false,
    });
    expect(await google.setAdStatus(ad, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(ads.statusOn(ad.adId, tomorrow)).toBe('ACTIVE');
  });

  it('retries a throttled status write', async () => {
    let throttled = false;
    const hook: FaultHook = (r) => {
      if (throttled || !r.path.endsWith('adGroupAds:mutate')) return undefined;
      throttled = true;
      return { kind: 'throttle' };
    };
    const { google, ads, market, fake } = await setup(hook);
    const account = await google.getAccount(US_CUSTOMER);
    const [ad] = await google.getAds(account, [ads.ads(US_CUSTOMER)[0]?.adId ?? '']);
    if (!ad) throw new Error('no ad');
    expect(await google.setAdStatus(ad, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(ads.statusOn(ad.adId, addDays(market.today(US_CUSTOMER), 1))).toBe('PAUSED');
    expect(fake.requests.filter((r) => r.path.endsWith('adGroupAds:mutate')).map((r) => r.status)).toEqual([429, 200]);
  });

  it('an expired token on an ad query is an AuthError that names neither token', async () => {
    const { google, ads } = await setup(everyNth(1, 'expired-token', isAdQuery));
    const account = { platform: 'google-ads' as const, accountId: US_CUSTOMER, name: '', currency: 'USD', timezone: 'UTC' };
    const error = await google.getAds(account, [ads.ads(US_CUSTOMER)[0]?.adId ?? '']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const e = error as Error;
    const text = `${e.message} ${e.stack ?? ''} ${String(e.cause ?? '')} ${JSON.stringify(e)}`;
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(DEV_TOKEN);
  });
});
