import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { MarketSimulator } from '../../../../lib/sim/market.ts';
import type { SimAdSetInput } from '../../../../lib/sim/market-config.ts';
import { FakeGraphApi, type FakeGraphApiOptions, type GraphResponse, splitBudget } from '../../../../lib/sim/meta/api.ts';
import { failRunsLongerThan } from '../../../../lib/sim/meta/report-runs.ts';

const TOKEN = 'fake-token';
const EUR = 1_000_000;
const ACCOUNT = 'act_2000000002';

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

/** One EUR account: ad set 1 on its own budget in campaign 900; ad sets 2 and 3 share CBO campaign 901 (budgets 150 + 50). */
function setup(options: Partial<FakeGraphApiOptions> = {}, startDate = '2026-10-01') {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = new MarketSimulator({
    seed: 5,
    clock,
    startDate,
    accounts: [{ platform: 'meta', accountId: ACCOUNT, name: 'Depth', currency: 'EUR', timezone: 'Europe/Paris' }],
    adsets: [
      adset('2385000000001', '2385000000900'),
      adset('2385000000002', '2385000000901', { budgetLevel: 'campaign', dailyBudgetMicros: 150 * EUR }),
      adset('2385000000003', '2385000000901', { budgetLevel: 'campaign', dailyBudgetMicros: 50 * EUR }),
    ],
  });
  const api = new FakeGraphApi({ market, accessToken: TOKEN, ...options });
  let index = 0;
  const call = (method: string, path: string, params: Record<string, unknown> = {}): GraphResponse => {
    const url = new URL(`http://127.0.0.1:1${path}`);
    url.searchParams.set('access_token', TOKEN);
    return api.handle({ method, url, params: { ...Object.fromEntries(url.searchParams), ...params }, index: ++index });
  };
  return { clock, market, api, call };
}

const errorOf = (response: GraphResponse) => (response.payload as { error: Record<string, unknown> }).error;
const dataOf = (response: GraphResponse) => (response.payload as { data: Record<string, unknown>[] }).data;
const insightsParams = (since: string, until: string) => ({
  level: 'adset',
  time_increment: '1',
  time_range: JSON.stringify({ since, until }),
  fields: 'adset_id,spend,impressions',
});

describe('fake Graph API: async report runs', () => {
  it('creates a job, moves it through Not Started → Started → Completed over polls, then serves its rows in pages', () => {
    const { call, market } = setup({ pageSize: 4, reportRuns: { pollsToFinish: 3 } });
    const created = call('POST', `/v25.0/${ACCOUNT}/insights`, insightsParams('2026-10-01', '2026-10-03'));
    const id = (created.payload as { report_run_id: string }).report_run_id;
    expect(id).toMatch(/^\d+$/);
    const early = call('GET', `/v25.0/${id}/insights`);
    expect([early.status, errorOf(early).code]).toEqual([400, 100]);
    const polls = [1, 2, 3, 4].map(() => call('GET', `/v25.0/${id}`, { fields: 'id,async_status,async_percent_completion' }).payload);
    expect(polls).toEqual([
      { id, async_status: 'Job Not Started', async_percent_completion: 0 },
      { id, async_status: 'Job Started', async_percent_completion: 50 },
      { id, async_status: 'Job Completed', async_percent_completion: 100 },
      { id, async_status: 'Job Completed', async_percent_completion: 100 },
    ]);
    const first = call('GET', `/v25.0/${id}/insights`, { limit: '100' });
    const page = first.payload as { data: Record<string, unknown>[]; paging: { next: string } };
    expect(page.data).toHaveLength(4);
    const next = new URL(page.paging.next);
    expect(next.pathname).toBe(`/v25.0/${id}/insights`);
    const rest: Record<string, unknown>[] = [];
    for (let url: URL | undefined = next; url; ) {
      const response = call('GET', `${url.pathname}${url.search}`);
      rest.push(...dataOf(response));
      const n = (response.payload as { paging?: { next?: string } }).paging?.next;
      url = n ? new URL(n) : undefined;
    }
    const truth = market.dailyResults(ACCOUNT, '2026-10-01', '2026-10-03');
    expect([...page.data, ...rest].map((r) => [r.adset_id, r.date_start, r.impressions])).toEqual(
      truth.map((t) => [t.adsetId, t.date, String(t.impressions)]),
    );
  });

  it('validates a job’s params like the sync call', () => {
    const { call } = setup();
    const future = call('POST', `/v25.0/${ACCOUNT}/insights`, insightsParams('2026-10-01', '2026-11-03'));
    expect([future.status, errorOf(future).code]).toEqual([400, 100]);
  });

  it('fails or skips jobs as told, with the error fields of a failed run, and never serves their rows', () => {
    const { call } = setup({ reportRuns: { pollsToFinish: 2, outcome: failRunsLongerThan(7) } });
    const create = (since: string, until: string) =>
      (call('POST', `/v25.0/${ACCOUNT}/insights`, insightsParams(since, until)).payload as { report_run_id: string }).report_run_id;
    const big = create('2026-10-01', '2026-10-08');
    const small = create('2026-10-01', '2026-10-07');
    const poll = (id: string) => call('GET', `/v25.0/${id}`).payload as Record<string, unknown>;
    poll(big);
    poll(small);
    expect(poll(big)).toMatchObject({
      async_status: 'Job Failed',
      error_code: -2,
      error_subcode: 2490547,
      date_start: '2026-10-01',
      date_stop: '2026-10-08',
    });
    expect(poll(small)).toMatchObject({ async_status: 'Job Completed', async_percent_completion: 100 });
    expect(call('GET', `/v25.0/${big}/insights`).status).toBe(400);
    const skipping = setup({ reportRuns: { pollsToFinish: 1, outcome: () => 'Job Skipped' } });
    const id = (
      skipping.call('POST', `/v25.0/${ACCOUNT}/insights`, insightsParams('2026-10-01', '2026-10-01')).payload as {
        report_run_id: string;
      }
    ).report_run_id;
    expect(skipping.call('GET', `/v25.0/${id}`).payload).toMatchObject({ async_status: 'Job Skipped', async_percent_completion: 0 });
  });
});

describe('fake Graph API: campaign budgets (CBO)', () => {
  it('lists campaigns; only the CBO one holds a daily budget (the sum of its ad sets’ shares)', () => {
    const { call } = setup();
    expect(dataOf(call('GET', `/v25.0/${ACCOUNT}/campaigns`, { fields: 'id,name,status,daily_budget,lifetime_budget' }))).toEqual([
      { id: '2385000000900', name: 'Campaign 2385000000900', status: 'ACTIVE' },
      { id: '2385000000901', name: 'Campaign 2385000000901', status: 'ACTIVE', daily_budget: '20000', lifetime_budget: '0' },
    ]);
    expect(call('GET', '/v25.0/2385000000002', { fields: 'id,daily_budget,campaign{daily_budget}' }).payload).toEqual({
      id: '2385000000002',
      campaign: { daily_budget: '20000', id: '2385000000901' },
    });
  });

  it('writes a campaign budget by splitting it over its ad sets in proportion, and reads it back exactly', () => {
    const { call, market } = setup();
    expect(call('POST', '/v25.0/2385000000901', { daily_budget: '30001' }).payload).toEqual({ success: true });
    expect([market.adset('2385000000002').dailyBudgetMicros, market.adset('2385000000003').dailyBudgetMicros]).toEqual([
      225_007_500, 75_002_500,
    ]);
    expect(call('GET', '/v25.0/2385000000901', { fields: 'id,daily_budget' }).payload).toEqual({
      id: '2385000000901',
      daily_budget: '30001',
    });
    expect(market.budgetOn('2385000000002', '2026-11-02')).toBe(150 * EUR);
  });

  it('refuses a campaign budget where the ad sets hold theirs, and an ad-set budget under CBO', () => {
    const { call } = setup();
    const notCbo = call('POST', '/v25.0/2385000000900', { daily_budget: '30000' });
    const underCbo = call('POST', '/v25.0/2385000000002', { daily_budget: '30000' });
    expect([notCbo.status, errorOf(notCbo).code, underCbo.status, errorOf(underCbo).code]).toEqual([400, 100, 400, 100]);
  });

  it('limits a campaign to 4 budget changes per hour with code 17 / 2446079 and a BUC regain time', () => {
    const { call, clock } = setup();
    for (const budget of ['21000', '22000', '23000', '24000'])
      expect(call('POST', '/v25.0/2385000000901', { daily_budget: budget }).status).toBe(200);
    clock.advance(10 * 60_000);
    const fifth = call('POST', '/v25.0/2385000000901', { daily_budget: '25000' });
    expect([fifth.status, errorOf(fifth).code, errorOf(fifth).error_subcode]).toEqual([400, 17, 2446079]);
    const buc = JSON.parse(fifth.headers['x-business-use-case-usage'] ?? '{}') as Record<
      string,
      { estimated_time_to_regain_access: number }[]
    >;
    expect(buc['2000000002']?.[0]?.estimated_time_to_regain_access).toBe(50);
  });

  it('serves minimum_budgets and refuses a write below the minimum of the billing event', () => {
    const { call } = setup({ minimumBudgetsMinor: { imp: 250, low_freq: 4000 } });
    expect(dataOf(call('GET', `/v25.0/${ACCOUNT}/minimum_budgets`))).toEqual([
      {
        currency: 'EUR',
        min_daily_budget_imp: 250,
        min_daily_budget_high_freq: 100,
        min_daily_budget_low_freq: 4000,
        min_daily_budget_video_views: 100,
      },
    ]);
    expect(call('GET', '/v25.0/2385000000001', { fields: 'id,billing_event' }).payload).toEqual({
      id: '2385000000001',
      billing_event: 'IMPRESSIONS',
    });
    const low = call('POST', '/v25.0/2385000000001', { daily_budget: '249' });
    expect([low.status, errorOf(low).code, errorOf(low).error_user_title]).toEqual([400, 100, 'Your Budget Is Too Low']);
    expect(call('POST', '/v25.0/2385000000001', { daily_budget: '250' }).status).toBe(200);
  });
});

describe('fake Graph API: learning_stage_info', () => {
  const info = (call: ReturnType<typeof setup>['call'], id: string) =>
    (call('GET', `/v25.0/${id}`, { fields: 'learning_stage_info' }).payload as { learning_stage_info: Record<string, unknown> })
      .learning_stage_info;

  it('reports SUCCESS (conversions 0) or FAIL after the 7 days from creation, by the events rule', () => {
    const ids = ['2385000000001', '2385000000002', '2385000000003'];
    const firstWeek = setup().market.reportedResults(ACCOUNT, '2026-10-01', '2026-10-07');
    const sum = (id: string) => firstWeek.filter((r) => r.adsetId === id).reduce((s, r) => s + r.conversions, 0);
    // The threshold is the best ad set's count: it succeeds (exactly at the threshold), the others are learning limited.
    const events = Math.max(...ids.map(sum));
    const { call } = setup({ learning: { events } });
    const expected = (id: string) => (sum(id) >= events ? { status: 'SUCCESS', conversions: 0 } : { status: 'FAIL', conversions: sum(id) });
    for (const id of ids) {
      expect(info(call, id)).toEqual({
        ...expected(id),
        last_sig_edit_ts: Date.parse('2026-09-30T22:00:00Z') / 1000,
        attribution_windows: ['7d_click', '1d_view'],
      });
    }
    expect(ids.map((id) => info(call, id)?.status).sort()).toEqual(['FAIL', 'FAIL', 'SUCCESS']);
  });

  it('is LEARNING for a new ad set until its events come in, and a significant budget change restarts it', () => {
    const { call, clock, market } = setup({ learning: { events: 50, significantChangePct: 20 } }, '2026-10-30');
    expect(info(call, '2385000000001')).toMatchObject({ status: 'LEARNING' });
    clock.advance(8 * 86_400_000); // 2026-11-10: the first 7 days are over
    expect(info(call, '2385000000001')?.status).not.toBe('LEARNING');
    call('POST', '/v25.0/2385000000001', { daily_budget: '11000' }); // +10%: not significant
    expect(info(call, '2385000000001')?.status).not.toBe('LEARNING');
    call('POST', '/v25.0/2385000000001', { daily_budget: '15000' }); // +36%: significant
    expect(info(call, '2385000000001')).toEqual({
      status: 'LEARNING',
      conversions: 0,
      last_sig_edit_ts: Math.floor(market.now().getTime() / 1000),
      attribution_windows: ['7d_click', '1d_view'],
    });
  });
});

describe('fake Graph API: usage quotas', () => {
  it('with quotas, refuses the call past the hourly quota with the BUC code and a regain time, without counting it', () => {
    const { call, clock } = setup({ usageQuotaPerHour: { ads_insights: 3 } });
    const get = () => call('GET', `/v25.0/${ACCOUNT}/insights`, insightsParams('2026-10-01', '2026-10-01'));
    const answers = [get(), get(), get()];
    expect(answers.map((a) => JSON.parse(a.headers['x-business-use-case-usage'] ?? '{}')['2000000002'][0].call_count)).toEqual([
      34, 67, 100,
    ]);
    clock.advance(30 * 60_000);
    const refused = get();
    expect([refused.status, errorOf(refused).code, errorOf(refused).error_subcode]).toEqual([400, 80000, 2446079]);
    expect(JSON.parse(refused.headers['x-business-use-case-usage'] ?? '{}')['2000000002'][0].estimated_time_to_regain_access).toBe(30);
    expect(call('GET', `/v25.0/${ACCOUNT}`, { fields: 'currency' }).status).toBe(200);
    clock.advance(30 * 60_000 + 1);
    expect(get().status).toBe(200);
  });
});

describe('splitBudget', () => {
  it('splits exactly, in proportion, for any weights (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000_000_000 }), { minLength: 1, maxLength: 6 }),
        (total, weights) => {
          const shares = splitBudget(total, weights);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          expect(shares.every((s) => Number.isSafeInteger(s) && s >= 0)).toBe(true);
          const sum = weights.reduce((a, b) => a + b, 0);
          shares.slice(0, -1).forEach((s, i) => {
            const exact = sum > 0 ? (total * (weights[i] ?? 0)) / sum : total / weights.length;
            expect(Math.abs(s - exact)).toBeLessThanOrEqual(1 + exact * 1e-12);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
