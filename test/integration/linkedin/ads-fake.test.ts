/**
 * LinkedIn ad level against the fake over loopback: creatives listed from SimAds by the `q=criteria` finder, their
 * daily rows (`pivot=CREATIVE`) equal `SimAds.reportedResults` exactly (immature days included) through 429s and
 * 5xx and across id × day slices, and a PARTIAL_UPDATE of `intendedStatus` pauses and re-activates a creative from
 * the next UTC day, read back; no error carries the token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../lib/model/dates.ts';
import { hasAdLevel } from '../../../lib/platforms/ads.ts';
import { AuthError } from '../../../lib/platforms/errors.ts';
import { createLinkedInConnector, type LinkedInConnectorOptions } from '../../../lib/platforms/linkedin/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SimAds } from '../../../lib/sim/ads.ts';
import type { FaultHook } from '../../../lib/sim/faults.ts';
import { everyNth, type FakeLinkedInServer, startFakeLinkedIn } from '../../../lib/sim/linkedin/server.ts';
import { JP_ACCOUNT, linkedinMarket, US_ACCOUNT } from './market.ts';

const TOKEN = 'li-ads-integration-secret/+=';

const servers: FakeLinkedInServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fault?: FaultHook, connector: Partial<LinkedInConnectorOptions> = {}) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = linkedinMarket(clock, { maturity: (age) => Math.min(1, 0.4 + age / 8) });
  const ads = new SimAds(market);
  const fake = await startFakeLinkedIn({ market, ads, accessToken: TOKEN, ...(fault ? { fault } : {}) });
  servers.push(fake);
  const delays: number[] = [];
  const linkedin = createLinkedInConnector({
    baseUrl: fake.baseUrl,
    accessToken: TOKEN,
    version: '202601',
    clock,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    timeoutMs: 300,
    ...connector,
  });
  return { clock, market, ads, fake, linkedin, delays };
}

const sortKey = (r: { date: string; adId: string }) => `${r.date}|${r.adId}`;

describe('LinkedIn ad level against the fake', () => {
  it('has the ad-level capability', async () => {
    const { linkedin } = await setup();
    expect(hasAdLevel(linkedin)).toBe(true);
  });

  it('lists the asked creatives across pages with campaign as ad set and group as campaign; unknown ids are absent', async () => {
    const { linkedin, ads, fake } = await setup(undefined, { pageSize: 2 });
    const account = await linkedin.getAccount(US_ACCOUNT);
    const all = ads.ads(US_ACCOUNT);
    const wanted = all.slice(0, 5).map((a) => a.adId);
    const got = await linkedin.getAds(account, [...wanted, '99999999999', 'x']);
    expect(got).toEqual(all.slice(0, 5));
    const pages = fake.requests.filter((r) => r.path.endsWith('/creatives'));
    expect(pages.map((r) => r.query.pageToken !== undefined)).toEqual([false, true, true]);
    expect(pages[0]?.rawQuery).toBe(
      `q=criteria&creatives=List(${[...wanted, '99999999999'].map((id) => `urn%3Ali%3AsponsoredCreative%3A${id}`).join(',')})&pageSize=2`,
    );
  });

  it.each([US_ACCOUNT, JP_ACCOUNT])(
    'reads every creative of %s per UTC day exactly as SimAds reports it over 14 days, immature days included',
    async (accountId) => {
      const { linkedin, ads, market, fake } = await setup();
      const account = await linkedin.getAccount(accountId);
      const adIds = ads.ads(accountId).map((a) => a.adId);
      const today = market.today(accountId);
      const from = addDays(today, -13);
      const rows = await linkedin.fetchAdDailyMetrics(account, adIds, from, today);
      const truth = ads.reportedResults(accountId, adIds, from, today);
      expect(new Set(rows.map((r) => r.date)).size).toBeGreaterThanOrEqual(10);
      const sum = (rs: readonly { conversions: number }[]) => rs.reduce((s, r) => s + r.conversions, 0);
      const yesterday = addDays(today, -1);
      expect(sum(market.reportedResults(accountId, yesterday, yesterday))).toBeLessThan(
        sum(market.dailyResults(accountId, yesterday, yesterday)),
      );
      expect([...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(truth);
      const analytics = fake.requests.filter((r) => r.path.endsWith('/adAnalytics'));
      expect(analytics.every((r) => r.query.pivot === 'CREATIVE' && r.query.creatives !== undefined)).toBe(true);
    },
  );

  it('slices ids × days under a small cap and still reads every row exactly', async () => {
    const { linkedin, ads, market, fake } = await setup(undefined, { maxElements: 12, maxCampaignsPerRequest: 3 });
    const account = await linkedin.getAccount(US_ACCOUNT);
    const adIds = ads.ads(US_ACCOUNT).map((a) => a.adId);
    const today = market.today(US_ACCOUNT);
    const rows = await linkedin.fetchAdDailyMetrics(account, adIds, addDays(today, -10), today);
    expect([...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
      ads.reportedResults(US_ACCOUNT, adIds, addDays(today, -10), today),
    );
    const analytics = fake.requests.filter((r) => r.path.endsWith('/adAnalytics'));
    // 10 creatives in chunks of 3,3,3,1; 11 days cut to 4-day slices for 3 ids (12 elements) and one slice for 1 id.
    expect(analytics.length).toBe(3 * 3 + 1);
    for (const r of analytics) {
      const ids = (r.query.creatives ?? '').split(',').length;
      const m = /start:\(year:(\d+),month:(\d+),day:(\d+)\),end:\(year:(\d+),month:(\d+),day:(\d+)\)/.exec(r.query.dateRange ?? '');
      const date = (y?: string, mo?: string, d?: string) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      const days = daysBetween(date(m?.[1], m?.[2], m?.[3]), date(m?.[4], m?.[5], m?.[6])) + 1;
      expect(days).toBeGreaterThan(0);
      expect(ids * days).toBeLessThanOrEqual(12);
    }
  });

  it('retries a 429 and a 5xx on creative analytics', async () => {
    let n = 0;
    const hook: FaultHook = (r) => {
      if (!r.path.endsWith('/adAnalytics')) return undefined;
      n += 1;
      return n === 1 ? { kind: 'throttle' } : n === 2 ? { kind: 'server-error' } : undefined;
    };
    const { linkedin, ads, market, fake, delays } = await setup(hook);
    const account = await linkedin.getAccount(US_ACCOUNT);
    const adIds = ads.ads(US_ACCOUNT).map((a) => a.adId);
    const today = market.today(US_ACCOUNT);
    const rows = await linkedin.fetchAdDailyMetrics(account, adIds, addDays(today, -11), today);
    expect([...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
      ads.reportedResults(US_ACCOUNT, adIds, addDays(today, -11), today),
    );
    expect(fake.requests.filter((r) => r.fault !== undefined).map((r) => [r.fault, r.status])).toEqual([
      ['throttle', 429],
      ['server-error', 500],
    ]);
    expect(delays.length).toBe(2);
  });

  it('pauses a creative from the next UTC day and re-activates it, each read back', async () => {
    const { linkedin, ads, market, fake } = await setup();
    const account = await linkedin.getAccount(US_ACCOUNT);
    const [ad] = await linkedin.getAds(account, [ads.ads(US_ACCOUNT)[1]?.adId ?? '']);
    if (!ad) throw new Error('no ad');
    const tomorrow = addDays(market.today(US_ACCOUNT), 1);
    expect(await linkedin.setAdStatus(ad, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(ads.statusOn(ad.adId, tomorrow)).toBe('PAUSED');
    expect(ads.statusOn(ad.adId, market.today(US_ACCOUNT))).toBe('ACTIVE');
    const write = fake.requests.find((r) => r.method === 'POST');
    expect(write).toMatchObject({
      path: `/rest/adAccounts/${US_ACCOUNT}/creatives/urn%3Ali%3AsponsoredCreative%3A${ad.adId}`,
      restliMethod: 'PARTIAL_UPDATE',
      body: { patch: { $set: { intendedStatus: 'PAUSED' } } },
      status: 204,
    });
    expect(await linkedin.setAdStatus(ad, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(ads.statusOn(ad.adId, tomorrow)).toBe('ACTIVE');
  });

  it('an expired token on the creative finder is an AuthError without the token', async () => {
    const { linkedin, ads } = await setup(everyNth(1, 'expired-token', (r) => r.path.endsWith('/creatives')));
    const account = await linkedin.getAccount(US_ACCOUNT);
    const error = await linkedin.getAds(account, [ads.ads(US_ACCOUNT)[0]?.adId ?? '']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const e = error as Error;
    const text = `${e.message} ${e.stack ?? ''} ${String(e.cause ?? '')} ${JSON.stringify(e)}`;
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(encodeURIComponent(TOKEN));
  });
});
