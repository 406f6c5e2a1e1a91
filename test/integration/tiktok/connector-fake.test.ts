/**
 * The TikTok connector against the fake TikTok API over loopback: what it reads equals the market simulator's
 * truth exactly, through throttles (code 40100 in an HTTP 200), 5xx, cut and corrupt bodies and timeouts, across
 * 30-day slices and pages; budget writes land in decimal major units, rounded down, and are read back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/model/dates.ts';
import { AuthError, MalformedResponseError, PlatformRequestError, RateLimitedError } from '../../../lib/platforms/errors.ts';
import type { PlatformConnector } from '../../../lib/platforms/port.ts';
import { createTikTokConnector, type TikTokConnectorOptions } from '../../../lib/platforms/tiktok/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { FaultHook, FaultResponse } from '../../../lib/sim/faults.ts';
import type { MarketSimulator } from '../../../lib/sim/market.ts';
import { everyNth, type FakeTikTokServer, onlyAt, startFakeTikTok } from '../../../lib/sim/tiktok/server.ts';
import { CBO_ADGROUP, JP_ADVERTISER, tiktokMarket, US_ADVERTISER } from '../../fixtures/tiktok/market.ts';

const TOKEN = 'tt-integration-secret';
const UNIT = 1_000_000;

const servers: FakeTikTokServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fault?: FaultHook, connector: Partial<TikTokConnectorOptions> = {}) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market: MarketSimulator = tiktokMarket(clock, { maturity: (age) => Math.min(1, 0.5 + age / 10) });
  const fake = await startFakeTikTok({ market, accessToken: TOKEN, ...(fault ? { fault } : {}) });
  servers.push(fake);
  const delays: number[] = [];
  const tiktok: PlatformConnector = createTikTokConnector({
    baseUrl: fake.baseUrl,
    accessToken: TOKEN,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    timeoutMs: 300,
    ...connector,
  });
  return { clock, market, fake, tiktok, delays };
}

/** A hook failing one request in seven (about 14%) with a mix of TikTok-style faults. */
function mixedFaults(): FaultHook {
  const faults: FaultResponse[] = [
    { kind: 'throttle' },
    { kind: 'server-error' },
    { kind: 'server-error', status: 502 },
    { kind: 'malformed' },
    { kind: 'malformed', corrupt: { field: 'metrics.spend', index: 1, value: 'abc' } },
    { kind: 'timeout', ms: 2_000 },
    { kind: 'throttle', code: 40132 },
  ];
  let seen = 0;
  return () => {
    seen += 1;
    // Never two faults in a row, so a retried request always gets through.
    return seen % 7 === 3 ? faults[Math.floor(seen / 7) % faults.length] : undefined;
  };
}

describe('TikTok connector against the fake', () => {
  it('reads advertisers with currency and time zone', async () => {
    const { tiktok } = await setup();
    expect(await tiktok.getAccount(JP_ADVERTISER)).toEqual({
      platform: 'tiktok',
      accountId: JP_ADVERTISER,
      name: 'Acme TikTok 日本',
      currency: 'JPY',
      timezone: 'Asia/Tokyo',
    });
  });

  it('lists ad groups with budgets, budget modes and campaign-funded groups', async () => {
    const { tiktok, market } = await setup();
    const account = await tiktok.getAccount(US_ADVERTISER);
    const expected = market.adsets(US_ADVERTISER).map((a) => ({
      ...a,
      dailyBudgetMicros: a.budgetLevel === 'campaign' ? null : a.dailyBudgetMicros,
    }));
    expect(await tiktok.listAdSets(account)).toEqual(expected);
    expect(expected.find((a) => a.adsetId === CBO_ADGROUP)?.budgetLevel).toBe('campaign');
  });

  it.each([US_ADVERTISER, JP_ADVERTISER])(
    'reads 90 days (%s) equal to the truth, with late conversions, through mixed faults',
    async (advertiser) => {
      const { tiktok, market, fake, delays } = await setup(mixedFaults(), { pageSize: 7 });
      const account = await tiktok.getAccount(advertiser);
      const to = '2026-11-01';
      const from = '2026-08-04';
      const rows = await tiktok.fetchDailyMetrics(account, from, to);
      const truth = market.reportedResults(advertiser, from, to);
      const byKey = (r: { adsetId: string; date: string }) => `${r.date}|${r.adsetId}`;
      expect([...rows].sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual(
        [...truth].sort((a, b) => byKey(a).localeCompare(byKey(b))),
      );
      expect(truth.length).toBeGreaterThan(100);
      // Faults were injected and retried; every report span was at most 30 days.
      expect(fake.requests.filter((r) => r.fault).length).toBeGreaterThanOrEqual(4);
      expect(delays.length).toBe(fake.requests.filter((r) => r.fault || (r.code !== undefined && r.code !== 0)).length);
      const reports = fake.requests.filter((r) => r.path.endsWith('/report/integrated/get/'));
      const spans = new Set(reports.map((r) => `${r.query.start_date}..${r.query.end_date}`));
      expect([...spans].sort()).toEqual(['2026-08-04..2026-09-02', '2026-09-03..2026-10-02', '2026-10-03..2026-11-01']);
    },
  );

  it('a throttle that does not stop is a RateLimitedError after the last attempt', async () => {
    const { tiktok } = await setup(() => ({ kind: 'throttle' }), { maxAttempts: 3 });
    const error = await tiktok.getAccount(US_ADVERTISER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).code).toBe(40100);
  });

  it('an expired token is an AuthError, not retried, without the token in it', async () => {
    const { tiktok, fake } = await setup(() => ({ kind: 'expired-token' }));
    const error = await tiktok.getAccount(US_ADVERTISER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(fake.requests.length).toBe(1);
    expect(JSON.stringify({ m: (error as Error).message, s: (error as Error).stack })).not.toContain(TOKEN);
  });

  it('a corrupt page that stays corrupt is a MalformedResponseError naming the field', async () => {
    const { tiktok } = await setup(() => ({ kind: 'malformed', corrupt: { field: 'metrics.impressions', index: 2, value: '12.5' } }), {
      maxAttempts: 2,
    });
    const account = { platform: 'tiktok' as const, accountId: US_ADVERTISER, name: '', currency: 'USD', timezone: 'America/Los_Angeles' };
    const error = await tiktok.fetchDailyMetrics(account, '2026-10-01', '2026-10-10').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('data.list[2].metrics.impressions');
  });

  it('writes a USD budget rounded down to cents and reads it back; it applies from the next day', async () => {
    const { tiktok, market, fake } = await setup(onlyAt([1], 'throttle', (r) => r.path.endsWith('/adgroup/update/')));
    const account = await tiktok.getAccount(US_ADVERTISER);
    const adset = (await tiktok.listAdSets(account)).find((a) => a.adsetId === '1800000000000001');
    if (!adset) throw new Error('fixture changed');
    expect(await tiktok.setDailyBudget(adset, 150_456_789)).toEqual({ appliedMicros: 150_450_000, readBackMicros: 150_450_000 });
    expect(fake.requests.filter((r) => r.path.endsWith('/adgroup/update/')).map((r) => r.body)).toEqual([
      { advertiser_id: US_ADVERTISER, adgroup_id: '1800000000000001', budget: 150.45 },
      { advertiser_id: US_ADVERTISER, adgroup_id: '1800000000000001', budget: 150.45 },
    ]);
    expect(market.budgetOn('1800000000000001', '2026-11-03')).toBe(150_450_000);
    expect(market.budgetOn('1800000000000001', '2026-11-01')).toBe(120 * UNIT);
  });

  it('writes a JPY budget in whole yen', async () => {
    const { tiktok, fake } = await setup();
    const account = await tiktok.getAccount(JP_ADVERTISER);
    const adset = (await tiktok.listAdSets(account))[0];
    if (!adset) throw new Error('fixture changed');
    expect(await tiktok.setDailyBudget(adset, 18_000_999_999)).toEqual({ appliedMicros: 18_000_000_000, readBackMicros: 18_000_000_000 });
    expect(fake.requests.find((r) => r.path.endsWith('/adgroup/update/'))?.body).toEqual({
      advertiser_id: JP_ADVERTISER,
      adgroup_id: adset.adsetId,
      budget: 18000,
    });
  });

  it('refuses a campaign-funded ad group before sending anything, and validateOnly sends nothing', async () => {
    const { tiktok, fake } = await setup();
    const account = await tiktok.getAccount(US_ADVERTISER);
    const adsets = await tiktok.listAdSets(account);
    const cbo = adsets.find((a) => a.adsetId === CBO_ADGROUP);
    const own = adsets.find((a) => a.adsetId === '1800000000000001');
    if (!cbo || !own) throw new Error('fixture changed');
    await expect(tiktok.setDailyBudget(cbo, 50 * UNIT)).rejects.toBeInstanceOf(PlatformRequestError);
    expect(await tiktok.setDailyBudget(own, 50 * UNIT, { validateOnly: true })).toEqual({
      appliedMicros: 50 * UNIT,
      readBackMicros: 120 * UNIT,
    });
    expect(fake.requests.filter((r) => r.path.endsWith('/adgroup/update/'))).toEqual([]);
  });
});

describe('TikTok status writes against the fake', () => {
  const GROUP = '1800000000000001';
  const statusWrites = (fake: FakeTikTokServer) => fake.requests.filter((r) => r.path.endsWith('/adgroup/status/update/'));

  it('pauses, then re-activates: each read back, each moving the market from the next day', async () => {
    const { tiktok, market, fake } = await setup();
    const account = await tiktok.getAccount(US_ADVERTISER);
    const adset = (await tiktok.listAdSets(account)).find((a) => a.adsetId === GROUP);
    if (!adset) throw new Error('fixture changed');
    const today = market.today(US_ADVERTISER);
    const tomorrow = addDays(today, 1);
    expect(await tiktok.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([market.statusOn(GROUP, today), market.statusOn(GROUP, tomorrow)]).toEqual(['ACTIVE', 'PAUSED']);
    expect((await tiktok.listAdSets(account)).find((a) => a.adsetId === GROUP)?.status).toBe('PAUSED');
    expect(await tiktok.setStatus(adset, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect([market.statusOn(GROUP, today), market.statusOn(GROUP, tomorrow)]).toEqual(['ACTIVE', 'ACTIVE']);
    // Writing the status it already has is accepted.
    expect(await tiktok.setStatus(adset, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(statusWrites(fake).map((r) => [r.body, r.code])).toEqual(
      ['DISABLE', 'ENABLE', 'ENABLE'].map((operation_status) => [
        { advertiser_id: US_ADVERTISER, adgroup_ids: [GROUP], operation_status, allow_partial_success: false },
        0,
      ]),
    );
  });

  it.each([
    ['a throttle (code 40100)', 'throttle'],
    ['a 5xx (code 50000)', 'server-error'],
  ] as const)('retries %s on the write; the write happens once', async (_, kind) => {
    const { tiktok, market, fake, delays } = await setup(onlyAt([1], kind, (r) => r.path.endsWith('/adgroup/status/update/')));
    const adset = market.adset(GROUP);
    expect(await tiktok.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(statusWrites(fake).map((r) => [r.fault, r.code])).toEqual([
      [kind, kind === 'throttle' ? 40100 : 50000],
      [undefined, 0],
    ]);
    expect(delays).toHaveLength(1);
    expect(market.statusOn(GROUP, addDays(market.today(US_ADVERTISER), 1))).toBe('PAUSED');
  });

  it('a deleted ad group is refused as a PlatformRequestError, once, and the market keeps it deleted', async () => {
    const { tiktok, market, fake } = await setup();
    market.setStatus(GROUP, 'DELETED');
    const error = await tiktok.setStatus(market.adset(GROUP), 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error).toMatchObject({ code: 40002, endpoint: 'POST /open_api/v1.3/adgroup/status/update/' });
    expect(statusWrites(fake)).toHaveLength(1);
    expect(market.statusOn(GROUP, addDays(market.today(US_ADVERTISER), 1))).toBe('DELETED');
  });

  it('no token in any error of a status write: refusal, expired token, throttle that does not stop', async () => {
    const errors: unknown[] = [];
    const refused = await setup();
    refused.market.setStatus(GROUP, 'DELETED');
    errors.push(await refused.tiktok.setStatus(refused.market.adset(GROUP), 'PAUSED').catch((e: unknown) => e));
    const expired = await setup(() => ({ kind: 'expired-token' }));
    errors.push(await expired.tiktok.setStatus(expired.market.adset(GROUP), 'PAUSED').catch((e: unknown) => e));
    const throttled = await setup(everyNth(1, 'throttle'), { maxAttempts: 2 });
    errors.push(await throttled.tiktok.setStatus(throttled.market.adset(GROUP), 'PAUSED').catch((e: unknown) => e));
    expect(errors.map((e) => (e as Error).name)).toEqual(['PlatformRequestError', 'AuthError', 'RateLimitedError']);
    for (const error of errors) {
      const text = JSON.stringify({ m: (error as Error).message, s: (error as Error).stack, c: String((error as Error).cause) });
      expect(text).not.toContain(TOKEN);
    }
  });
});
