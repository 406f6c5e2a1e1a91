import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/model/dates.ts';
import { AuthError, MalformedResponseError, PlatformRequestError, RateLimitedError } from '../../../lib/platforms/errors.ts';
import { createMetaConnector, type MetaConnectorOptions } from '../../../lib/platforms/meta/connector.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { everyNth, type FaultHook, type FaultRequest, onlyAt } from '../../../lib/sim/faults.ts';
import { type MarketSimulator, sampleMarket } from '../../../lib/sim/market.ts';
import { type FakeMetaServer, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import { fakeMetaConnector } from '../fake-meta.ts';

const TOKEN = 'EAAB-integration-secret';
const BROAD = '23850000000001';
const EUR = 1_000_000;
const insights = (r: FaultRequest) => r.path.endsWith('/insights');

const servers: FakeMetaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Setup {
  readonly clock: ManualClock;
  readonly market: MarketSimulator;
  readonly fake: FakeMetaServer;
  readonly meta: ReturnType<typeof createMetaConnector>;
  readonly delays: number[];
}

async function setup(options: { fault?: FaultHook; pageSize?: number; connector?: Partial<MetaConnectorOptions> } = {}): Promise<Setup> {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = sampleMarket(42, clock, { startDate: '2026-09-01' });
  const fake = await startFakeMeta({
    market,
    accessToken: TOKEN,
    pageSize: options.pageSize ?? 5,
    ...(options.fault ? { fault: options.fault } : {}),
  });
  servers.push(fake);
  const delays: number[] = [];
  const meta = fakeMetaConnector(fake.baseUrl, TOKEN, {
    pageSize: 50,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    ...options.connector,
  });
  return { clock, market, fake, meta, delays };
}

describe('Meta connector against the fake Graph API', () => {
  it('reads the account and every ad set as the simulator holds them', async () => {
    const { meta, market } = await setup({ pageSize: 4 });
    const account = await meta.getAccount(SAMPLE_ACCOUNT_ID);
    expect(account).toEqual(market.account(SAMPLE_ACCOUNT_ID));
    expect(await meta.listAdSets(account)).toEqual(market.adsets(SAMPLE_ACCOUNT_ID));
  });

  it('reads 28 days of insights over many small pages, equal to the simulator’s truth exactly', async () => {
    const { meta, market, fake } = await setup();
    const account = await meta.getAccount(SAMPLE_ACCOUNT_ID);
    const rows = await meta.fetchDailyMetrics(account, '2026-10-05', '2026-11-01');
    const truth = market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-05', '2026-11-01');
    expect(truth).toHaveLength(28 * 6);
    expect(rows).toEqual(truth);
    expect(fake.requests.filter((r) => r.path.endsWith('/insights'))).toHaveLength(Math.ceil((28 * 6) / 5));
    expect(JSON.stringify(fake.requests)).not.toContain(TOKEN);
  });

  it('accepts a range ending today (nothing reported for today) and refuses one ending tomorrow', async () => {
    const { meta, market, fake } = await setup();
    const account = market.account(SAMPLE_ACCOUNT_ID);
    expect(await meta.fetchDailyMetrics(account, '2026-10-31', '2026-11-02')).toEqual(
      market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-31', '2026-11-01'),
    );
    const before = fake.requests.length;
    await expect(meta.fetchDailyMetrics(account, '2026-10-31', '2026-11-03')).rejects.toMatchObject({
      name: 'PlatformRequestError',
      code: 100,
      status: 400,
    });
    expect(fake.requests.length - before).toBe(1);
  });

  it('writes a budget rounded down to cents, reads it back, and the market applies it from tomorrow', async () => {
    const { meta, market, fake } = await setup();
    const adset = market.adset(BROAD);
    expect(await meta.setDailyBudget(adset, 456_789_999)).toEqual({ appliedMicros: 456_780_000, readBackMicros: 456_780_000 });
    expect(await meta.getDailyBudget(adset)).toBe(456_780_000);
    expect([market.budgetOn(BROAD, '2026-11-02'), market.budgetOn(BROAD, '2026-11-03')]).toEqual([400 * EUR, 456_780_000]);
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([
      { method: 'POST', path: `/v25.0/${BROAD}`, query: {}, body: { daily_budget: 45678 }, status: 200 },
    ]);
  });

  it('validate_only changes nothing', async () => {
    const { meta, market, fake } = await setup();
    const adset = market.adset(BROAD);
    expect(await meta.setDailyBudget(adset, 999 * EUR, { validateOnly: true })).toEqual({
      appliedMicros: 999 * EUR,
      readBackMicros: 400 * EUR,
    });
    expect([market.adset(BROAD).dailyBudgetMicros, market.budgetOn(BROAD, '2026-11-03')]).toEqual([400 * EUR, 400 * EUR]);
    expect(fake.requests.find((r) => r.method === 'POST')?.body).toEqual({ daily_budget: 99900, execution_options: ['validate_only'] });
  });

  it('surfaces the 5th budget change within an hour as a RateLimitedError without waiting an hour', async () => {
    const { meta, market, clock, delays } = await setup();
    const adset = market.adset(BROAD);
    for (const eur of [410, 420, 430, 440]) await meta.setDailyBudget(adset, eur * EUR);
    const error = await meta.setDailyBudget(adset, 450 * EUR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 17, status: 400, retryAfterMs: 3_600_000, endpoint: `POST /v25.0/${BROAD}` });
    expect(delays).toEqual([]);
    expect(market.adset(BROAD).dailyBudgetMicros).toBe(440 * EUR);
    clock.advance(3_600_001);
    expect(await meta.setDailyBudget(adset, 450 * EUR)).toEqual({ appliedMicros: 450 * EUR, readBackMicros: 450 * EUR });
  });

  it('refuses a wrong token as AuthError, once', async () => {
    const { fake, market } = await setup();
    const meta = createMetaConnector({
      baseUrl: fake.baseUrl,
      apiVersion: 'v25.0',
      accessToken: 'wrong',
      purchaseActionType: 'omni_purchase',
      sleep: async () => {},
    });
    await expect(meta.getAccount(SAMPLE_ACCOUNT_ID)).rejects.toBeInstanceOf(AuthError);
    await expect(meta.listAdSets(market.account(SAMPLE_ACCOUNT_ID))).rejects.toMatchObject({ code: 190 });
    expect(fake.requests).toHaveLength(2);
  });
});

describe('Meta connector retries against injected faults', () => {
  const range = ['2026-10-20', '2026-11-01'] as const;
  const truthOf = (market: MarketSimulator) => market.dailyResults(SAMPLE_ACCOUNT_ID, ...range);

  it('gets through throttles (code 80000, 1 minute in the BUC header) on every other insights page', async () => {
    const { meta, market, fake, delays } = await setup({ fault: everyNth(2, 'throttle', insights) });
    expect(await meta.fetchDailyMetrics(market.account(SAMPLE_ACCOUNT_ID), ...range)).toEqual(truthOf(market));
    const throttled = fake.requests.filter((r) => r.fault === 'throttle');
    expect(throttled.length).toBeGreaterThan(3);
    expect(new Set(throttled.map((r) => r.status))).toEqual(new Set([400]));
    expect(delays).toEqual(throttled.map(() => 60_000));
  });

  it('gets through 500 and 502 answers', async () => {
    const first = onlyAt([1], 'server-error', insights);
    const third = onlyAt([3], { kind: 'server-error', status: 502 }, insights);
    const { meta, market, fake, delays } = await setup({ fault: (r) => first(r) ?? third(r) });
    expect(await meta.fetchDailyMetrics(market.account(SAMPLE_ACCOUNT_ID), ...range)).toEqual(truthOf(market));
    expect(fake.requests.filter((r) => r.fault).map((r) => r.status)).toEqual([500, 502]);
    // each is the first retry of its page: 1 s base, jitter at 0.5 gives 750 ms
    expect(delays).toEqual([750, 750]);
  });

  it('gets through a truncated page and a page with a corrupt field', async () => {
    const truncated = onlyAt([2], 'malformed', insights);
    const corrupt = onlyAt([4], { kind: 'malformed', corrupt: { field: 'spend', index: 2, value: 53.4 } }, insights);
    const { meta, market, fake } = await setup({ fault: (r) => truncated(r) ?? corrupt(r) });
    expect(await meta.fetchDailyMetrics(market.account(SAMPLE_ACCOUNT_ID), ...range)).toEqual(truthOf(market));
    expect(fake.requests.filter((r) => r.fault === 'malformed')).toHaveLength(2);
  });

  it('names the corrupt field when retries run out', async () => {
    const { meta, market } = await setup({
      fault: everyNth(1, { kind: 'malformed', corrupt: { field: 'spend', index: 2, value: 53.4 } }, insights),
      connector: { maxAttempts: 2 },
    });
    const error = await meta.fetchDailyMetrics(market.account(SAMPLE_ACCOUNT_ID), ...range).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ field: 'data[2].spend', endpoint: 'GET /v25.0/act_1000000001/insights' });
  });

  it('times out a hung request and retries it', async () => {
    const { meta, market, fake } = await setup({
      fault: onlyAt([2], { kind: 'timeout', ms: 10_000 }, insights),
      connector: { timeoutMs: 300 },
    });
    expect(await meta.fetchDailyMetrics(market.account(SAMPLE_ACCOUNT_ID), ...range)).toEqual(truthOf(market));
    const hung = fake.requests.filter((r) => r.fault === 'timeout');
    expect(hung.map((r) => r.status)).toEqual([null]);
  });

  it('does not retry an expired token', async () => {
    const { meta, market, fake } = await setup({ fault: everyNth(1, 'expired-token') });
    await expect(meta.fetchDailyMetrics(market.account(SAMPLE_ACCOUNT_ID), ...range)).rejects.toMatchObject({
      name: 'AuthError',
      code: 190,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('a budget write survives a throttle on the POST', async () => {
    const { meta, market } = await setup({ fault: onlyAt([1], 'throttle', (r) => r.method === 'POST') });
    expect(await meta.setDailyBudget(market.adset(BROAD), 420 * EUR)).toEqual({ appliedMicros: 420 * EUR, readBackMicros: 420 * EUR });
  });

  it('refuses a campaign-level write on a campaign that does not hold the budget, as Meta does (no retry)', async () => {
    const { meta, market, fake } = await setup();
    await expect(meta.setDailyBudget({ ...market.adset(BROAD), budgetLevel: 'campaign' }, 420 * EUR)).rejects.toMatchObject({
      name: 'PlatformRequestError',
      code: 100,
      endpoint: `POST /v25.0/${market.adset(BROAD).campaignId}`,
    });
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('Meta status writes against the fake Graph API', () => {
  const posts = (fake: FakeMetaServer) => fake.requests.filter((r) => r.method === 'POST');

  it('pauses, then re-activates: each read back, each moving the market from tomorrow', async () => {
    const { meta, market, fake } = await setup();
    const account = await meta.getAccount(SAMPLE_ACCOUNT_ID);
    const adset = (await meta.listAdSets(account)).find((a) => a.adsetId === BROAD);
    if (!adset) throw new Error('sample market changed');
    const today = market.today(SAMPLE_ACCOUNT_ID);
    const tomorrow = addDays(today, 1);
    expect(await meta.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([market.statusOn(BROAD, today), market.statusOn(BROAD, tomorrow)]).toEqual(['ACTIVE', 'PAUSED']);
    expect((await meta.listAdSets(account)).find((a) => a.adsetId === BROAD)?.status).toBe('PAUSED');
    expect(await meta.setStatus(adset, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(await meta.setStatus(adset, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect([market.statusOn(BROAD, today), market.statusOn(BROAD, tomorrow)]).toEqual(['ACTIVE', 'ACTIVE']);
    expect(posts(fake).map((r) => [r.path, r.body, r.status])).toEqual(
      ['PAUSED', 'ACTIVE', 'ACTIVE'].map((status) => [`/v25.0/${BROAD}`, { status }, 200]),
    );
  });

  it.each([
    ['a throttle (code 80004)', 'throttle', 400],
    ['a 500 (code 1)', 'server-error', 500],
  ] as const)('retries %s on the POST; the write happens once', async (_, kind, status) => {
    const { meta, market, fake, delays } = await setup({ fault: onlyAt([1], kind, (r) => r.method === 'POST') });
    expect(await meta.setStatus(market.adset(BROAD), 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(posts(fake).map((r) => [r.status, r.fault])).toEqual([
      [status, kind],
      [200, undefined],
    ]);
    expect(delays).toHaveLength(1);
    expect(market.statusOn(BROAD, addDays(market.today(SAMPLE_ACCOUNT_ID), 1))).toBe('PAUSED');
  });

  it('an archived ad set is refused as a PlatformRequestError after one POST, and stays archived', async () => {
    const { meta, market, fake } = await setup();
    market.setStatus(BROAD, 'ARCHIVED');
    const error = await meta.setStatus(market.adset(BROAD), 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error).toMatchObject({ code: 100, status: 400, endpoint: `POST /v25.0/${BROAD}` });
    expect(posts(fake)).toHaveLength(1);
    expect(market.statusOn(BROAD, addDays(market.today(SAMPLE_ACCOUNT_ID), 1))).toBe('ARCHIVED');
  });

  it('no token in any error of a status write: refusal, expired token, throttle that does not stop', async () => {
    const errors: unknown[] = [];
    const refused = await setup();
    refused.market.setStatus(BROAD, 'DELETED');
    errors.push(await refused.meta.setStatus(refused.market.adset(BROAD), 'PAUSED').catch((e: unknown) => e));
    const expired = await setup({ fault: everyNth(1, 'expired-token') });
    errors.push(await expired.meta.setStatus(expired.market.adset(BROAD), 'PAUSED').catch((e: unknown) => e));
    const throttled = await setup({ fault: everyNth(1, 'throttle'), connector: { maxAttempts: 2 } });
    errors.push(await throttled.meta.setStatus(throttled.market.adset(BROAD), 'PAUSED').catch((e: unknown) => e));
    expect(errors.map((e) => (e as Error).name)).toEqual(['PlatformRequestError', 'AuthError', 'RateLimitedError']);
    for (const error of errors) {
      const text = JSON.stringify({ m: (error as Error).message, s: (error as Error).stack, c: String((error as Error).cause) });
      expect(text).not.toContain(TOKEN);
    }
  });
});
