/**
 * The Pinterest connector's ad level against the fake Pinterest API over loopback: ads listed by id, `ads/analytics`
 * rows equal to `SimAds.reportedResults` exactly for every ad and day (immature days included) through 429s and
 * 5xx, and the batch status PATCH moving the ad's status from the next day; no token in any error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AdDailyMetric } from '../../../lib/model/ads.ts';
import { addDays } from '../../../lib/model/dates.ts';
import { AuthError, PlatformRequestError } from '../../../lib/platforms/errors.ts';
import { createPinterestConnector } from '../../../lib/platforms/pinterest/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SimAds } from '../../../lib/sim/ads.ts';
import type { FaultHook, FaultResponse } from '../../../lib/sim/faults.ts';
import { type FakePinterestServer, startFakePinterest } from '../../../lib/sim/pinterest/server.ts';
import { JP_ACCOUNT, pinterestMarket, US_ACCOUNT } from './market.ts';

const TOKEN = 'pina_integration-ads-secret';

const servers: FakePinterestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fault?: FaultHook) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = pinterestMarket(clock, { maturity: (age) => Math.min(1, 0.4 + age / 20) });
  const ads = new SimAds(market);
  const fake = await startFakePinterest({ market, ads, accessToken: TOKEN, ...(fault ? { fault } : {}) });
  servers.push(fake);
  const pinterest = createPinterestConnector({
    baseUrl: fake.baseUrl,
    credentials: { accessToken: TOKEN },
    clock,
    sleep: async () => {},
    random: () => 0.5,
    timeoutMs: 1_000,
  });
  return { market, ads, fake, pinterest, account: await pinterest.getAccount(US_ACCOUNT) };
}

/** The first three `ads/analytics` attempts fail with a 429, a 500 and a gateway page; every other ad listing is throttled. */
function faults(): FaultHook {
  const kinds: FaultResponse[] = [{ kind: 'throttle' }, { kind: 'server-error' }, { kind: 'server-error', status: 502 }];
  let analytics = 0;
  let lists = 0;
  return ({ path }) => {
    if (path.endsWith('/ads/analytics')) return kinds[analytics++];
    if (path.endsWith('/ads')) return lists++ % 2 === 0 ? { kind: 'throttle' } : undefined;
    return undefined;
  };
}

const byKey = (r: AdDailyMetric) => `${r.date}|${r.adId}`;
const sorted = (rows: readonly AdDailyMetric[]) => [...rows].sort((a, b) => byKey(a).localeCompare(byKey(b)));

describe('Pinterest ad level against the fake', () => {
  it('lists the ads asked for; unknown and other-account ids are absent', async () => {
    const { ads, pinterest, account } = await setup();
    const expected = ads.ads(US_ACCOUNT);
    expect(expected.length).toBe(10);
    const others = ads.ads(JP_ACCOUNT).map((a) => a.adId);
    expect(await pinterest.getAds(account, [...expected.map((a) => a.adId), '1234567', ...others])).toEqual(expected);
  });

  it('reads every ad and day exactly as SimAds reports it, immature days included, through 429s and 5xx', async () => {
    const { market, ads, fake, pinterest, account } = await setup(faults());
    const from = '2026-10-15';
    const to = '2026-11-01';
    const ids = ads.ads(US_ACCOUNT).map((a) => a.adId);
    const rows = await pinterest.fetchAdDailyMetrics(account, ids, from, to);
    const truth = ads.reportedResults(US_ACCOUNT, ids, from, to);
    expect(truth.length).toBeGreaterThan(100);
    expect(sorted(rows)).toEqual(sorted(truth));
    const final = market.dailyResults(US_ACCOUNT, from, to).reduce((s, r) => s + r.conversions, 0);
    expect(market.reportedResults(US_ACCOUNT, from, to).reduce((s, r) => s + r.conversions, 0)).toBeLessThan(final);
    const statuses = new Set(fake.requests.map((r) => r.status));
    for (const status of [429, 500, 502]) expect(statuses).toContain(status);
    expect(fake.requests.some((r) => r.path.endsWith('/ads/analytics') && r.status === 200)).toBe(true);
  });

  it('pauses and re-activates an ad from the next day, read back', async () => {
    const { market, ads, pinterest, account } = await setup(faults());
    const [ad] = await pinterest.getAds(account, [SimAds.adIdOf('2680060704746', 0)]);
    if (!ad) throw new Error('ad not listed');
    const next = addDays(market.today(US_ACCOUNT), 1);
    expect(await pinterest.setAdStatus(ad, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([ads.statusOn(ad.adId, market.today(US_ACCOUNT)), ads.statusOn(ad.adId, next)]).toEqual(['ACTIVE', 'PAUSED']);
    expect(await pinterest.setAdStatus(ad, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(ads.statusOn(ad.adId, next)).toBe('ACTIVE');
  });

  it('an unknown ad is refused and a dead token is an AuthError; no token in any error', async () => {
    const { pinterest } = await setup();
    const ghost = {
      platform: 'pinterest',
      accountId: US_ACCOUNT,
      adId: '1',
      adsetId: '2',
      campaignId: '3',
      name: '',
      status: 'ACTIVE',
    } as const;
    const missing = await pinterest.setAdStatus(ghost, 'PAUSED').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PlatformRequestError);
    const expired = await setup(() => ({ kind: 'expired-token' })).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(AuthError);
    for (const error of [missing, expired]) {
      const e = error as Error & { cause?: Error };
      expect(JSON.stringify({ m: e.message, s: e.stack, c: e.cause?.message, cs: e.cause?.stack })).not.toContain(TOKEN);
    }
  });
});
