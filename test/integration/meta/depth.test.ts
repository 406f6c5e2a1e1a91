/**
 * The Meta connector against the fake Graph API on loopback, for the deeper parts of PLATFORM_APIS.md §1: async report
 * runs (and the split of failed jobs), campaign budgets (CBO), minimum budgets, learning_stage_info, and slowing down
 * on the usage headers before Meta throttles.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../lib/platforms/errors.ts';
import type { MetaConnectorOptions } from '../../../lib/platforms/meta/connector.ts';
import { AsyncReportFailedError, BudgetBelowMinimumError } from '../../../lib/platforms/meta/errors.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { MarketSimulator } from '../../../lib/sim/market.ts';
import type { SimAdSetInput } from '../../../lib/sim/market-config.ts';
import { type FakeMetaOptions, type FakeMetaServer, failRunsLongerThan, startFakeMeta } from '../../../lib/sim/meta/server.ts';
import { fakeMetaConnector } from '../fake-meta.ts';

const TOKEN = 'EAAB-depth-secret';
const EUR = 1_000_000;
const ACCOUNT = 'act_3000000003';
const SOLO = '2386000000001';
const CBO_A = '2386000000002';
const CBO_B = '2386000000003';
const CBO_CAMPAIGN = '2386000000901';

const servers: FakeMetaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const adset = (adsetId: string, campaignId: string, extra: Partial<SimAdSetInput> = {}): SimAdSetInput => ({
  platform: 'meta',
  accountId: ACCOUNT,
  adsetId,
  name: `Ad set ${adsetId}`,
  campaignId,
  campaignName: `Campaign ${campaignId}`,
  dailyBudgetMicros: 100 * EUR,
  curve: { beta: 30, alpha: 1, kappa: 100 },
  averageOrderValueMicros: 80 * EUR,
  cpmMicros: 8 * EUR,
  ctr: 0.01,
  ...extra,
});

/** The market, the fake on loopback and a connector whose sleep records (and, with `advanceClock`, moves the market's clock). */
async function setup(
  fakeOptions: Partial<FakeMetaOptions> = {},
  connector: Partial<MetaConnectorOptions> = {},
  { startDate = '2026-07-01', advanceClock = false } = {},
) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = new MarketSimulator({
    seed: 11,
    clock,
    startDate,
    accounts: [{ platform: 'meta', accountId: ACCOUNT, name: 'Depth', currency: 'EUR', timezone: 'Europe/Paris' }],
    adsets: [
      adset(SOLO, '2386000000900'),
      adset(CBO_A, CBO_CAMPAIGN, { budgetLevel: 'campaign', dailyBudgetMicros: 150 * EUR }),
      adset(CBO_B, CBO_CAMPAIGN, { budgetLevel: 'campaign', dailyBudgetMicros: 50 * EUR }),
    ],
  });
  const fake = await startFakeMeta({ market, accessToken: TOKEN, pageSize: 40, ...fakeOptions });
  servers.push(fake);
  const delays: number[] = [];
  const meta = fakeMetaConnector(fake.baseUrl, TOKEN, {
    pageSize: 100,
    sleep: async (ms) => {
      delays.push(ms);
      if (advanceClock) clock.advance(ms);
    },
    random: () => 0.5,
    ...connector,
  });
  return { clock, market, fake, meta, delays, account: market.account(ACCOUNT) };
}

describe('async report runs against the fake', () => {
  it('reads 120 days through report runs, splitting the jobs the fake fails, equal to the truth exactly', async () => {
    const { meta, market, fake, delays, account } = await setup({ reportRuns: { pollsToFinish: 3, outcome: failRunsLongerThan(40) } });
    const rows = await meta.fetchDailyMetrics(account, '2026-07-04', '2026-10-31');
    const truth = market.dailyResults(ACCOUNT, '2026-07-04', '2026-10-31');
    expect(truth).toHaveLength(120 * 3);
    expect(rows).toEqual(truth);
    const creates = fake.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(String(r.body?.time_range)));
    expect(creates).toEqual([
      { since: '2026-07-04', until: '2026-10-31' }, // 120 days: fails
      { since: '2026-07-04', until: '2026-09-01' }, // 60: fails
      { since: '2026-07-04', until: '2026-08-02' }, // 30
      { since: '2026-08-03', until: '2026-09-01' }, // 30
      { since: '2026-09-02', until: '2026-10-31' }, // 60: fails
      { since: '2026-09-02', until: '2026-10-01' }, // 30
      { since: '2026-10-02', until: '2026-10-31' }, // 30
    ]);
    // 7 jobs × 3 polls, each after the 10 s poll interval (injected sleep: no real wait)
    expect(delays).toEqual(Array.from({ length: 21 }, () => 10_000));
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/v25.0/${ACCOUNT}/insights`)).toBe(false);
  });

  it('ends in AsyncReportFailedError when a day cannot be reported, without the token anywhere', async () => {
    const { meta, account } = await setup({
      reportRuns: { outcome: (job) => (job.since <= '2026-08-15' && job.until >= '2026-08-15' ? 'Job Failed' : 'Job Completed') },
    });
    const error = await meta.fetchDailyMetrics(account, '2026-08-01', '2026-09-30').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AsyncReportFailedError);
    expect(error).toMatchObject({ since: '2026-08-15', until: '2026-08-15', asyncStatus: 'Job Failed', retryable: false });
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(TOKEN);
  });
});

describe('campaign budgets (CBO) against the fake', () => {
  it('lists CBO ad sets with their campaign’s budget and the campaigns’ budgets', async () => {
    const { meta, account } = await setup();
    const adsets = await meta.listAdSets(account);
    expect(adsets.map((a) => [a.adsetId, a.budgetLevel, a.dailyBudgetMicros])).toEqual([
      [SOLO, 'adset', 100 * EUR],
      [CBO_A, 'campaign', 200 * EUR],
      [CBO_B, 'campaign', 200 * EUR],
    ]);
    expect(await meta.listCampaignBudgets(account)).toEqual([
      {
        campaignId: '2386000000900',
        name: 'Campaign 2386000000900',
        status: 'ACTIVE',
        currency: 'EUR',
        budgetLevel: 'adset',
        dailyBudgetMicros: null,
      },
      {
        campaignId: CBO_CAMPAIGN,
        name: `Campaign ${CBO_CAMPAIGN}`,
        status: 'ACTIVE',
        currency: 'EUR',
        budgetLevel: 'campaign',
        dailyBudgetMicros: 200 * EUR,
      },
    ]);
  });

  it('a write on a CBO ad set moves its CAMPAIGN’s budget (split over its ad sets from tomorrow) and reads it back', async () => {
    const { meta, market, fake, account } = await setup();
    const cbo = (await meta.listAdSets(account)).find((a) => a.adsetId === CBO_B);
    if (!cbo) throw new Error('no CBO ad set');
    expect(await meta.setDailyBudget(cbo, 300_009_999)).toEqual({ appliedMicros: 300_000_000, readBackMicros: 300_000_000 });
    expect(await meta.getDailyBudget(cbo)).toBe(300 * EUR);
    expect([market.budgetOn(CBO_A, '2026-11-03'), market.budgetOn(CBO_B, '2026-11-03'), market.budgetOn(CBO_A, '2026-11-02')]).toEqual([
      225 * EUR,
      75 * EUR,
      150 * EUR,
    ]);
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([
      { method: 'POST', path: `/v25.0/${CBO_CAMPAIGN}`, query: {}, body: { daily_budget: 30000 }, status: 200 },
    ]);
  });

  it('the 5th campaign budget change within an hour is a RateLimitedError carrying the wait, after one POST', async () => {
    const { meta, market, fake, delays } = await setup();
    const cbo = { ...market.adset(CBO_A), dailyBudgetMicros: 200 * EUR };
    for (const eur of [210, 220, 230, 240]) await meta.setDailyBudget(cbo, eur * EUR);
    const error = await meta.setDailyBudget(cbo, 250 * EUR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 17, retryAfterMs: 3_600_000, endpoint: `POST /v25.0/${CBO_CAMPAIGN}` });
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(5);
    expect(delays).toEqual([]);
  });

  it('refuses a budget below Meta’s minimum before writing, for ad-set and campaign budgets', async () => {
    const { meta, market, fake } = await setup({ minimumBudgetsMinor: { imp: 500 } });
    for (const target of [market.adset(SOLO), market.adset(CBO_A)]) {
      await expect(meta.setDailyBudget(target, 4_999_999)).rejects.toBeInstanceOf(BudgetBelowMinimumError);
    }
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(await meta.setDailyBudget(market.adset(SOLO), 5 * EUR)).toEqual({ appliedMicros: 5 * EUR, readBackMicros: 5 * EUR });
  });
});

describe('learning phase and usage against the fake', () => {
  it('reports a young ad set as learning, and again after a significant budget change once it had left', async () => {
    // 500 events: no ad set leaves learning by succeeding; after 7 days they are "learning limited" (FAIL), not learning.
    const { meta, account, clock } = await setup({ learning: { events: 500 } }, {}, { startDate: '2026-10-30' });
    expect((await meta.listAdSets(account)).map((a) => a.learning)).toEqual([true, true, true]);
    clock.advance(9 * 86_400_000);
    expect((await meta.listAdSets(account)).map((a) => a.learning)).toEqual([false, false, false]);
    const [solo] = await meta.listAdSets(account);
    if (!solo) throw new Error('no ad set');
    await meta.setDailyBudget(solo, 150 * EUR);
    expect((await meta.listAdSets(account)).map((a) => a.learning)).toEqual([true, false, false]);
  });

  it('pauses on the usage headers so a quota-limited fake never has to throttle a long pull', async () => {
    const { meta, market, fake, delays, account } = await setup(
      { pageSize: 6, usageQuotaPerHour: { ads_insights: 10 } },
      { maxRetryWaitMs: 3_600_000 },
      { advanceClock: true },
    );
    const rows = await meta.fetchDailyMetrics(account, '2026-10-05', '2026-11-01');
    expect(rows).toEqual(market.dailyResults(ACCOUNT, '2026-10-05', '2026-11-01'));
    const insights = fake.requests.filter((r) => r.path.endsWith('/insights'));
    expect(insights).toHaveLength(14);
    expect(insights.every((r) => r.status === 200)).toBe(true);
    // 14 calls against a quota of 10 an hour: the connector waited (at 90%+) instead of being refused
    expect(delays.length).toBeGreaterThan(0);
    expect(delays.every((ms) => ms >= 60_000)).toBe(true);
  });
});
