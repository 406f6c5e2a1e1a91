import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdAccount, AdSet, DailyMetric } from '../../../../lib/model/ads.ts';
import { MalformedResponseError, PlatformRequestError, RateLimitedError } from '../../../../lib/platforms/errors.ts';
import { createMetaConnector, type MetaConnectorOptions } from '../../../../lib/platforms/meta/connector.ts';
import { BudgetBelowMinimumError } from '../../../../lib/platforms/meta/errors.ts';
import { fixture, fixtureFetch, type Route, recordingSleep } from './fixture-fetch.ts';

const TOKEN = 'EAAB-unit-secret';
const EUR_ACCOUNT: AdAccount = {
  platform: 'meta',
  accountId: 'act_1234567890',
  name: 'Acme Outdoor – EU',
  currency: 'EUR',
  timezone: 'Europe/Paris',
};
const JPY_ACCOUNT: AdAccount = {
  platform: 'meta',
  accountId: 'act_9876543210',
  name: 'Acme Japan',
  currency: 'JPY',
  timezone: 'Asia/Tokyo',
};

function connector(routes: readonly Route[], options: Partial<MetaConnectorOptions> = {}) {
  const { fetch, calls } = fixtureFetch(routes);
  const { sleep, delays } = recordingSleep();
  const meta = createMetaConnector({
    apiVersion: 'v25.0',
    accessToken: TOKEN,
    purchaseActionType: 'omni_purchase',
    fetch,
    sleep,
    ...options,
  });
  return { meta, calls, delays };
}

const insightsRoutes: Route[] = [
  { path: '/v25.0/act_1234567890/insights', when: (u) => !u.searchParams.has('after'), reply: { body: fixture('insights-page-1.json') } },
  {
    path: '/v25.0/act_1234567890/insights',
    when: (u) => u.searchParams.get('after') === 'MwZDZD',
    reply: { body: fixture('insights-page-2.json') },
  },
];

function metric(adsetId: string, campaignId: string, date: string, values: Partial<DailyMetric>): DailyMetric {
  return {
    platform: 'meta',
    accountId: 'act_1234567890',
    adsetId,
    campaignId,
    date,
    currency: 'EUR',
    spendMicros: 0,
    revenueMicros: 0,
    impressions: 0,
    clicks: 0,
    conversions: 0,
    ...values,
  };
}

describe('Meta connector on documented payloads', () => {
  it('reads the account with the act_ prefix, currency and IANA time zone', async () => {
    const { meta, calls } = connector([{ path: '/v25.0/act_1234567890', reply: { body: fixture('account.json') } }]);
    expect(await meta.getAccount('1234567890')).toEqual(EUR_ACCOUNT);
    expect(calls.map((c) => Object.fromEntries(c.url.searchParams))).toEqual([
      { fields: 'currency,timezone_name,name,timezone_offset_hours_utc', access_token: TOKEN },
    ]);
  });

  it('lists ad sets over two pages with budgets in micros, CBO and lifetime budgets, and effective status', async () => {
    const { meta, calls } = connector([
      { path: '/v25.0/act_1234567890/adsets', when: (u) => !u.searchParams.has('after'), reply: { body: fixture('adsets-page-1.json') } },
      {
        path: '/v25.0/act_1234567890/adsets',
        when: (u) => u.searchParams.get('after') === 'QVFIUjRmUEZA',
        reply: { body: fixture('adsets-page-2.json') },
      },
    ]);
    const base = { platform: 'meta', accountId: 'act_1234567890', currency: 'EUR', learning: false } as const;
    expect(await meta.listAdSets(EUR_ACCOUNT)).toEqual<AdSet[]>([
      {
        ...base,
        adsetId: '23850000000001',
        campaignId: '23850000000101',
        name: 'US-Broad',
        campaignName: 'Prospecting',
        status: 'ACTIVE',
        dailyBudgetMicros: 20_000_000,
        budgetLevel: 'adset',
      },
      {
        ...base,
        adsetId: '23850000000002',
        campaignId: '23850000000101',
        name: '<b>VIP</b> "Winter" & co 🚀 <script>alert(1)</script>',
        campaignName: 'Prospecting',
        status: 'ACTIVE',
        dailyBudgetMicros: 12_345_670_000,
        budgetLevel: 'adset',
      },
      {
        ...base,
        adsetId: '23850000000003',
        campaignId: '23850000000102',
        name: 'CBO child',
        campaignName: 'Advantage+ Budget',
        status: 'ACTIVE',
        dailyBudgetMicros: null,
        budgetLevel: 'campaign',
      },
      {
        ...base,
        adsetId: '23850000000004',
        campaignId: '23850000000103',
        name: 'Black Friday burst',
        campaignName: 'Seasonal',
        status: 'PAUSED',
        dailyBudgetMicros: null,
        budgetLevel: 'adset',
      },
      {
        ...base,
        adsetId: '23850000000005',
        campaignId: '23850000000101',
        name: 'Old test',
        campaignName: '',
        status: 'PAUSED',
        dailyBudgetMicros: 15_000_000,
        budgetLevel: 'adset',
      },
    ]);
    expect(calls).toHaveLength(2);
  });

  it('asks for learning_stage_info and the campaign budget; LEARNING is learning, CBO ad sets carry their campaign’s budget', async () => {
    const row = (id: string, extra: Record<string, unknown>) => ({
      id,
      name: `ad set ${id}`,
      campaign_id: '102',
      status: 'ACTIVE',
      effective_status: 'ACTIVE',
      ...extra,
    });
    const body = JSON.stringify({
      data: [
        row('1', { daily_budget: '5000', learning_stage_info: { status: 'LEARNING', conversions: 12, last_sig_edit_ts: 1790000000 } }),
        row('2', { daily_budget: '5000', learning_stage_info: { status: 'SUCCESS', conversions: 0, attribution_windows: ['7d_click'] } }),
        row('3', { daily_budget: '5000', learning_stage_info: { status: 'FAIL', conversions: 7 } }),
        row('4', { campaign: { id: '102', name: 'CBO', daily_budget: '75000', lifetime_budget: '0' } }),
        row('5', { campaign: { id: '102', name: 'CBO lifetime', daily_budget: '0', lifetime_budget: '900000' } }),
      ],
    });
    const { meta, calls } = connector([{ path: '/v25.0/act_1234567890/adsets', reply: { body } }]);
    const adsets = await meta.listAdSets(EUR_ACCOUNT);
    expect(adsets.map((a) => [a.adsetId, a.learning, a.budgetLevel, a.dailyBudgetMicros])).toEqual([
      ['1', true, 'adset', 50_000_000],
      ['2', false, 'adset', 50_000_000],
      ['3', false, 'adset', 50_000_000],
      ['4', false, 'campaign', 750_000_000],
      ['5', false, 'campaign', null],
    ]);
    expect(calls[0]?.url.searchParams.get('fields')).toBe(
      'id,name,campaign_id,campaign{name,daily_budget,lifetime_budget},status,effective_status,daily_budget,lifetime_budget,learning_stage_info',
    );
  });

  it('reads daily insights over every page, counting only the configured purchase type', async () => {
    const { meta } = connector(insightsRoutes);
    expect(await meta.fetchDailyMetrics(EUR_ACCOUNT, '2026-10-01', '2026-10-02')).toEqual([
      metric('23850000000001', '23850000000101', '2026-10-01', {
        spendMicros: 5_339_500_000,
        impressions: 361_324,
        clicks: 7346,
        conversions: 42,
        revenueMicros: 3_272_500_000,
      }),
      metric('23850000000002', '23850000000101', '2026-10-01', { spendMicros: 53_400_000, impressions: 4211, clicks: 61 }),
      metric('23850000000001', '23850000000101', '2026-10-02', { spendMicros: 10_000, impressions: 3 }),
      metric('23850000000002', '23850000000101', '2026-10-02', {
        spendMicros: 101_000_000,
        impressions: 9100,
        clicks: 140,
        conversions: 3,
        revenueMicros: 189_900_000,
      }),
      metric('23850000000003', '23850000000102', '2026-10-02', {
        spendMicros: 250_750_000,
        impressions: 20_000,
        clicks: 333,
        conversions: 7,
        revenueMicros: 700_070_000,
      }),
    ]);
  });

  it('uses another purchase type when configured, still without summing types', async () => {
    const { meta } = connector(insightsRoutes, { purchaseActionType: 'offsite_conversion.fb_pixel_purchase' });
    const rows = await meta.fetchDailyMetrics(EUR_ACCOUNT, '2026-10-01', '2026-10-02');
    expect(rows.map((r) => [r.adsetId, r.date, r.conversions, r.revenueMicros])).toEqual([
      ['23850000000001', '2026-10-01', 40, 3_120_100_000],
      ['23850000000002', '2026-10-01', 0, 0],
      ['23850000000001', '2026-10-02', 0, 0],
      ['23850000000002', '2026-10-02', 3, 189_900_000],
      ['23850000000003', '2026-10-02', 0, 0],
    ]);
  });

  it('asks for adset level, one row per day, the range as JSON, and follows paging.next with its own token', async () => {
    const { meta, calls } = connector(insightsRoutes, { pageSize: 500 });
    await meta.fetchDailyMetrics(EUR_ACCOUNT, '2026-10-01', '2026-10-02');
    expect(calls.map((c) => Object.fromEntries(c.url.searchParams))).toEqual([
      {
        level: 'adset',
        time_increment: '1',
        time_range: '{"since":"2026-10-01","until":"2026-10-02"}',
        fields: 'account_currency,campaign_id,adset_id,date_start,date_stop,spend,impressions,clicks,actions,action_values',
        limit: '500',
        access_token: TOKEN,
      },
      // page 1 held 4 rows for limit=500 and still had a next page: fewer rows than asked is not the end
      { level: 'adset', time_increment: '1', limit: '500', access_token: TOKEN, after: 'MwZDZD' },
    ]);
  });

  it('converts JPY (offset 1) spend, revenue and budgets exactly', async () => {
    const { meta } = connector([
      { path: '/v25.0/act_9876543210/insights', reply: { body: fixture('insights-jpy.json') } },
      { path: '/v25.0/act_9876543210/adsets', reply: { body: fixture('adsets-jpy.json') } },
    ]);
    expect(await meta.fetchDailyMetrics(JPY_ACCOUNT, '2026-10-01', '2026-10-01')).toEqual([
      {
        platform: 'meta',
        accountId: 'act_9876543210',
        adsetId: '23851111111111',
        campaignId: '23851111111100',
        date: '2026-10-01',
        currency: 'JPY',
        spendMicros: 5_339_000_000,
        revenueMicros: 48_000_000_000,
        impressions: 12_000,
        clicks: 150,
        conversions: 4,
      },
    ]);
    const [adset] = await meta.listAdSets(JPY_ACCOUNT);
    expect(adset?.dailyBudgetMicros).toBe(3_000_000_000);
  });

  it('names the endpoint and the field path of a malformed page', async () => {
    const { meta } = connector([{ path: '/v25.0/act_1234567890/insights', reply: { body: fixture('insights-malformed.json') } }], {
      maxAttempts: 1,
    });
    const error = await meta.fetchDailyMetrics(EUR_ACCOUNT, '2026-10-01', '2026-10-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ field: 'data[3].spend', endpoint: 'GET /v25.0/act_1234567890/insights', platform: 'meta', status: 200 });
    expect((error as Error).message).toContain('GET /v25.0/act_1234567890/insights');
    expect((error as Error).message).toContain('data[3].spend');
  });

  it('rejects a row in another currency than the account, naming the field', async () => {
    const body = fixture('insights-page-2.json').replace('"EUR"', '"USD"');
    const { meta } = connector([{ path: '/v25.0/act_1234567890/insights', reply: { body } }], { maxAttempts: 1 });
    await expect(meta.fetchDailyMetrics(EUR_ACCOUNT, '2026-10-02', '2026-10-02')).rejects.toMatchObject({
      name: 'MalformedResponseError',
      field: 'data[0].account_currency',
    });
  });

  it('re-bases paging.next onto the configured host, so the token never goes elsewhere', async () => {
    const body = fixture('insights-page-1.json').replace('https:\\/\\/graph.facebook.com', 'https:\\/\\/evil.example');
    const { meta, calls } = connector([
      { path: '/v25.0/act_1234567890/insights', when: (u) => !u.searchParams.has('after'), reply: { body } },
      ...insightsRoutes.slice(1),
    ]);
    expect(await meta.fetchDailyMetrics(EUR_ACCOUNT, '2026-10-01', '2026-10-02')).toHaveLength(5);
    expect(calls.map((c) => [c.url.host, c.url.searchParams.get('after'), c.url.searchParams.get('access_token')])).toEqual([
      ['graph.facebook.com', null, TOKEN],
      ['graph.facebook.com', 'MwZDZD', TOKEN],
    ]);
  });

  it('names paging.next when it is not a Graph URL', async () => {
    const body = fixture('insights-page-1.json').replace(/"next": "[^"]*"/, '"next": "https:\\/\\/graph.facebook.com\\/elsewhere?after=x"');
    const { meta } = connector([{ path: '/v25.0/act_1234567890/insights', reply: { body } }], { maxAttempts: 1 });
    await expect(meta.fetchDailyMetrics(EUR_ACCOUNT, '2026-10-01', '2026-10-02')).rejects.toMatchObject({
      name: 'MalformedResponseError',
      field: 'paging.next',
    });
  });
});

describe('Meta connector budget writes', () => {
  const adset: AdSet = {
    platform: 'meta',
    accountId: 'act_1234567890',
    adsetId: '23850000000001',
    campaignId: '23850000000101',
    name: 'US-Broad',
    campaignName: 'Prospecting',
    status: 'ACTIVE',
    currency: 'EUR',
    dailyBudgetMicros: 20_000_000,
    budgetLevel: 'adset',
    learning: false,
  };
  const cboAdset: AdSet = { ...adset, adsetId: '23850000000003', campaignId: '23850000000102', budgetLevel: 'campaign' };

  /** The reads every write makes first: the ad set's billing event and the account's minimum budgets. */
  const preWriteRoutes = (
    billingEvent = 'IMPRESSIONS',
    minimums: Record<string, number | string> = { imp: 100, high_freq: 500, low_freq: 4000, video_views: 200 },
  ): Route[] => [
    {
      path: `/v25.0/${adset.adsetId}`,
      when: (u) => u.searchParams.get('fields') === 'id,billing_event',
      reply: { body: JSON.stringify({ id: adset.adsetId, billing_event: billingEvent }) },
    },
    {
      path: `/v25.0/${cboAdset.adsetId}`,
      when: (u) => u.searchParams.get('fields') === 'id,billing_event',
      reply: { body: JSON.stringify({ id: cboAdset.adsetId, billing_event: billingEvent }) },
    },
    {
      path: '/v25.0/act_1234567890/minimum_budgets',
      reply: {
        body: JSON.stringify({
          data: [
            {
              currency: 'USD',
              min_daily_budget_imp: 1,
              min_daily_budget_high_freq: 1,
              min_daily_budget_low_freq: 1,
              min_daily_budget_video_views: 1,
            },
            {
              currency: 'EUR',
              min_daily_budget_imp: minimums.imp,
              min_daily_budget_high_freq: minimums.high_freq,
              min_daily_budget_low_freq: minimums.low_freq,
              min_daily_budget_video_views: minimums.video_views,
            },
          ],
        }),
      },
    },
  ];
  const shape = (calls: readonly { method: string; url: URL; body: string | undefined }[]) =>
    calls.map((c) => ({ method: c.method, path: c.url.pathname, query: Object.fromEntries(c.url.searchParams), body: c.body }));

  it('checks the minimum, writes minor units rounded down as a JSON body and reads the budget back', async () => {
    const { meta, calls } = connector([
      ...preWriteRoutes(),
      { method: 'POST', path: '/v25.0/23850000000001', reply: { body: fixture('budget-success.json') } },
      { path: '/v25.0/23850000000001', reply: { body: fixture('adset-budget.json') } },
    ]);
    expect(await meta.setDailyBudget(adset, 123_456_789)).toEqual({ appliedMicros: 123_450_000, readBackMicros: 123_450_000 });
    expect(calls.map((c) => c.contentType)).toEqual([undefined, undefined, 'application/json', undefined]);
    expect(shape(calls)).toEqual([
      { method: 'GET', path: '/v25.0/23850000000001', query: { fields: 'id,billing_event', access_token: TOKEN }, body: undefined },
      { method: 'GET', path: '/v25.0/act_1234567890/minimum_budgets', query: { access_token: TOKEN }, body: undefined },
      { method: 'POST', path: '/v25.0/23850000000001', query: { access_token: TOKEN }, body: '{"daily_budget":12345}' },
      { method: 'GET', path: '/v25.0/23850000000001', query: { fields: 'id,daily_budget', access_token: TOKEN }, body: undefined },
    ]);
  });

  it('asks for the minimum budgets once per account', async () => {
    const { meta, calls } = connector([
      ...preWriteRoutes(),
      { method: 'POST', path: '/v25.0/23850000000001', reply: { body: fixture('budget-success.json') } },
      { path: '/v25.0/23850000000001', reply: { body: fixture('adset-budget.json') } },
    ]);
    await meta.setDailyBudget(adset, 123_456_789);
    await meta.setDailyBudget(adset, 123_456_789);
    expect(calls.filter((c) => c.url.pathname.endsWith('/minimum_budgets'))).toHaveLength(1);
  });

  it('sends execution_options=["validate_only"] for a dry run', async () => {
    const { meta, calls } = connector([
      ...preWriteRoutes(),
      { method: 'POST', path: '/v25.0/23850000000001', reply: { body: fixture('budget-success.json') } },
      { path: '/v25.0/23850000000001', reply: { body: '{"daily_budget":"2000","id":"23850000000001"}' } },
    ]);
    expect(await meta.setDailyBudget(adset, 123_456_789, { validateOnly: true })).toEqual({
      appliedMicros: 123_450_000,
      readBackMicros: 20_000_000,
    });
    expect(calls.find((c) => c.method === 'POST')?.body).toBe('{"daily_budget":12345,"execution_options":["validate_only"]}');
  });

  it.each([
    ['IMPRESSIONS', 100],
    ['LINK_CLICKS', 500],
    ['APP_INSTALLS', 4000],
    ['THRUPLAY', 200],
    ['SOMETHING_NEW', 4000],
  ] as const)('refuses a budget below the %s minimum (%i cents) with a typed error, writing nothing', async (billingEvent, minimum) => {
    const { meta, calls } = connector(preWriteRoutes(billingEvent));
    const below = (minimum - 1) * 10_000 + 9_999; // rounds down to one cent under the minimum
    const error = await meta.setDailyBudget(adset, below).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetBelowMinimumError);
    expect(error).toMatchObject({
      name: 'BudgetBelowMinimumError',
      retryable: false,
      endpoint: 'POST /v25.0/23850000000001',
      requestedMicros: (minimum - 1) * 10_000,
      minimumMicros: minimum * 10_000,
    });
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    // The minimum itself is accepted: the check is "below", not "at".
    const ok = connector([
      ...preWriteRoutes(billingEvent),
      { method: 'POST', path: '/v25.0/23850000000001', reply: { body: '{"success":true}' } },
      { path: '/v25.0/23850000000001', reply: { body: `{"id":"23850000000001","daily_budget":"${minimum}"}` } },
    ]);
    expect(await ok.meta.setDailyBudget(adset, minimum * 10_000)).toEqual({
      appliedMicros: minimum * 10_000,
      readBackMicros: minimum * 10_000,
    });
  });

  it('accepts minimum budgets written as numeric strings (the SDK types them as string)', async () => {
    const { meta } = connector([...preWriteRoutes('IMPRESSIONS', { imp: '300', high_freq: '1', low_freq: '1', video_views: '1' })]);
    await expect(meta.setDailyBudget(adset, 2_990_000)).rejects.toMatchObject({
      name: 'BudgetBelowMinimumError',
      minimumMicros: 3_000_000,
    });
  });

  it('names the account currency missing from minimum_budgets', async () => {
    const { meta } = connector([...preWriteRoutes()], { maxAttempts: 1 });
    await expect(meta.setDailyBudget({ ...adset, currency: 'GBP' }, 50_000_000)).rejects.toMatchObject({
      name: 'MalformedResponseError',
      field: 'data',
      endpoint: 'GET /v25.0/act_1234567890/minimum_budgets',
    });
  });

  it('writes a CBO ad set’s budget on its CAMPAIGN and reads the campaign back', async () => {
    const { meta, calls } = connector([
      ...preWriteRoutes(),
      { method: 'POST', path: '/v25.0/23850000000102', reply: { body: '{"success":true}' } },
      { path: '/v25.0/23850000000102', reply: { body: '{"id":"23850000000102","daily_budget":"75000"}' } },
    ]);
    expect(await meta.setDailyBudget(cboAdset, 750_009_999)).toEqual({ appliedMicros: 750_000_000, readBackMicros: 750_000_000 });
    expect(shape(calls).slice(2)).toEqual([
      { method: 'POST', path: '/v25.0/23850000000102', query: { access_token: TOKEN }, body: '{"daily_budget":75000}' },
      { method: 'GET', path: '/v25.0/23850000000102', query: { fields: 'id,daily_budget', access_token: TOKEN }, body: undefined },
    ]);
  });

  it('reads a CBO ad set’s budget from its campaign, null when the campaign has none', async () => {
    const { meta } = connector([
      { path: '/v25.0/23850000000102', reply: { body: '{"id":"23850000000102","daily_budget":"75000"}' } },
      { path: '/v25.0/23850000000103', reply: { body: '{"id":"23850000000103","daily_budget":"0"}' } },
    ]);
    expect(await meta.getDailyBudget(cboAdset)).toBe(750_000_000);
    expect(await meta.getDailyBudget({ ...cboAdset, campaignId: '23850000000103' })).toBeNull();
  });

  it('maps the 5th budget change in an hour (code 17) to a RateLimitedError of an hour, after one POST', async () => {
    const { meta, calls, delays } = connector([
      ...preWriteRoutes(),
      { method: 'POST', path: '/v25.0/23850000000001', reply: { status: 400, body: fixture('error-budget-change-limit.json') } },
    ]);
    const error = await meta.setDailyBudget(adset, 50_000_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 17, retryAfterMs: 3_600_000, retryable: true, endpoint: 'POST /v25.0/23850000000001' });
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('reads the current budget, or null when the ad set holds none', async () => {
    const { meta } = connector([
      { path: '/v25.0/23850000000001', reply: { body: fixture('adset-budget.json') } },
      { path: '/v25.0/23850000000003', reply: { body: '{"id":"23850000000003"}' } },
    ]);
    expect(await meta.getDailyBudget(adset)).toBe(123_450_000);
    expect(await meta.getDailyBudget({ ...adset, adsetId: '23850000000003' })).toBeNull();
  });

  it('lists campaign budgets: CBO campaigns hold a daily budget, the others none', async () => {
    const body = JSON.stringify({
      data: [
        { id: '23850000000101', name: 'Prospecting', status: 'ACTIVE' },
        { id: '23850000000102', name: 'Advantage+ Budget', status: 'ACTIVE', daily_budget: '75000', lifetime_budget: '0' },
        { id: '23850000000103', name: 'Seasonal', status: 'PAUSED', daily_budget: '0', lifetime_budget: '500000' },
      ],
    });
    const { meta, calls } = connector([{ path: '/v25.0/act_1234567890/campaigns', reply: { body } }]);
    const base = { currency: 'EUR' };
    expect(await meta.listCampaignBudgets(EUR_ACCOUNT)).toEqual([
      { ...base, campaignId: '23850000000101', name: 'Prospecting', status: 'ACTIVE', budgetLevel: 'adset', dailyBudgetMicros: null },
      {
        ...base,
        campaignId: '23850000000102',
        name: 'Advantage+ Budget',
        status: 'ACTIVE',
        budgetLevel: 'campaign',
        dailyBudgetMicros: 750_000_000,
      },
      { ...base, campaignId: '23850000000103', name: 'Seasonal', status: 'PAUSED', budgetLevel: 'campaign', dailyBudgetMicros: null },
    ]);
    expect(Object.fromEntries(calls[0]?.url.searchParams ?? [])).toEqual({
      fields: 'id,name,status,daily_budget,lifetime_budget',
      limit: '500',
      access_token: TOKEN,
    });
  });

  it('never writes more than asked, and no less than one minor unit below, in any currency (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('EUR', 'USD', 'GBP', 'JPY', 'KRW', 'HUF'),
        fc.integer({ min: 1_000_000, max: 10_000_000_000_000 }),
        async (currency, micros) => {
          let stored = '0';
          const minimums = JSON.stringify({
            data: [
              {
                currency,
                min_daily_budget_imp: 1,
                min_daily_budget_high_freq: 1,
                min_daily_budget_low_freq: 1,
                min_daily_budget_video_views: 1,
              },
            ],
          });
          const { meta, calls } = connector([
            { path: '/v25.0/act_1234567890/minimum_budgets', reply: { body: minimums } },
            {
              path: '/v25.0/23850000000001',
              when: (u) => u.searchParams.get('fields') === 'id,billing_event',
              reply: { body: '{"id":"23850000000001","billing_event":"IMPRESSIONS"}' },
            },
            {
              method: 'POST',
              path: '/v25.0/23850000000001',
              reply: (_url, body) => {
                stored = String((JSON.parse(body ?? '{}') as { daily_budget: number }).daily_budget);
                return { body: '{"success":true}' };
              },
            },
            { path: '/v25.0/23850000000001', reply: () => ({ body: JSON.stringify({ id: '23850000000001', daily_budget: stored }) }) },
          ]);
          const unit = ['JPY', 'KRW', 'HUF'].includes(currency) ? 1_000_000 : 10_000;
          const write = await meta.setDailyBudget({ ...adset, currency }, micros);
          const minor = (JSON.parse(calls.find((c) => c.method === 'POST')?.body ?? '{}') as { daily_budget: number }).daily_budget;
          expect(Number.isInteger(minor)).toBe(true);
          expect(minor * unit).toBeLessThanOrEqual(micros);
          expect(micros - minor * unit).toBeLessThan(unit);
          expect(write).toEqual({ appliedMicros: minor * unit, readBackMicros: minor * unit });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Meta connector status writes', () => {
  const adset: AdSet = {
    platform: 'meta',
    accountId: 'act_1234567890',
    adsetId: '23850000000001',
    campaignId: '23850000000101',
    name: 'US-Broad',
    campaignName: 'Prospecting',
    status: 'ACTIVE',
    currency: 'EUR',
    dailyBudgetMicros: 20_000_000,
    budgetLevel: 'adset',
    learning: false,
  };
  const node = (status: string, effective = status) => ({
    path: `/v25.0/${adset.adsetId}`,
    reply: { body: JSON.stringify({ id: adset.adsetId, status, effective_status: effective }) },
  });
  const shape = (calls: readonly { method: string; url: URL; body: string | undefined }[]) =>
    calls.map((c) => ({ method: c.method, path: c.url.pathname, query: Object.fromEntries(c.url.searchParams), body: c.body }));
  /** Meta's refusal to re-activate an archived ad set ([U] the exact code and wording; an invalid parameter). */
  const archivedRefusal = JSON.stringify({
    error: {
      message: '(#100) Invalid parameter',
      type: 'OAuthException',
      code: 100,
      is_transient: false,
      error_user_title: "Can't Edit Archived Ad Set",
      error_user_msg: "This ad set is archived, so you can't change its status to ACTIVE.",
      fbtrace_id: 'AbCdEfGhIjK',
    },
  });

  it('posts status=PAUSED on the ad set as a JSON body, then reads status and effective_status back', async () => {
    const { meta, calls } = connector([
      { method: 'POST', path: `/v25.0/${adset.adsetId}`, reply: { body: fixture('budget-success.json') } },
      node('PAUSED'),
    ]);
    expect(await meta.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls.map((c) => c.contentType)).toEqual(['application/json', undefined]);
    expect(shape(calls)).toEqual([
      { method: 'POST', path: '/v25.0/23850000000001', query: { access_token: TOKEN }, body: '{"status":"PAUSED"}' },
      {
        method: 'GET',
        path: '/v25.0/23850000000001',
        query: { fields: 'id,status,effective_status', access_token: TOKEN },
        body: undefined,
      },
    ]);
  });

  it('writes the ad set itself also under CBO (status is the ad set’s own), and re-activates with ACTIVE', async () => {
    const { meta, calls } = connector([
      { method: 'POST', path: `/v25.0/${adset.adsetId}`, reply: { body: '{"success":true}' } },
      node('ACTIVE'),
    ]);
    expect(await meta.setStatus({ ...adset, budgetLevel: 'campaign', status: 'PAUSED' }, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(calls[0]?.body).toBe('{"status":"ACTIVE"}');
  });

  it('an ACTIVE ad set under a paused campaign reads back PAUSED, as listAdSets maps it: a typed error naming both statuses', async () => {
    const { meta } = connector([
      { method: 'POST', path: `/v25.0/${adset.adsetId}`, reply: { body: '{"success":true}' } },
      node('ACTIVE', 'CAMPAIGN_PAUSED'),
    ]);
    const error = await meta.setStatus(adset, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error).toMatchObject({
      platform: 'meta',
      endpoint: 'POST /v25.0/23850000000001',
      message: 'Meta ad set 23850000000001: wrote status ACTIVE but read back PAUSED (status ACTIVE, effective_status CAMPAIGN_PAUSED)',
    });
  });

  it('a refusal (code 100) is a PlatformRequestError after one POST; code 17 is the general user limit here, retried', async () => {
    const refused = connector([{ method: 'POST', path: `/v25.0/${adset.adsetId}`, reply: { status: 400, body: archivedRefusal } }]);
    const error = await refused.meta.setStatus(adset, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error).toMatchObject({ code: 100, retryable: false });
    expect(refused.calls).toHaveLength(1);
    const limited = connector([
      {
        method: 'POST',
        path: `/v25.0/${adset.adsetId}`,
        reply: [{ status: 400, body: fixture('error-budget-change-limit.json') }, { body: '{"success":true}' }],
      },
      node('PAUSED'),
    ]);
    expect(await limited.meta.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(limited.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
    expect(limited.delays).toEqual([60_000]);
  });

  it('retries a throttled status write (code 80004) like the budget write', async () => {
    const { meta, calls, delays } = connector([
      {
        method: 'POST',
        path: `/v25.0/${adset.adsetId}`,
        reply: [{ status: 400, body: fixture('error-ads-management-throttle.json') }, { body: '{"success":true}' }],
      },
      node('PAUSED'),
    ]);
    expect(await meta.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls.map((c) => c.method)).toEqual(['POST', 'POST', 'GET']);
    expect(delays).toHaveLength(1);
  });

  it('refuses an ad set of another platform before sending anything', async () => {
    const { meta, calls } = connector([]);
    await expect(meta.setStatus({ ...adset, platform: 'tiktok' }, 'PAUSED')).rejects.toBeInstanceOf(PlatformRequestError);
    expect(calls).toEqual([]);
  });
});
