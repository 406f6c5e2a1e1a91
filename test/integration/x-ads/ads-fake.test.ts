/**
 * The X Ads connector's ad level against the fake X Ads API over loopback: promoted tweets listed by id, their
 * PROMOTED_TWEET DAY stats equal to `SimAds.reportedResults` exactly for every ad and day (immature days included)
 * through throttles and server errors, synchronously and through async jobs, and the promoted-tweet status PUT moving
 * the ad's status from the next account-local day; no credential in any error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AdDailyMetric } from '../../../lib/model/ads.ts';
import { addDays } from '../../../lib/model/dates.ts';
import { AuthError, PlatformRequestError } from '../../../lib/platforms/errors.ts';
import { createXAdsConnector } from '../../../lib/platforms/x-ads/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SimAds } from '../../../lib/sim/ads.ts';
import type { FaultHook, FaultResponse } from '../../../lib/sim/faults.ts';
import { tweetIdOf } from '../../../lib/sim/x-ads/ads.ts';
import { X_JP_ACCOUNT, X_US_ACCOUNT, xAdsMarket } from '../../../lib/sim/x-ads/sample-market.ts';
import { type FakeXAdsServer, startFakeXAds } from '../../../lib/sim/x-ads/server.ts';

const CREDENTIALS = {
  consumerKey: 'x-consumer-key-ads',
  consumerSecret: 'x-consumer-secret-ads',
  accessToken: '370773112-x-access-token-ads',
  accessTokenSecret: 'x-token-secret-ads',
};
const NOW = '2026-11-02T07:00:00Z';

const servers: FakeXAdsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fault?: FaultHook) {
  const clock = new ManualClock(NOW);
  const market = xAdsMarket(clock, { maturity: (age) => Math.min(1, 0.4 + age / 10) });
  const ads = new SimAds(market);
  const fake = await startFakeXAds({ market, ads, credentials: CREDENTIALS, ...(fault ? { fault } : {}) });
  servers.push(fake);
  let nonce = 0;
  const x = createXAdsConnector({
    baseUrl: fake.baseUrl,
    ...CREDENTIALS,
    clock,
    nonce: () => `nonce${++nonce}`,
    sleep: async () => {},
    random: () => 0.5,
    timeoutMs: 1_500,
    jobPollIntervalMs: 1,
  });
  const account = await x.getAccount(X_US_ACCOUNT);
  return { market, ads, fake, x, account };
}

/** Every fifth request fails with a 429, a 503, a 500 or a gateway page in turn (never twice in a row). */
function faults(): FaultHook {
  const kinds: FaultResponse[] = [
    { kind: 'throttle' },
    { kind: 'server-error' },
    { kind: 'server-error', status: 500 },
    { kind: 'server-error', status: 502 },
  ];
  let seen = 0;
  return () => {
    seen += 1;
    return seen % 5 === 2 ? kinds[Math.floor(seen / 5) % kinds.length] : undefined;
  };
}

const byKey = (r: AdDailyMetric) => `${r.date}|${r.adId}`;
const sorted = (rows: readonly AdDailyMetric[]) => [...rows].sort((a, b) => byKey(a).localeCompare(byKey(b)));

describe('X Ads ad level against the fake', () => {
  it('lists the promoted tweets asked for (unknown and other-account ids absent)', async () => {
    const { ads, x, account } = await setup();
    const expected = ads.ads(X_US_ACCOUNT).map((ad) => ({ ...ad, name: `Promoted tweet ${tweetIdOf(ad.adId)}` }));
    const ids = [...expected.map((a) => a.adId), 'nope01', SimAds.adIdOf('j1a2b', 0)];
    expect(expected.length).toBe(10);
    expect(await x.getAds(account, ids)).toEqual(expected);
  });

  it('reads every ad and day exactly as SimAds reports it, immature days included, through 429s and 5xx', async () => {
    const { market, ads, fake, x, account } = await setup(faults());
    const from = '2026-10-19';
    const to = '2026-11-01';
    const ids = ads.ads(X_US_ACCOUNT).map((a) => a.adId);
    const rows = await x.fetchAdDailyMetrics(account, ids, from, to);
    const truth = ads.reportedResults(X_US_ACCOUNT, ids, from, to);
    expect(truth.length).toBeGreaterThan(100);
    expect(sorted(rows)).toEqual(sorted(truth));
    // Immature days are in the range: the market reports fewer conversions than it will.
    const final = market.dailyResults(X_US_ACCOUNT, from, to);
    const reported = market.reportedResults(X_US_ACCOUNT, from, to);
    expect(reported.reduce((s, r) => s + r.conversions, 0)).toBeLessThan(final.reduce((s, r) => s + r.conversions, 0));
    const stats = fake.requests.filter((r) => r.path.endsWith(`/stats/accounts/${X_US_ACCOUNT}`));
    expect(new Set(stats.map((r) => r.query.entity))).toEqual(new Set(['PROMOTED_TWEET']));
    expect(Math.max(...stats.map((r) => (r.query.entity_ids ?? '').split(',').length))).toBeLessThanOrEqual(20);
    // A 429 (retried at the account-level reset) and 5xx answers were retried on the way.
    const statuses = new Set(fake.requests.map((r) => r.status));
    for (const status of [429, 503, 500]) expect(statuses).toContain(status);
  });

  it('reads a back-fill through PROMOTED_TWEET async jobs, equal to SimAds', async () => {
    const { ads, fake, x, account } = await setup();
    const ids = ads.ads(X_US_ACCOUNT).map((a) => a.adId);
    const rows = await x.fetchAdDailyMetrics(account, ids, '2026-09-10', '2026-11-01');
    expect(sorted(rows)).toEqual(sorted(ads.reportedResults(X_US_ACCOUNT, ids, '2026-09-10', '2026-11-01')));
    const jobs = fake.requests.filter((r) => r.method === 'POST');
    expect(jobs.length).toBeGreaterThan(0);
    expect(new Set(jobs.map((r) => r.query.entity))).toEqual(new Set(['PROMOTED_TWEET']));
  });

  it('pauses and re-activates an ad from the next account-local day, read back', async () => {
    const { market, ads, x, account } = await setup(faults());
    const ad = (await x.getAds(account, [SimAds.adIdOf('9cqi0', 1)]))[0];
    if (!ad) throw new Error('ad not listed');
    const next = addDays(market.today(X_US_ACCOUNT), 1);
    expect(await x.setAdStatus(ad, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(ads.statusOn(ad.adId, next)).toBe('PAUSED');
    expect(ads.statusOn(ad.adId, market.today(X_US_ACCOUNT))).toBe('ACTIVE');
    expect(await x.setAdStatus(ad, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(ads.statusOn(ad.adId, next)).toBe('ACTIVE');
  });

  it('an unknown ad is X 404 (PlatformRequestError) and a bad token an AuthError; no credential in any error', async () => {
    const { x, account } = await setup();
    const ghost = {
      platform: 'x-ads',
      accountId: X_US_ACCOUNT,
      adId: 'ghost01',
      adsetId: '9cqi0',
      campaignId: '8wku2',
      name: '',
      status: 'ACTIVE',
    } as const;
    const missing = await x.setAdStatus(ghost, 'PAUSED').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PlatformRequestError);
    const expired = await setup(() => ({ kind: 'expired-token' })).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(AuthError);
    const jp = await x.getAds({ ...account, accountId: X_JP_ACCOUNT }, [SimAds.adIdOf('j1a2b', 0)]);
    expect(jp.map((a) => a.adId)).toEqual([SimAds.adIdOf('j1a2b', 0)]);
    for (const error of [missing, expired]) {
      const e = error as Error & { cause?: Error };
      const text = JSON.stringify({ m: e.message, s: e.stack, c: e.cause?.message, cs: e.cause?.stack });
      for (const secret of Object.values(CREDENTIALS)) expect(text).not.toContain(secret);
    }
  });
});
