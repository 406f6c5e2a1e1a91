/**
 * The X Ads connector against the fake X Ads API over loopback: every request OAuth 1.0a-signed and verified by
 * the fake; what it reads equals the market simulator's truth exactly (late conversions included) through
 * throttles, 503s, cut and corrupt bodies and timeouts, in 7-day windows aligned with today's offset across DST,
 * ≤20 line items per call, one call per metric group, and async jobs for back-fills; budget writes land on the
 * line item or its campaign, rounded down, and are read back; status writes PUT the line item's entity_status and
 * read it back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DailyMetric } from '../../../lib/model/ads.ts';
import {
  AuthError,
  MalformedResponseError,
  PlatformRequestError,
  RateLimitedError,
  TransientPlatformError,
} from '../../../lib/platforms/errors.ts';
import type { PlatformConnector } from '../../../lib/platforms/port.ts';
import { createXAdsConnector, type XAdsConnectorOptions } from '../../../lib/platforms/x-ads/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { FaultHook, FaultResponse } from '../../../lib/sim/faults.ts';
import { MarketSimulator } from '../../../lib/sim/market.ts';
import { X_CAMPAIGN_BUDGET_LINE_ITEM, X_JP_ACCOUNT, X_US_ACCOUNT, xAdsMarket } from '../../../lib/sim/x-ads/sample-market.ts';
import { type FakeXAdsOptions, type FakeXAdsServer, onlyAt, startFakeXAds } from '../../../lib/sim/x-ads/server.ts';

const CREDENTIALS = {
  consumerKey: 'x-consumer-key-integration',
  consumerSecret: 'x-consumer-secret-integration',
  accessToken: '370773112-x-access-token-integration',
  accessTokenSecret: 'x-token-secret-integration',
};
const SECRETS = Object.values(CREDENTIALS);
const UNIT = 1_000_000;
/** 23:00 on 1 November in Los Angeles, the day PDT ended: October's days were UTC−7, today's offset is UTC−8. */
const NOW = '2026-11-02T07:00:00Z';

const servers: FakeXAdsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(
  fault?: FaultHook,
  connector: Partial<XAdsConnectorOptions> = {},
  fake: Partial<FakeXAdsOptions> = {},
  market?: MarketSimulator,
) {
  const clock = new ManualClock(NOW);
  const sim = market ?? xAdsMarket(clock, { maturity: (age) => Math.min(1, 0.5 + age / 10) });
  const server = await startFakeXAds({ market: sim, credentials: CREDENTIALS, ...(fault ? { fault } : {}), ...fake });
  servers.push(server);
  const delays: number[] = [];
  let nonce = 0;
  const x: PlatformConnector = createXAdsConnector({
    baseUrl: server.baseUrl,
    ...CREDENTIALS,
    clock: market ? new ManualClock(NOW) : clock,
    nonce: () => `nonce${++nonce}`,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    timeoutMs: 1_500,
    ...connector,
  });
  return { clock, market: sim, fake: server, x, delays };
}

/** One request in seven fails, with X-style faults; never two in a row, so a retried request gets through. */
function mixedFaults(): FaultHook {
  const faults: FaultResponse[] = [
    { kind: 'throttle' },
    { kind: 'server-error' },
    { kind: 'server-error', status: 502 },
    { kind: 'malformed' },
    { kind: 'malformed', corrupt: { field: 'id_data.0.metrics.impressions', index: 0, value: [1.5] } },
    { kind: 'timeout', ms: 4_000 },
    { kind: 'server-error', status: 500 },
  ];
  let seen = 0;
  return () => {
    seen += 1;
    return seen % 7 === 3 ? faults[Math.floor(seen / 7) % faults.length] : undefined;
  };
}

const byKey = (r: DailyMetric) => `${r.date}|${r.adsetId}`;
const sorted = (rows: readonly DailyMetric[]) => [...rows].sort((a, b) => byKey(a).localeCompare(byKey(b)));

function errorText(error: unknown): string {
  const e = error as Error & { cause?: Error };
  return JSON.stringify({ m: e.message, s: e.stack, c: e.cause?.message, cs: e.cause?.stack });
}

describe('X Ads connector against the fake', () => {
  it('reads accounts with the funding instrument currency and the time zone', async () => {
    const { x } = await setup();
    expect(await x.getAccount(X_US_ACCOUNT)).toEqual({
      platform: 'x-ads',
      accountId: X_US_ACCOUNT,
      name: 'Acme on X',
      currency: 'USD',
      timezone: 'America/Los_Angeles',
    });
    expect(await x.getAccount(X_JP_ACCOUNT)).toEqual({
      platform: 'x-ads',
      accountId: X_JP_ACCOUNT,
      name: 'Acme X 日本',
      currency: 'JPY',
      timezone: 'Asia/Tokyo',
    });
  });

  it('lists line items page by page with their budget where the account puts it (deleted ones left out)', async () => {
    const { x, market, fake } = await setup(undefined, { pageSize: 2 });
    market.setStatus('9cqi3', 'DELETED', new Date('2026-10-20T12:00:00Z'));
    const account = await x.getAccount(X_US_ACCOUNT);
    const expected = market.adsets(X_US_ACCOUNT).filter((a) => a.status !== 'DELETED');
    expect(await x.listAdSets(account)).toEqual(expected);
    expect(expected.find((a) => a.adsetId === X_CAMPAIGN_BUDGET_LINE_ITEM)).toMatchObject({
      budgetLevel: 'campaign',
      dailyBudgetMicros: 90 * UNIT,
    });
    expect(expected.map((a) => a.name)).toContain('<b>VIP</b> "Winter" & co 🚀 <script>alert(1)</script>');
    // Cursor paging: several pages of count=2 per collection.
    expect(fake.requests.filter((r) => r.path.endsWith('/line_items') && r.query.cursor !== undefined).length).toBeGreaterThanOrEqual(1);
  });

  it('reads 30 days synchronously, equal to the truth with late conversions, through mixed faults', async () => {
    const { x, market, fake, delays } = await setup(mixedFaults());
    market.setStatus('9cqi3', 'DELETED', new Date('2026-10-20T12:00:00Z'));
    const account = await x.getAccount(X_US_ACCOUNT);
    const [from, to] = ['2026-10-03', '2026-11-01'];
    const rows = await x.fetchDailyMetrics(account, from, to);
    const truth = market.reportedResults(X_US_ACCOUNT, from, to);
    expect(sorted(rows)).toEqual(sorted(truth));
    expect(truth.length).toBeGreaterThan(100);
    expect(truth.some((r) => r.adsetId === '9cqi3')).toBe(true); // the deleted line item's past days count
    expect(fake.requests.filter((r) => r.fault).length).toBeGreaterThanOrEqual(3);
    expect(delays.length).toBe(fake.requests.filter((r) => r.fault || (r.status !== null && r.status >= 400)).length);
    const stats = fake.requests.filter((r) => r.path === `/12/stats/accounts/${X_US_ACCOUNT}`);
    // Five 7-day-or-less windows × 3 metric groups, each group in its own call; local midnight at today's offset (−08:00).
    const windows = [...new Set(stats.map((r) => `${r.query.start_time}..${r.query.end_time}`))].sort();
    expect(windows).toEqual([
      '2026-10-03T08:00:00Z..2026-10-10T08:00:00Z',
      '2026-10-10T08:00:00Z..2026-10-17T08:00:00Z',
      '2026-10-17T08:00:00Z..2026-10-24T08:00:00Z',
      '2026-10-24T08:00:00Z..2026-10-31T08:00:00Z',
      '2026-10-31T08:00:00Z..2026-11-02T08:00:00Z',
    ]);
    expect(new Set(stats.map((r) => r.query.metric_groups))).toEqual(new Set(['ENGAGEMENT', 'BILLING', 'WEB_CONVERSION']));
    expect(fake.requests.filter((r) => r.path.includes('/stats/jobs/'))).toEqual([]);
  });

  it('reads the JPY account on Tokyo time equal to the truth', async () => {
    const { x, market } = await setup();
    const account = await x.getAccount(X_JP_ACCOUNT);
    const rows = await x.fetchDailyMetrics(account, '2026-10-20', '2026-11-02');
    expect(sorted(rows)).toEqual(sorted(market.reportedResults(X_JP_ACCOUNT, '2026-10-20', '2026-11-02')));
    expect(rows.length).toBe(13); // Tokyo's 2 November is in progress: not reported yet
  });

  it('back-fills 100 days with async jobs (gzip downloads), equal to the truth, through mixed faults', async () => {
    const { x, market, fake, delays } = await setup(mixedFaults(), { jobPollIntervalMs: 15_000 });
    const account = await x.getAccount(X_US_ACCOUNT);
    const [from, to] = ['2026-07-25', '2026-11-01'];
    const rows = await x.fetchDailyMetrics(account, from, to);
    expect(sorted(rows)).toEqual(sorted(market.reportedResults(X_US_ACCOUNT, from, to)));
    const created = fake.requests.filter((r) => r.method === 'POST' && r.status === 200);
    // Two job windows (90 + 9 days) × one chunk × three groups.
    expect(created.map((r) => `${r.query.start_time}..${r.query.end_time} ${r.query.metric_groups}`).sort()).toEqual([
      '2026-07-25T08:00:00Z..2026-10-23T08:00:00Z BILLING',
      '2026-07-25T08:00:00Z..2026-10-23T08:00:00Z ENGAGEMENT',
      '2026-07-25T08:00:00Z..2026-10-23T08:00:00Z WEB_CONVERSION',
      '2026-10-23T08:00:00Z..2026-11-02T08:00:00Z BILLING',
      '2026-10-23T08:00:00Z..2026-11-02T08:00:00Z ENGAGEMENT',
      '2026-10-23T08:00:00Z..2026-11-02T08:00:00Z WEB_CONVERSION',
    ]);
    expect(fake.requests.filter((r) => r.path.endsWith('.json.gz') && r.status === 200).length).toBeGreaterThanOrEqual(6);
    expect(delays.filter((d) => d === 15_000).length).toBeGreaterThanOrEqual(2); // polled until SUCCESS
    expect(fake.requests.filter((r) => r.path === `/12/stats/accounts/${X_US_ACCOUNT}`)).toEqual([]);
  });

  it('asks for at most 20 line items per stats call', async () => {
    const market = bigMarket();
    const { x, fake } = await setup(undefined, {}, {}, market);
    const account = await x.getAccount('big1');
    const rows = await x.fetchDailyMetrics(account, '2026-10-26', '2026-11-01');
    expect(sorted(rows)).toEqual(sorted(market.reportedResults('big1', '2026-10-26', '2026-11-01')));
    const stats = fake.requests.filter((r) => r.path === '/12/stats/accounts/big1');
    expect(stats.map((r) => (r.query.entity_ids ?? '').split(',').length).sort()).toEqual([20, 20, 20, 3, 3, 3]);
  });

  it('keeps at most maxJobsInFlight jobs open at a time', async () => {
    const market = bigMarket();
    const { x, fake } = await setup(undefined, { asyncAfterWindows: 1, maxJobsInFlight: 4 }, {}, market);
    const account = await x.getAccount('big1');
    const rows = await x.fetchDailyMetrics(account, '2026-10-19', '2026-11-01');
    expect(sorted(rows)).toEqual(sorted(market.reportedResults('big1', '2026-10-19', '2026-11-01')));
    // 2 chunks × 3 groups = 6 jobs: a batch of 4, downloaded, then a batch of 2.
    const steps = fake.requests
      .filter((r) => r.method === 'POST' || r.path.endsWith('.json.gz'))
      .map((r) => (r.method === 'POST' ? 'create' : 'download'));
    expect(steps).toEqual([
      'create',
      'create',
      'create',
      'create',
      'download',
      'download',
      'download',
      'download',
      'create',
      'create',
      'download',
      'download',
    ]);
  });
});

function bigMarket(): MarketSimulator {
  const clock = new ManualClock(NOW);
  const adsets = Array.from({ length: 23 }, (_, i) => ({
    platform: 'x-ads' as const,
    accountId: 'big1',
    adsetId: `li${String(i).padStart(2, '0')}`,
    campaignId: 'cmp1',
    name: `Line item ${i}`,
    dailyBudgetMicros: (20 + i) * UNIT,
    curve: { beta: 10, alpha: 1, kappa: 100 },
    averageOrderValueMicros: 50 * UNIT,
    cpmMicros: 5 * UNIT,
    ctr: 0.01,
  }));
  const market = new MarketSimulator({
    seed: 3,
    clock,
    accounts: [{ platform: 'x-ads', accountId: 'big1', name: 'Big', currency: 'EUR', timezone: 'Europe/Paris' }],
    adsets,
  });
  return market;
}

describe('X Ads connector against the fake: rate limits, errors and budgets', () => {
  it('a 429 waits until the ad-account reset, not the later user-level one', async () => {
    const { x, delays } = await setup(onlyAt([1], { kind: 'throttle', minutes: 1.5 }, (r) => r.path.endsWith('/line_items')));
    const account = await x.getAccount(X_US_ACCOUNT);
    await x.listAdSets(account);
    expect(delays).toEqual([90_000]);
  });

  it('a 503 honours retry-after', async () => {
    const { x, delays } = await setup(onlyAt([1], 'server-error'));
    await x.getAccount(X_US_ACCOUNT);
    expect(delays).toEqual([2_000]);
  });

  it('a throttle that does not stop is a RateLimitedError after the last attempt', async () => {
    const { x } = await setup(() => ({ kind: 'throttle' }), { maxAttempts: 3 });
    const error = await x.getAccount(X_US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).code).toBe('TOO_MANY_REQUESTS');
    for (const secret of SECRETS) expect(errorText(error)).not.toContain(secret);
  });

  it('the fake refuses a bad signature with 401: an AuthError, not retried, without any secret in it', async () => {
    const { fake } = await setup();
    const wrong = createXAdsConnector({
      baseUrl: fake.baseUrl,
      ...CREDENTIALS,
      accessTokenSecret: 'not-the-secret',
      clock: new ManualClock(NOW),
      sleep: async () => {},
    });
    const error = await wrong.getAccount(X_US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(401);
    expect((error as AuthError).code).toBe('UNAUTHORIZED_ACCESS');
    expect(fake.requests.map((r) => r.status)).toEqual([401]);
    for (const secret of [...SECRETS, 'not-the-secret']) expect(errorText(error)).not.toContain(secret);
  });

  it('the fake refuses a stale oauth_timestamp', async () => {
    const { fake } = await setup();
    const stale = createXAdsConnector({
      baseUrl: fake.baseUrl,
      ...CREDENTIALS,
      clock: new ManualClock('2026-11-02T06:00:00Z'),
      sleep: async () => {},
    });
    await expect(stale.getAccount(X_US_ACCOUNT)).rejects.toBeInstanceOf(AuthError);
  });

  it('an expired token is an AuthError without a secret in it', async () => {
    const { x, fake } = await setup(() => ({ kind: 'expired-token' }));
    const error = await x.getAccount(X_US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(fake.requests.length).toBe(1);
    for (const secret of SECRETS) expect(errorText(error)).not.toContain(secret);
  });

  it('a corrupt stats answer that stays corrupt is a MalformedResponseError naming the field', async () => {
    const { x } = await setup(
      (r) =>
        r.path.includes('/stats/')
          ? { kind: 'malformed', corrupt: { field: 'id_data.0.metrics.billed_charge_local_micro', index: 1, value: ['12.5'] } }
          : undefined,
      { maxAttempts: 2 },
    );
    const account = await x.getAccount(X_US_ACCOUNT);
    const error = await x.fetchDailyMetrics(account, '2026-10-20', '2026-10-26').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('data[1].id_data[0].metrics.billed_charge_local_micro[0]');
    for (const secret of SECRETS) expect(errorText(error)).not.toContain(secret);
  });

  it('a job download that stays cut is a MalformedResponseError', async () => {
    const { x } = await setup((r) => (r.path.endsWith('.json.gz') ? { kind: 'malformed' } : undefined), {
      maxAttempts: 2,
      asyncAfterWindows: 1,
    });
    const account = await x.getAccount(X_US_ACCOUNT);
    const error = await x.fetchDailyMetrics(account, '2026-10-01', '2026-10-20').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('(body)');
  });

  it('a timeout that does not end is a TransientPlatformError after the last attempt', async () => {
    const { x } = await setup(() => ({ kind: 'timeout', ms: 5_000 }), { maxAttempts: 2, timeoutMs: 100 });
    await expect(x.getAccount(X_US_ACCOUNT)).rejects.toBeInstanceOf(TransientPlatformError);
  });

  it('writes a line-item budget with PUT, rounded down to cents, read back; it applies from the next day', async () => {
    const { x, market, fake } = await setup(onlyAt([1], 'throttle', (r) => r.method === 'PUT'));
    const account = await x.getAccount(X_US_ACCOUNT);
    const adset = (await x.listAdSets(account)).find((a) => a.adsetId === '9cqi0');
    if (!adset) throw new Error('fixture changed');
    expect(await x.setDailyBudget(adset, 150_456_789)).toEqual({ appliedMicros: 150_450_000, readBackMicros: 150_450_000 });
    expect(fake.requests.filter((r) => r.method === 'PUT').map((r) => [r.path, r.query, r.status])).toEqual([
      [`/12/accounts/${X_US_ACCOUNT}/line_items/9cqi0`, { daily_budget_amount_local_micro: '150450000' }, 429],
      [`/12/accounts/${X_US_ACCOUNT}/line_items/9cqi0`, { daily_budget_amount_local_micro: '150450000' }, 200],
    ]);
    expect(market.budgetOn('9cqi0', '2026-11-02')).toBe(150_450_000);
    expect(market.budgetOn('9cqi0', '2026-11-01')).toBe(120 * UNIT);
    expect(await x.getDailyBudget(adset)).toBe(150_450_000);
  });

  it('writes a campaign-held budget on the campaign', async () => {
    const { x, market, fake } = await setup();
    const account = await x.getAccount(X_US_ACCOUNT);
    const adset = (await x.listAdSets(account)).find((a) => a.adsetId === X_CAMPAIGN_BUDGET_LINE_ITEM);
    if (!adset) throw new Error('fixture changed');
    expect(await x.setDailyBudget(adset, 75 * UNIT)).toEqual({ appliedMicros: 75 * UNIT, readBackMicros: 75 * UNIT });
    expect(fake.requests.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([`/12/accounts/${X_US_ACCOUNT}/campaigns/8wku4`]);
    expect(market.budgetOn(X_CAMPAIGN_BUDGET_LINE_ITEM, '2026-11-02')).toBe(75 * UNIT);
  });

  it('writes a JPY budget in whole yen', async () => {
    const { x, fake } = await setup();
    const account = await x.getAccount(X_JP_ACCOUNT);
    const adset = (await x.listAdSets(account))[0];
    if (!adset) throw new Error('fixture changed');
    expect(await x.setDailyBudget(adset, 18_000_999_999)).toEqual({ appliedMicros: 18_000_000_000, readBackMicros: 18_000_000_000 });
    expect(fake.requests.find((r) => r.method === 'PUT')?.query).toEqual({ daily_budget_amount_local_micro: '18000000000' });
  });

  it('validateOnly sends nothing and reads the current budget back; a negative budget is refused locally', async () => {
    const { x, fake } = await setup();
    const account = await x.getAccount(X_US_ACCOUNT);
    const adset = (await x.listAdSets(account)).find((a) => a.adsetId === '9cqi0');
    if (!adset) throw new Error('fixture changed');
    expect(await x.setDailyBudget(adset, 50 * UNIT, { validateOnly: true })).toEqual({
      appliedMicros: 50 * UNIT,
      readBackMicros: 120 * UNIT,
    });
    await expect(x.setDailyBudget(adset, -1)).rejects.toBeInstanceOf(PlatformRequestError);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });
});

describe('X Ads connector against the fake: status writes', () => {
  it('pauses then re-activates a line item with PUT entity_status, read back; each applies from the next day', async () => {
    const { x, market, fake } = await setup();
    const account = await x.getAccount(X_US_ACCOUNT);
    const adset = (await x.listAdSets(account)).find((a) => a.adsetId === '9cqi0');
    if (!adset) throw new Error('fixture changed');
    expect(await x.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    // 23:00 on 1 November in Los Angeles: the change applies from 2 November.
    expect([market.statusOn('9cqi0', '2026-11-01'), market.statusOn('9cqi0', '2026-11-02')]).toEqual(['ACTIVE', 'PAUSED']);
    expect((await x.listAdSets(account)).find((a) => a.adsetId === '9cqi0')?.status).toBe('PAUSED');
    expect(await x.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(await x.setStatus(adset, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(market.statusOn('9cqi0', '2026-11-02')).toBe('ACTIVE');
    expect(fake.requests.filter((r) => r.method === 'PUT').map((r) => [r.path, r.query, r.status])).toEqual([
      [`/12/accounts/${X_US_ACCOUNT}/line_items/9cqi0`, { entity_status: 'PAUSED' }, 200],
      [`/12/accounts/${X_US_ACCOUNT}/line_items/9cqi0`, { entity_status: 'PAUSED' }, 200],
      [`/12/accounts/${X_US_ACCOUNT}/line_items/9cqi0`, { entity_status: 'ACTIVE' }, 200],
    ]);
    expect(market.adset('9cqi0').dailyBudgetMicros).toBe(120 * UNIT);
  });

  it('a 429, a 503 and a 500 on the status PUT are retried: the write lands once', async () => {
    for (const [fault, status, wait] of [
      [{ kind: 'throttle' }, 429, 60_000],
      [{ kind: 'server-error' }, 503, 2_000],
      [{ kind: 'server-error', status: 500 }, 500, 750],
    ] as const) {
      const { x, market, fake, delays } = await setup(onlyAt([1], fault, (r) => r.method === 'PUT'));
      expect(await x.setStatus(market.adset('9cqi1'), 'PAUSED')).toEqual({ readBack: 'PAUSED' });
      expect(fake.requests.filter((r) => r.method === 'PUT').map((r) => [r.status, r.fault])).toEqual([
        [status, fault.kind],
        [200, undefined],
      ]);
      expect(delays).toEqual([wait]);
      expect(market.statusOn('9cqi1', '2026-11-02')).toBe('PAUSED');
    }
  });

  it('a deleted line item is refused by the fake as by X (404): a PlatformRequestError, not retried, without a secret', async () => {
    const { x, market, fake } = await setup();
    market.setStatus('9cqi3', 'DELETED');
    const error = await x.setStatus(market.adset('9cqi3'), 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect([(error as PlatformRequestError).status, (error as PlatformRequestError).code]).toEqual([404, 'LINE_ITEM_NOT_FOUND']);
    expect(fake.requests.filter((r) => r.method === 'PUT').length).toBe(1);
    expect(market.adset('9cqi3').status).toBe('DELETED');
    for (const secret of SECRETS) expect(errorText(error)).not.toContain(secret);
  });

  it('an expired token on the status PUT is an AuthError without a secret; nothing is written', async () => {
    const { x, market } = await setup(onlyAt([1], 'expired-token', (r) => r.method === 'PUT'));
    const error = await x.setStatus(market.adset('9cqi0'), 'PAUSED').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    for (const secret of SECRETS) expect(errorText(error)).not.toContain(secret);
    expect(market.statusOn('9cqi0', '2026-11-02')).toBe('ACTIVE');
  });
});
