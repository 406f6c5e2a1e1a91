/**
 * The Google Ads connector against the fake Google Ads API over loopback: what it reads equals the market
 * simulator's truth exactly, through throttles, 5xx, proxy pages, cut and corrupt bodies and timeouts; budget
 * writes land, are read back, and leave shared budgets and validate-only calls without effect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AdSet } from '../../../lib/model/ads.ts';
import { addDays } from '../../../lib/model/dates.ts';
import { AuthError, type MalformedResponseError, PlatformRequestError, RateLimitedError } from '../../../lib/platforms/errors.ts';
import { createGoogleAdsConnector, type GoogleAdsConnectorOptions } from '../../../lib/platforms/google-ads/connector.ts';
import type { PlatformConnector } from '../../../lib/platforms/port.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { FaultHook, FaultResponse } from '../../../lib/sim/faults.ts';
import {
  everyNth,
  type FakeGoogleAdsOptions,
  type FakeGoogleAdsServer,
  onlyAt,
  startFakeGoogleAds,
} from '../../../lib/sim/google-ads/server.ts';
import type { MarketSimulator } from '../../../lib/sim/market.ts';
import {
  googleMarket,
  JP_CUSTOMER,
  MANAGER_CUSTOMER,
  SHARED_BUDGETS,
  SHARED_CAMPAIGNS,
  US_CUSTOMER,
} from '../../fixtures/google-ads/market.ts';

const TOKEN = 'ya29.integration-secret';
const DEV_TOKEN = 'dev-integration-secret';
const USD = 1_000_000;

const servers: FakeGoogleAdsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Setup {
  readonly market: MarketSimulator;
  readonly clock: ManualClock;
  readonly fake: FakeGoogleAdsServer;
  readonly google: PlatformConnector;
  readonly delays: number[];
}

async function setup(
  fakeOptions: Partial<FakeGoogleAdsOptions> = {},
  connectorOptions: Partial<GoogleAdsConnectorOptions> = {},
  market?: { clock: ManualClock; market: MarketSimulator },
): Promise<Setup> {
  const clock = market?.clock ?? new ManualClock('2026-11-02T07:00:00Z');
  const sim = market?.market ?? googleMarket(clock);
  const fake = await startFakeGoogleAds({
    market: sim,
    accessToken: TOKEN,
    developerToken: DEV_TOKEN,
    sharedBudgets: SHARED_BUDGETS,
    ...fakeOptions,
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
    ...connectorOptions,
  });
  return { market: sim, clock, fake, google, delays };
}

/** The market's campaigns as the connector must report them: shared budgets are not writable (null). */
function expectedAdSets(market: MarketSimulator, customerId: string): AdSet[] {
  return market
    .adsets(customerId)
    .map((a) => ((SHARED_CAMPAIGNS as readonly string[]).includes(a.adsetId) ? { ...a, dailyBudgetMicros: null } : a));
}

async function expectTruth({ market, google }: Setup, customerId: string, days = 60): Promise<number> {
  const account = await google.getAccount(customerId);
  expect(account).toEqual(market.account(customerId));
  expect(await google.listAdSets(account)).toEqual(expectedAdSets(market, customerId));
  const today = market.today(customerId);
  const rows = await google.fetchDailyMetrics(account, addDays(today, -days), today);
  const truth = market.reportedResults(customerId, addDays(today, -days), today);
  expect(rows).toEqual(truth);
  return rows.length;
}

describe('Google Ads connector ⇄ fake over loopback', () => {
  it('reads customers, campaigns and 60 days of metrics equal to the simulator (USD behind UTC, JPY ahead)', async () => {
    const s = await setup({ rowsPerBatch: 25 });
    expect(await expectTruth(s, US_CUSTOMER)).toBeGreaterThan(200);
    expect(await expectTruth(s, JP_CUSTOMER)).toBeGreaterThan(100);
    // Los Angeles is still on 2026-11-01 while Tokyo is on 2026-11-02: each account's "today" is not reported.
    expect([s.market.today(US_CUSTOMER), s.market.today(JP_CUSTOMER)]).toEqual(['2026-11-01', '2026-11-02']);
    expect(s.fake.requests.every((r) => r.status === 200 && r.developerTokenSent)).toBe(true);
    expect(JSON.stringify(s.fake.requests)).not.toContain('secret');
  });

  it('with a fault on every 3rd request (throttle, 500, 503, 502 page, cut body, corrupt field, timeout) the reads still equal the truth', async () => {
    const faults: FaultResponse[] = [
      { kind: 'throttle', minutes: 1 },
      { kind: 'server-error', status: 500 },
      { kind: 'malformed' },
      { kind: 'server-error', status: 503 },
      { kind: 'malformed', corrupt: { field: 'metrics.costMicros', value: 12.5 } },
      { kind: 'server-error', status: 502 },
      { kind: 'timeout', ms: 2_000 },
    ];
    let seen = 0;
    const fault: FaultHook = () => {
      seen += 1;
      return seen % 3 === 0 ? faults[(seen / 3 - 1) % faults.length] : undefined;
    };
    const s = await setup({ fault, rowsPerBatch: 40 }, { timeoutMs: 300, maxAttempts: 5 });
    for (let round = 0; round < 3; round++) {
      await expectTruth(s, US_CUSTOMER, 30);
      await expectTruth(s, JP_CUSTOMER, 30);
    }
    const injected = s.fake.requests.filter((r) => r.fault).map((r) => r.fault);
    expect(new Set(injected)).toEqual(new Set(['throttle', 'server-error', 'malformed', 'timeout']));
    // The throttle's retryDelay (60s) was honoured, not the 1 s backoff.
    expect(s.delays).toContain(60_000);
  });

  it('the fake’s malformed bodies reach the connector as MalformedResponseError naming the field', async () => {
    const metrics = (r: { query: Record<string, string> }) => (r.query.query ?? '').includes('segments.date');
    const corrupt = await setup(
      { fault: onlyAt([1], { kind: 'malformed', corrupt: { field: 'metrics.costMicros', index: 2, value: 12.5 } }, metrics) },
      { maxAttempts: 1 },
    );
    const account = await corrupt.google.getAccount(US_CUSTOMER);
    const e1 = await corrupt.google.fetchDailyMetrics(account, '2026-10-01', '2026-10-10').catch((e: unknown) => e);
    expect([(e1 as Error).name, (e1 as MalformedResponseError).field]).toEqual([
      'MalformedResponseError',
      '[0].results[2].metrics.costMicros',
    ]);
    const cut = await setup({ fault: onlyAt([1], 'malformed', metrics) }, { maxAttempts: 1 });
    const e2 = await cut.google.fetchDailyMetrics(account, '2026-10-01', '2026-10-10').catch((e: unknown) => e);
    expect([(e2 as Error).name, (e2 as MalformedResponseError).field]).toEqual(['MalformedResponseError', '(body)']);
  });

  it('a daily-quota throttle is handed to the caller at once with its retry time', async () => {
    const s = await setup({ fault: () => ({ kind: 'throttle', minutes: 600 }) });
    const error = await s.google.getAccount(US_CUSTOMER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(36_000_000);
    expect([s.fake.requests.length, s.delays]).toEqual([1, []]);
  });

  it('follows late conversions: a re-read after the conversions arrive equals the new truth', async () => {
    const clock = new ManualClock('2026-11-02T07:00:00Z');
    const market = googleMarket(clock, { maturity: (age) => (age < 3 ? 0.5 : 1) });
    const s = await setup({}, {}, { clock, market });
    const account = await s.google.getAccount(US_CUSTOMER);
    const day = addDays(market.today(US_CUSTOMER), -1);
    const before = await s.google.fetchDailyMetrics(account, day, day);
    expect(before).toEqual(market.reportedResults(US_CUSTOMER, day, day));
    clock.advance(3 * 86_400_000);
    const after = await s.google.fetchDailyMetrics(account, day, day);
    expect(after).toEqual(market.reportedResults(US_CUSTOMER, day, day));
    const total = (rows: typeof before) => rows.reduce((n, r) => n + r.conversions, 0);
    expect(total(after)).toBeGreaterThan(total(before));
  });

  it('goes through the manager named in login-customer-id', async () => {
    const without = await setup({ loginCustomerId: MANAGER_CUSTOMER });
    expect(await without.google.getAccount(US_CUSTOMER).catch((e: unknown) => e)).toBeInstanceOf(AuthError);
    expect(without.fake.requests).toHaveLength(1);
    const through = await setup({ loginCustomerId: MANAGER_CUSTOMER }, { loginCustomerId: '111-222-3334' });
    await expectTruth(through, US_CUSTOMER, 7);
    expect(new Set(through.fake.requests.map((r) => r.loginCustomerId))).toEqual(new Set([MANAGER_CUSTOMER]));
  });

  it('an expired token is an AuthError that names no token', async () => {
    const s = await setup({ fault: () => ({ kind: 'expired-token' }) });
    const error = await s.google.getAccount(US_CUSTOMER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const text = `${String(error)} ${(error as Error).stack ?? ''} ${JSON.stringify(error)}`;
    expect(text).not.toContain('secret');
  });
});

describe('Google Ads budget writes ⇄ fake', () => {
  const campaign = async (s: Setup, customerId: string, id: string): Promise<AdSet> => {
    const adsets = await s.google.listAdSets(await s.google.getAccount(customerId));
    const found = adsets.find((a) => a.adsetId === id);
    if (!found) throw new Error(`no campaign ${id}`);
    return found;
  };

  it('writes a budget rounded down to the billable unit, reads it back, and it applies from the next local day', async () => {
    const s = await setup({ fault: onlyAt([1], 'throttle', (r) => r.path.endsWith('campaignBudgets:mutate')) });
    const generic = await campaign(s, US_CUSTOMER, '111000002');
    expect(await s.google.setDailyBudget(generic, 212_345_678)).toEqual({ appliedMicros: 212_340_000, readBackMicros: 212_340_000 });
    const today = s.market.today(US_CUSTOMER);
    expect([s.market.budgetOn('111000002', today), s.market.budgetOn('111000002', addDays(today, 1))]).toEqual([300 * USD, 212_340_000]);
    expect(await s.google.getDailyBudget(generic)).toBe(212_340_000);
    const mutates = s.fake.requests.filter((r) => r.path.endsWith('campaignBudgets:mutate'));
    expect(mutates.map((r) => [r.status, r.fault])).toEqual([
      [429, 'throttle'],
      [200, undefined],
    ]);
    expect(await s.google.listAdSets(await s.google.getAccount(US_CUSTOMER))).toEqual(expectedAdSets(s.market, US_CUSTOMER));
  });

  it('writes JPY budgets in whole yen', async () => {
    const s = await setup();
    const brand = await campaign(s, JP_CUSTOMER, '222000001');
    expect(await s.google.setDailyBudget(brand, 25_000_999_999)).toEqual({ appliedMicros: 25_000_000_000, readBackMicros: 25_000_000_000 });
    expect(s.market.adset('222000001').dailyBudgetMicros).toBe(25_000_000_000);
  });

  it('validateOnly sends the write for validation and changes nothing', async () => {
    const s = await setup();
    const generic = await campaign(s, US_CUSTOMER, '111000002');
    expect(await s.google.setDailyBudget(generic, 250_000_000, { validateOnly: true })).toEqual({
      appliedMicros: 250_000_000,
      readBackMicros: 300 * USD,
    });
    expect(s.market.adset('111000002').dailyBudgetMicros).toBe(300 * USD);
    const mutate = s.fake.requests.find((r) => r.path.endsWith('campaignBudgets:mutate'));
    expect([mutate?.status, mutate?.body]).toEqual([200, expect.objectContaining({ validateOnly: true })]);
  });

  it('leaves shared budgets alone: nothing is sent, nothing changes', async () => {
    const s = await setup();
    const shared = await campaign(s, US_CUSTOMER, SHARED_CAMPAIGNS[0]);
    expect(shared.dailyBudgetMicros).toBeNull();
    const error = await s.google.setDailyBudget(shared, 500_000_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(await s.google.getDailyBudget(shared)).toBeNull();
    expect(s.fake.requests.some((r) => r.path.endsWith('campaignBudgets:mutate'))).toBe(false);
    expect(SHARED_CAMPAIGNS.map((id) => s.market.adset(id).dailyBudgetMicros)).toEqual([100 * USD, 50 * USD]);
  });

  it('a budget under the minimum is refused by the fake and the market keeps its budget', async () => {
    const s = await setup({ minDailyBudgetMicros: 5 * USD });
    const brand = await campaign(s, US_CUSTOMER, '111000001');
    const error = await s.google.setDailyBudget(brand, 4_990_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toContain('campaignBudgetError.BUDGET_BELOW_PER_DAY_MINIMUM');
    expect(s.market.adset('111000001').dailyBudgetMicros).toBe(150 * USD);
  });
});

describe('Google Ads campaign status ⇄ fake', () => {
  const GENERIC = '111000002';
  const statusMutates = (s: Setup) => s.fake.requests.filter((r) => r.path.endsWith('/campaigns:mutate'));

  it('pauses, then re-activates: each read back, each moving the market from the next local day', async () => {
    const s = await setup();
    const account = await s.google.getAccount(US_CUSTOMER);
    const generic = (await s.google.listAdSets(account)).find((a) => a.adsetId === GENERIC);
    if (!generic) throw new Error('fixture changed');
    const today = s.market.today(US_CUSTOMER);
    const tomorrow = addDays(today, 1);
    expect(await s.google.setStatus(generic, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([s.market.statusOn(GENERIC, today), s.market.statusOn(GENERIC, tomorrow)]).toEqual(['ACTIVE', 'PAUSED']);
    expect((await s.google.listAdSets(account)).find((a) => a.adsetId === GENERIC)?.status).toBe('PAUSED');
    expect(await s.google.setStatus(generic, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(await s.google.setStatus(generic, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect([s.market.statusOn(GENERIC, today), s.market.statusOn(GENERIC, tomorrow)]).toEqual(['ACTIVE', 'ACTIVE']);
    expect(statusMutates(s).map((r) => [r.status, r.body])).toEqual(
      ['PAUSED', 'ENABLED', 'ENABLED'].map((status) => [
        200,
        {
          operations: [{ updateMask: 'status', update: { resourceName: `customers/${US_CUSTOMER}/campaigns/${GENERIC}`, status } }],
          partialFailure: false,
          validateOnly: false,
        },
      ]),
    );
  });

  it.each([
    ['a throttle (429 RESOURCE_EXHAUSTED)', 'throttle', 429],
    ['a 500 INTERNAL', 'server-error', 500],
  ] as const)('retries %s on the mutate; the write happens once', async (_, kind, status) => {
    const s = await setup({ fault: onlyAt([1], kind, (r) => r.path.endsWith('/campaigns:mutate')) });
    expect(await s.google.setStatus(s.market.adset(GENERIC), 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(statusMutates(s).map((r) => [r.status, r.fault])).toEqual([
      [status, kind],
      [200, undefined],
    ]);
    expect(s.delays).toHaveLength(1);
    expect(s.market.statusOn(GENERIC, addDays(s.market.today(US_CUSTOMER), 1))).toBe('PAUSED');
  });

  it('a removed campaign is refused by the fake as a PlatformRequestError, once, and stays removed', async () => {
    const s = await setup();
    s.market.setStatus(GENERIC, 'DELETED');
    const error = await s.google.setStatus(s.market.adset(GENERIC), 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toContain('contextError.OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE');
    expect(statusMutates(s)).toHaveLength(1);
    expect(s.market.statusOn(GENERIC, addDays(s.market.today(US_CUSTOMER), 1))).toBe('DELETED');
  });

  it('no token in any error of a status write: refusal, expired token, throttle that does not stop', async () => {
    const errors: unknown[] = [];
    const refused = await setup();
    refused.market.setStatus(GENERIC, 'DELETED');
    errors.push(await refused.google.setStatus(refused.market.adset(GENERIC), 'PAUSED').catch((e: unknown) => e));
    const expired = await setup({ fault: () => ({ kind: 'expired-token' }) });
    errors.push(await expired.google.setStatus(expired.market.adset(GENERIC), 'PAUSED').catch((e: unknown) => e));
    const throttled = await setup({ fault: everyNth(1, 'throttle') }, { maxAttempts: 2 });
    errors.push(await throttled.google.setStatus(throttled.market.adset(GENERIC), 'PAUSED').catch((e: unknown) => e));
    expect(errors.map((e) => (e as Error).name)).toEqual(['PlatformRequestError', 'AuthError', 'RateLimitedError']);
    for (const error of errors) {
      const text = JSON.stringify({ m: (error as Error).message, s: (error as Error).stack, c: String((error as Error).cause) });
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(DEV_TOKEN);
    }
  });
});
