/**
 * The Pinterest connector against the fake Pinterest API over loopback: what it reads equals the market's truth
 * exactly (late conversions included), through 429s with X-RateLimit-Reset, 5xx, cut and corrupt bodies and
 * timeouts, across bookmarks, 90-day slices and async back-fill reports; budgets (ad group and CBO campaign) are
 * written rounded down and read back; ad group statuses are PATCHed and read back; expired tokens are refreshed and
 * stored; no secret appears in any error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AdSet, DailyMetric } from '../../../lib/model/ads.ts';
import { AuthError, MalformedResponseError, PlatformRequestError, RateLimitedError } from '../../../lib/platforms/errors.ts';
import { createPinterestConnector, type PinterestConnectorOptions } from '../../../lib/platforms/pinterest/connector.ts';
import type { PinterestCredentials } from '../../../lib/platforms/pinterest/credentials.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { FaultHook, FaultResponse } from '../../../lib/sim/faults.ts';
import type { FakePinterestOAuth } from '../../../lib/sim/pinterest/api.ts';
import { type FakePinterestServer, onlyAt, startFakePinterest } from '../../../lib/sim/pinterest/server.ts';
import { CBO_CAMPAIGN, CBO_GROUPS, HOSTILE_NAME, JP_ACCOUNT, pinterestMarket, US_ACCOUNT } from './market.ts';

const TOKEN = 'pina_integration-secret';
const OAUTH: FakePinterestOAuth = { clientId: '1500000', clientSecret: 'client-secret-shh', refreshToken: 'pinr_refresh-secret' };
const SECRETS = [TOKEN, OAUTH.clientSecret, OAUTH.refreshToken, 'pina_fake_', 'pinr_fake_'];
const U = 1_000_000;

const servers: FakePinterestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Setup {
  readonly fault?: FaultHook;
  readonly connector?: Partial<PinterestConnectorOptions>;
  readonly credentials?: PinterestCredentials;
  readonly oauth?: boolean;
  readonly accessTokenExpired?: boolean;
}

async function setup(options: Setup = {}) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = pinterestMarket(clock, { maturity: (age) => Math.min(1, 0.4 + age / 20) });
  const fake = await startFakePinterest({
    market,
    accessToken: TOKEN,
    ...(options.oauth ? { oauth: OAUTH } : {}),
    ...(options.accessTokenExpired ? { accessTokenExpired: true } : {}),
    ...(options.fault ? { fault: options.fault } : {}),
  });
  servers.push(fake);
  const delays: number[] = [];
  const saved: PinterestCredentials[] = [];
  const pinterest = createPinterestConnector({
    baseUrl: fake.baseUrl,
    credentials: options.credentials ?? { accessToken: TOKEN },
    tokenStore: { save: async (c) => void saved.push(c) },
    clock,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    timeoutMs: 300,
    ...options.connector,
  });
  return { clock, market, fake, pinterest, delays, saved };
}

const byKey = (r: DailyMetric) => `${r.date}|${r.adsetId}`;
const sorted = (rows: readonly DailyMetric[]) => [...rows].sort((a, b) => byKey(a).localeCompare(byKey(b)));

/**
 * Every fault kind, in turn, on the first analytics request (its retries get the next kind, the seventh attempt
 * passes), and a throttle on every third list page.
 */
function mixedFaults(): FaultHook {
  const analytics: FaultResponse[] = [
    { kind: 'throttle' },
    { kind: 'server-error' },
    { kind: 'server-error', status: 503 },
    { kind: 'malformed' },
    { kind: 'malformed', corrupt: { field: 'SPEND_IN_MICRO_DOLLAR', index: 1, value: 'abc' } },
    { kind: 'timeout', ms: 2_000 },
  ];
  let analyticsSeen = 0;
  let listSeen = 0;
  return (request) => {
    if (request.path.endsWith('/analytics')) return analytics[analyticsSeen++];
    listSeen += 1;
    return listSeen % 3 === 2 ? { kind: 'throttle', minutes: 0.1 } : undefined;
  };
}

function expectNoSecret(error: unknown): void {
  const text = JSON.stringify({ m: (error as Error).message, s: (error as Error).stack, c: String((error as Error).cause) });
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('Pinterest connector against the fake', () => {
  it('reads ad accounts with currency, reported on UTC', async () => {
    const { pinterest } = await setup();
    expect(await pinterest.getAccount(JP_ACCOUNT)).toEqual({
      platform: 'pinterest',
      accountId: JP_ACCOUNT,
      name: 'Acme ピン',
      currency: 'JPY',
      timezone: 'UTC',
    });
  });

  it('lists ad groups page by page; CBO ad groups carry their campaign daily cap', async () => {
    const { pinterest, market, fake } = await setup({ connector: { pageSize: 2 } });
    const account = await pinterest.getAccount(US_ACCOUNT);
    const adsets = await pinterest.listAdSets(account);
    const expected: AdSet[] = market
      .adsets(US_ACCOUNT)
      .map((a) => (a.budgetLevel === 'campaign' ? { ...a, dailyBudgetMicros: 100 * U } : a));
    expect(adsets).toEqual(expected);
    expect(adsets.find((a) => a.adsetId === '2680060704747')?.name).toBe(HOSTILE_NAME);
    expect(fake.requests.filter((r) => r.path.endsWith('/ad_groups')).map((r) => r.query.bookmark !== undefined)).toEqual([
      false,
      true,
      true,
    ]);
  });

  it.each([US_ACCOUNT, JP_ACCOUNT])(
    'reads 89 days (%s) equal to the truth, late conversions included, through mixed faults',
    async (accountId) => {
      const { pinterest, market, fake, delays } = await setup({ fault: mixedFaults(), connector: { maxAttempts: 7, pageSize: 1 } });
      const account = await pinterest.getAccount(accountId);
      const from = '2026-08-05';
      const to = '2026-11-01';
      const rows = await pinterest.fetchDailyMetrics(account, from, to);
      const truth = market.reportedResults(accountId, from, to);
      expect(sorted(rows)).toEqual(sorted(truth));
      expect(truth.length).toBeGreaterThan(100);
      const analytics = fake.requests.filter((r) => r.path.endsWith('/ad_groups/analytics'));
      expect(analytics.map((r) => r.fault ?? r.status)).toEqual([
        'throttle',
        'server-error',
        'server-error',
        'malformed',
        'malformed',
        'timeout',
        200,
      ]);
      expect(new Set(analytics.map((r) => `${r.query.start_date}..${r.query.end_date}`))).toEqual(new Set([`${from}..${to}`]));
      // Each fault was waited out once; throttles for their X-RateLimit-Reset (60 s, 6 s), the rest with backoff.
      expect(delays.length).toBe(fake.requests.filter((r) => r.fault).length);
      expect(delays).toContain(60_000);
      expect(delays).toContain(6_000);
      expect(fake.requests.some((r) => r.path.endsWith('/reports'))).toBe(false);
    },
  );

  it('slices a range of more than 90 recent days at 90 days', async () => {
    const { pinterest, market, fake } = await setup({ connector: { syncMaxDaysBack: 90 } });
    const account = await pinterest.getAccount(US_ACCOUNT);
    const rows = await pinterest.fetchDailyMetrics(account, '2026-08-04', '2026-11-05');
    expect(sorted(rows)).toEqual(sorted(market.reportedResults(US_ACCOUNT, '2026-08-04', '2026-11-05')));
    const spans = fake.requests
      .filter((r) => r.path.endsWith('/ad_groups/analytics'))
      .map((r) => `${r.query.start_date}..${r.query.end_date}`);
    expect(spans).toEqual(['2026-08-04..2026-11-01', '2026-11-02..2026-11-05']);
  });

  it('back-fills older days through async reports (two ≤186-day reports), downloading without the token', async () => {
    const { pinterest, market, fake, delays } = await setup();
    const account = await pinterest.getAccount(US_ACCOUNT);
    const rows = await pinterest.fetchDailyMetrics(account, '2026-04-10', '2026-11-01');
    expect(sorted(rows)).toEqual(sorted(market.reportedResults(US_ACCOUNT, '2026-04-10', '2026-11-01')));
    const created = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reports'));
    expect(created.map((r) => r.body)).toEqual([
      expect.objectContaining({
        start_date: '2026-04-10',
        end_date: '2026-10-12',
        level: 'AD_GROUP',
        granularity: 'DAY',
        report_format: 'JSON',
      }),
      expect.objectContaining({ start_date: '2026-10-13', end_date: '2026-11-01' }),
    ]);
    const downloads = fake.requests.filter((r) => r.path.startsWith('/downloads/'));
    expect(downloads.map((r) => [r.status, r.authorized])).toEqual([
      [200, false],
      [200, false],
    ]);
    expect(delays).toEqual([5_000, 5_000]);
  });

  it('a throttle that does not stop is a RateLimitedError waiting X-RateLimit-Reset', async () => {
    const { pinterest, delays } = await setup({ fault: () => ({ kind: 'throttle', minutes: 0.5 }), connector: { maxAttempts: 3 } });
    const error = await pinterest.getAccount(US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(30_000);
    expect((error as RateLimitedError).status).toBe(429);
    expect(delays).toEqual([30_000, 30_000]);
  });

  it('an expired token without refresh credentials is an AuthError, not retried, without the token', async () => {
    const { pinterest, fake } = await setup({ fault: () => ({ kind: 'expired-token' }) });
    const error = await pinterest.getAccount(US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(fake.requests.length).toBe(1);
    expectNoSecret(error);
  });

  it('a 401 refreshes the token, stores the new credentials and repeats the request', async () => {
    const credentials = { accessToken: TOKEN, ...OAUTH };
    const { pinterest, fake, saved } = await setup({ oauth: true, accessTokenExpired: true, credentials });
    expect((await pinterest.getAccount(US_ACCOUNT)).currency).toBe('USD');
    expect(saved).toEqual([
      { ...credentials, accessToken: 'pina_fake_1', refreshToken: 'pinr_fake_1', expiresAt: '2026-12-02T07:00:00.000Z' },
    ]);
    expect(fake.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', `/v5/ad_accounts/${US_ACCOUNT}`, 401],
      ['POST', '/v5/oauth/token', 200],
      ['GET', `/v5/ad_accounts/${US_ACCOUNT}`, 200],
    ]);
    const log = JSON.stringify(fake.requests);
    for (const secret of SECRETS) expect(log).not.toContain(secret);
    // Later requests use the new token without another refresh.
    await pinterest.listAdSets(await pinterest.getAccount(JP_ACCOUNT));
    expect(fake.requests.filter((r) => r.path === '/v5/oauth/token').length).toBe(1);
  });

  it('refreshes before the first request when the token expires within a day', async () => {
    const credentials = { accessToken: TOKEN, ...OAUTH, expiresAt: '2026-11-03T01:00:00Z' };
    const { pinterest, fake, saved } = await setup({ oauth: true, credentials });
    await pinterest.getAccount(US_ACCOUNT);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v5/oauth/token', `/v5/ad_accounts/${US_ACCOUNT}`]);
    expect(saved.map((c) => c.accessToken)).toEqual(['pina_fake_1']);
  });

  it('a refused refresh token is an AuthError without any secret', async () => {
    const credentials = { accessToken: TOKEN, ...OAUTH, refreshToken: 'pinr_stale-secret' };
    const { pinterest, saved } = await setup({ oauth: true, accessTokenExpired: true, credentials });
    const error = await pinterest.getAccount(US_ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(400);
    expect(saved).toEqual([]);
    expectNoSecret(error);
    expect(JSON.stringify({ m: (error as Error).message })).not.toContain('pinr_stale-secret');
  });

  it('a corrupt analytics answer that stays corrupt is a MalformedResponseError naming the field', async () => {
    const { pinterest } = await setup({
      fault: (r) =>
        r.path.endsWith('/analytics')
          ? { kind: 'malformed', corrupt: { field: 'SPEND_IN_MICRO_DOLLAR', index: 2, value: 12.5 } }
          : undefined,
      connector: { maxAttempts: 2 },
    });
    const account = await pinterest.getAccount(US_ACCOUNT);
    const error = await pinterest.fetchDailyMetrics(account, '2026-10-01', '2026-10-10').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('[2].SPEND_IN_MICRO_DOLLAR');
  });

  it('writes a USD ad group budget rounded down to cents through a throttle, and reads it back', async () => {
    const { pinterest, market, fake } = await setup({ fault: onlyAt([1], 'throttle', (r) => r.method === 'PATCH') });
    const account = await pinterest.getAccount(US_ACCOUNT);
    const adset = (await pinterest.listAdSets(account)).find((a) => a.adsetId === '2680060704746');
    if (!adset) throw new Error('fixture changed');
    expect(await pinterest.setDailyBudget(adset, 150_456_789)).toEqual({ appliedMicros: 150_450_000, readBackMicros: 150_450_000 });
    expect(fake.requests.filter((r) => r.method === 'PATCH').map((r) => [r.status, r.body])).toEqual([
      [429, [{ id: '2680060704746', budget_in_micro_currency: 150_450_000 }]],
      [200, [{ id: '2680060704746', budget_in_micro_currency: 150_450_000 }]],
    ]);
    expect(market.budgetOn('2680060704746', '2026-11-03')).toBe(150_450_000);
    expect(market.budgetOn('2680060704746', '2026-11-01')).toBe(120 * U);
    expect(await pinterest.getDailyBudget(adset)).toBe(150_450_000);
  });

  it('writes a JPY budget in whole yen', async () => {
    const { pinterest, market } = await setup();
    const account = await pinterest.getAccount(JP_ACCOUNT);
    const [adset] = await pinterest.listAdSets(account);
    if (!adset) throw new Error('fixture changed');
    expect(await pinterest.setDailyBudget(adset, 18_000_999_999)).toEqual({ appliedMicros: 18_000 * U, readBackMicros: 18_000 * U });
    expect(market.adset(adset.adsetId).dailyBudgetMicros).toBe(18_000 * U);
  });

  it('writes a CBO campaign cap with PATCH campaigns; the market splits it over its ad groups', async () => {
    const { pinterest, market, fake } = await setup();
    const account = await pinterest.getAccount(US_ACCOUNT);
    const cbo = (await pinterest.listAdSets(account)).find((a) => a.adsetId === CBO_GROUPS[1]);
    if (!cbo) throw new Error('fixture changed');
    expect(await pinterest.setDailyBudget(cbo, 130 * U + 9)).toEqual({ appliedMicros: 130 * U, readBackMicros: 130 * U });
    expect(fake.requests.filter((r) => r.method === 'PATCH').map((r) => [r.path, r.body])).toEqual([
      [`/v5/ad_accounts/${US_ACCOUNT}/campaigns`, [{ id: CBO_CAMPAIGN, ad_account_id: US_ACCOUNT, daily_spend_cap: 130 * U }]],
    ]);
    expect(CBO_GROUPS.map((id) => market.adset(id).dailyBudgetMicros)).toEqual([78 * U, 52 * U]);
  });

  it('writes a batch: each refused item fails alone, the others are written and read back', async () => {
    const { pinterest, market, fake } = await setup();
    const account = await pinterest.getAccount(US_ACCOUNT);
    const adsets = await pinterest.listAdSets(account);
    const pick = (id: string) => {
      const found = adsets.find((a) => a.adsetId === id);
      if (!found) throw new Error('fixture changed');
      return found;
    };
    const ghost: AdSet = { ...pick('2680060704746'), adsetId: '2680060709999' };
    const outcomes = await pinterest.setDailyBudgets(US_ACCOUNT, [
      { adset: pick('2680060704746'), dailyBudgetMicros: 100 * U },
      { adset: ghost, dailyBudgetMicros: 50 * U },
      { adset: pick('2680060704748'), dailyBudgetMicros: -1 },
      { adset: pick(CBO_GROUPS[0]), dailyBudgetMicros: 90 * U },
      { adset: pick('2680060704747'), dailyBudgetMicros: 70_129_999 },
    ]);
    expect(outcomes.map((o) => (o.ok ? { id: o.adsetId, write: o.write } : { id: o.adsetId, error: o.error.name }))).toEqual([
      { id: '2680060704746', write: { appliedMicros: 100 * U, readBackMicros: 100 * U } },
      { id: '2680060709999', error: 'PlatformRequestError' },
      { id: '2680060704748', error: 'PlatformRequestError' },
      { id: CBO_GROUPS[0], write: { appliedMicros: 90 * U, readBackMicros: 90 * U } },
      { id: '2680060704747', write: { appliedMicros: 70_120_000, readBackMicros: 70_120_000 } },
    ]);
    expect(fake.requests.filter((r) => r.method === 'PATCH').length).toBe(2);
    expect(market.adset('2680060704747').dailyBudgetMicros).toBe(70_120_000);
  });

  it('validateOnly sends no PATCH and reads the current budget back; a non-Pinterest ad set is refused', async () => {
    const { pinterest, fake } = await setup();
    const account = await pinterest.getAccount(US_ACCOUNT);
    const [adset] = await pinterest.listAdSets(account);
    if (!adset) throw new Error('fixture changed');
    expect(await pinterest.setDailyBudget(adset, 50 * U, { validateOnly: true })).toEqual({
      appliedMicros: 50 * U,
      readBackMicros: 120 * U,
    });
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    await expect(pinterest.setDailyBudget({ ...adset, platform: 'meta' }, 50 * U)).rejects.toBeInstanceOf(PlatformRequestError);
  });
});

describe('Pinterest connector against the fake: status writes', () => {
  it('pauses then re-activates an ad group with a PATCH status item, read back; each applies from the next day', async () => {
    const { pinterest, market, fake } = await setup();
    const account = await pinterest.getAccount(US_ACCOUNT);
    const adset = (await pinterest.listAdSets(account)).find((a) => a.adsetId === '2680060704746');
    if (!adset) throw new Error('fixture changed');
    expect(await pinterest.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([market.statusOn('2680060704746', '2026-11-02'), market.statusOn('2680060704746', '2026-11-03')]).toEqual(['ACTIVE', 'PAUSED']);
    expect((await pinterest.listAdSets(account)).find((a) => a.adsetId === '2680060704746')?.status).toBe('PAUSED');
    expect(await pinterest.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(await pinterest.setStatus(adset, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(market.statusOn('2680060704746', '2026-11-03')).toBe('ACTIVE');
    expect(fake.requests.filter((r) => r.method === 'PATCH').map((r) => [r.path, r.body, r.status])).toEqual([
      [`/v5/ad_accounts/${US_ACCOUNT}/ad_groups`, [{ id: '2680060704746', status: 'PAUSED' }], 200],
      [`/v5/ad_accounts/${US_ACCOUNT}/ad_groups`, [{ id: '2680060704746', status: 'PAUSED' }], 200],
      [`/v5/ad_accounts/${US_ACCOUNT}/ad_groups`, [{ id: '2680060704746', status: 'ACTIVE' }], 200],
    ]);
    expect(market.adset('2680060704746').dailyBudgetMicros).toBe(120 * U);
  });

  it('re-activates the paused ad group of a campaign with nothing else running, and a CBO ad group', async () => {
    const { pinterest, market } = await setup();
    expect(await pinterest.setStatus(market.adset('2680060704748'), 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(await pinterest.setStatus(market.adset(CBO_GROUPS[0]), 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([market.statusOn('2680060704748', '2026-11-03'), market.statusOn(CBO_GROUPS[0], '2026-11-03')]).toEqual(['ACTIVE', 'PAUSED']);
  });

  it('a 429, a 500 and a 503 on the status PATCH are retried: the write lands once', async () => {
    for (const [fault, status] of [
      [{ kind: 'throttle', minutes: 0.1 }, 429],
      [{ kind: 'server-error' }, 500],
      [{ kind: 'server-error', status: 503 }, 503],
    ] as const) {
      const { pinterest, market, fake, delays } = await setup({ fault: onlyAt([1], fault, (r) => r.method === 'PATCH') });
      expect(await pinterest.setStatus(market.adset('2680060704747'), 'PAUSED')).toEqual({ readBack: 'PAUSED' });
      expect(fake.requests.filter((r) => r.method === 'PATCH').map((r) => [r.status, r.fault])).toEqual([
        [status, fault.kind],
        [200, undefined],
      ]);
      expect(delays.length).toBe(1);
      expect(market.statusOn('2680060704747', '2026-11-03')).toBe('PAUSED');
    }
  });

  it('an archived ad group is refused by the fake in exceptions: a PlatformRequestError, not retried, nothing changed', async () => {
    const { pinterest, market, fake } = await setup();
    market.setStatus('2680060704747', 'ARCHIVED');
    const error = await pinterest.setStatus(market.adset('2680060704747'), 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as PlatformRequestError).code).toBe(1);
    expect(fake.requests.filter((r) => r.method === 'PATCH').length).toBe(1);
    expect(market.adset('2680060704747').status).toBe('ARCHIVED');
    expectNoSecret(error);
  });

  it('an expired token on the status PATCH is an AuthError without any secret; nothing is written', async () => {
    const { pinterest, market } = await setup({ fault: onlyAt([1], 'expired-token', (r) => r.method === 'PATCH') });
    const error = await pinterest.setStatus(market.adset('2680060704746'), 'PAUSED').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expectNoSecret(error);
    expect(market.statusOn('2680060704746', '2026-11-03')).toBe('ACTIVE');
  });
});
