/**
 * Contract tests of the Pinterest connector on payloads shaped like ../shared/PLATFORM_APIS.md §7.2: listing with
 * bookmarks, CBO detection, analytics rows (missing columns, int64 strings, 250-id chunks), batch PATCH answers
 * with per-item exceptions (30 per call), async report states, and hostile names kept as text.
 */
import { describe, expect, it } from 'vitest';
import type { AdAccount, AdSet } from '../../../../lib/model/ads.ts';
import { AuthError, MalformedResponseError, PlatformRequestError, TransientPlatformError } from '../../../../lib/platforms/errors.ts';
import { createPinterestConnector, type PinterestConnectorOptions } from '../../../../lib/platforms/pinterest/connector.ts';
import { PinterestItemError } from '../../../../lib/platforms/pinterest/errors.ts';
import { fixedClock } from '../../../../lib/runtime/clock.ts';
import { type Handler, routeFetch } from './route-fetch.ts';

const ACCOUNT = '549755885175';
const TOKEN = 'pina_unit-secret';
const U = 1_000_000;
const account: AdAccount = { platform: 'pinterest', accountId: ACCOUNT, name: 'Acme', currency: 'USD', timezone: 'UTC' };
const HOSTILE = '<img src=x onerror=alert(1)> "Ad" & ‘co’ 📌';

/** The ad group of the spec's list example. */
const SPEC_AD_GROUP = {
  id: '2680060704746',
  ad_account_id: ACCOUNT,
  campaign_id: '626736533506',
  name: 'Ad Group For Pin: 687195905986',
  status: 'ACTIVE',
  summary_status: 'RUNNING',
  budget_in_micro_currency: 5000000,
  budget_type: 'DAILY',
  bid_in_micro_currency: 5000000,
  bid_strategy_type: 'MAX_BID',
  pacing_delivery_type: 'STANDARD',
  billable_event: 'CLICKTHROUGH',
  start_time: 1476477189,
  end_time: null,
  created_time: 1476477189,
  updated_time: 1476477189,
  type: 'adgroup',
};

function campaign(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    ad_account_id: ACCOUNT,
    name: `Campaign ${id}`,
    status: 'ACTIVE',
    daily_spend_cap: null,
    lifetime_spend_cap: null,
    is_campaign_budget_optimization: false,
    ...extra,
  };
}

function adGroup(id: string, extra: Record<string, unknown> = {}) {
  return { ...SPEC_AD_GROUP, id, ...extra };
}

function connector(routes: Record<string, Handler>, options: Partial<PinterestConnectorOptions> = {}) {
  const { fetch, calls } = routeFetch(routes);
  const sleeps: number[] = [];
  const pinterest = createPinterestConnector({
    credentials: { accessToken: TOKEN },
    fetch,
    clock: fixedClock('2026-05-03T12:00:00Z'),
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options,
  });
  return { pinterest, calls, sleeps };
}

const path = (suffix: string) => `/v5/ad_accounts/${ACCOUNT}${suffix}`;

describe('Pinterest connector: entities', () => {
  it('lists ad groups across bookmarks, with CBO, lifetime and paused campaigns, names kept as text', async () => {
    const { pinterest, calls } = connector({
      [`GET ${path('/campaigns')}`]: () => ({
        body: {
          items: [
            campaign('626736533506'),
            campaign('626736533507', { is_campaign_budget_optimization: true, daily_spend_cap: '250000000' }),
            campaign('626736533508', { status: 'PAUSED', name: HOSTILE }),
          ],
          bookmark: null,
        },
      }),
      [`GET ${path('/ad_groups')}`]: (call) =>
        call.url.searchParams.get('bookmark') === null
          ? {
              body: {
                items: [
                  SPEC_AD_GROUP,
                  adGroup('2680060704747', {
                    campaign_id: '626736533507',
                    budget_type: 'CBO_ADGROUP',
                    budget_in_micro_currency: 100000000,
                  }),
                ],
                bookmark: 'b2',
              },
            }
          : {
              body: {
                items: [
                  adGroup('2680060704748', {
                    campaign_id: '626736533508',
                    name: HOSTILE,
                    budget_type: 'LIFETIME',
                    budget_in_micro_currency: 9000000000,
                  }),
                ],
                bookmark: null,
              },
            },
    });
    const base = { platform: 'pinterest', accountId: ACCOUNT, currency: 'USD', learning: false } as const;
    expect(await pinterest.listAdSets(account)).toEqual([
      {
        ...base,
        adsetId: '2680060704746',
        campaignId: '626736533506',
        name: 'Ad Group For Pin: 687195905986',
        campaignName: 'Campaign 626736533506',
        status: 'ACTIVE',
        dailyBudgetMicros: 5 * U,
        budgetLevel: 'adset',
      },
      {
        ...base,
        adsetId: '2680060704747',
        campaignId: '626736533507',
        name: 'Ad Group For Pin: 687195905986',
        campaignName: 'Campaign 626736533507',
        status: 'ACTIVE',
        dailyBudgetMicros: 250 * U,
        budgetLevel: 'campaign',
      },
      {
        ...base,
        adsetId: '2680060704748',
        campaignId: '626736533508',
        name: HOSTILE,
        campaignName: HOSTILE,
        status: 'PAUSED',
        dailyBudgetMicros: null,
        budgetLevel: 'adset',
      },
    ] satisfies AdSet[]);
    const groupCalls = calls.filter((c) => c.url.pathname.endsWith('/ad_groups'));
    expect(groupCalls.map((c) => Object.fromEntries(c.url.searchParams))).toEqual([
      { entity_statuses: 'ACTIVE,PAUSED,ARCHIVED', page_size: '250', order: 'ASCENDING' },
      { entity_statuses: 'ACTIVE,PAUSED,ARCHIVED', page_size: '250', order: 'ASCENDING', bookmark: 'b2' },
    ]);
    expect(calls.every((c) => c.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('a repeated bookmark is a MalformedResponseError, not an endless loop', async () => {
    const { pinterest } = connector({
      [`GET ${path('/campaigns')}`]: () => ({ body: { items: [], bookmark: null } }),
      [`GET ${path('/ad_groups')}`]: () => ({ body: { items: [SPEC_AD_GROUP], bookmark: 'same' } }),
    });
    const error = await pinterest.listAdSets(account).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('bookmark');
  });

  it('a DAILY ad group without a budget names the field', async () => {
    const { pinterest } = connector(
      {
        [`GET ${path('/campaigns')}`]: () => ({ body: { items: [campaign('626736533506')] } }),
        [`GET ${path('/ad_groups')}`]: () => ({
          body: { items: [SPEC_AD_GROUP, adGroup('2680060704747', { budget_in_micro_currency: null })] },
        }),
      },
      { maxAttempts: 1 },
    );
    const error = await pinterest.listAdSets(account).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('items[1] (page 1).budget_in_micro_currency');
  });
});

describe('Pinterest connector: analytics', () => {
  const analyticsRoutes = (rows: (call: { url: URL }) => unknown, groups = [SPEC_AD_GROUP]): Record<string, Handler> => ({
    [`GET ${path('/ad_groups')}`]: (call) => {
      const offset = Number(call.url.searchParams.get('bookmark') ?? 0);
      return { body: { items: groups.slice(offset, offset + 250), bookmark: offset + 250 < groups.length ? String(offset + 250) : null } };
    },
    [`GET ${path('/ad_groups/analytics')}`]: (call) => ({ body: rows(call) }),
  });

  it('reads the documented rows; absent columns are zero, absent rows stay absent, int64 strings are exact', async () => {
    const { pinterest, calls } = connector(
      analyticsRoutes(() => [
        {
          AD_GROUP_ID: '2680060704746',
          DATE: '2026-05-01',
          SPEND_IN_MICRO_DOLLAR: 30000000,
          IMPRESSION_1: 5120,
          CLICKTHROUGH_1: 216,
          TOTAL_CHECKOUT: 3,
          TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR: 149970000,
        },
        {
          AD_GROUP_ID: '2680060704746',
          DATE: '2026-05-02',
          SPEND_IN_MICRO_DOLLAR: '9007199254740991',
          IMPRESSION_1: 4800,
          CLICKTHROUGH_1: 190,
        },
      ]),
    );
    const base = {
      platform: 'pinterest',
      accountId: ACCOUNT,
      adsetId: '2680060704746',
      campaignId: '626736533506',
      currency: 'USD',
    } as const;
    expect(await pinterest.fetchDailyMetrics(account, '2026-05-01', '2026-05-02')).toEqual([
      { ...base, date: '2026-05-01', spendMicros: 30 * U, revenueMicros: 149_970_000, impressions: 5120, clicks: 216, conversions: 3 },
      { ...base, date: '2026-05-02', spendMicros: 9_007_199_254_740_991, revenueMicros: 0, impressions: 4800, clicks: 190, conversions: 0 },
    ]);
    const analytics = calls.find((c) => c.url.pathname.endsWith('/analytics'));
    expect(Object.fromEntries(analytics?.url.searchParams ?? [])).toEqual({
      start_date: '2026-05-01',
      end_date: '2026-05-02',
      ad_group_ids: '2680060704746',
      columns: 'SPEND_IN_MICRO_DOLLAR,IMPRESSION_1,CLICKTHROUGH_1,TOTAL_CHECKOUT,TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR',
      granularity: 'DAY',
      click_window_days: '30',
      view_window_days: '1',
      conversion_report_time: 'TIME_OF_AD_ACTION',
    });
  });

  it('asks for at most 250 ad groups per request', async () => {
    const groups = Array.from({ length: 260 }, (_, i) => adGroup(String(3_000_000_000 + i)));
    const { pinterest, calls } = connector(analyticsRoutes(() => [], groups));
    expect(await pinterest.fetchDailyMetrics(account, '2026-04-01', '2026-04-30')).toEqual([]);
    const sizes = calls
      .filter((c) => c.url.pathname.endsWith('/analytics'))
      .map((c) => c.url.searchParams.get('ad_group_ids')?.split(',').length);
    expect(sizes).toEqual([250, 10]);
  });

  it.each([
    ['a row of an ad group not asked for', { AD_GROUP_ID: '999', DATE: '2026-05-01' }, '[0].AD_GROUP_ID'],
    ['a date outside the range', { AD_GROUP_ID: '2680060704746', DATE: '2026-04-30' }, '[0].DATE'],
    ['a fractional count', { AD_GROUP_ID: '2680060704746', DATE: '2026-05-01', IMPRESSION_1: 1.5 }, '[0].IMPRESSION_1'],
    ['a negative spend', { AD_GROUP_ID: '2680060704746', DATE: '2026-05-01', SPEND_IN_MICRO_DOLLAR: -1 }, '[0].SPEND_IN_MICRO_DOLLAR'],
    [
      'an int64 past 2^53',
      { AD_GROUP_ID: '2680060704746', DATE: '2026-05-01', SPEND_IN_MICRO_DOLLAR: '9007199254740993' },
      '[0].SPEND_IN_MICRO_DOLLAR',
    ],
  ])('%s is a MalformedResponseError naming the field', async (_, row, field) => {
    const { pinterest } = connector(
      analyticsRoutes(() => [row]),
      { maxAttempts: 1 },
    );
    const error = await pinterest.fetchDailyMetrics(account, '2026-05-01', '2026-05-02').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe(field);
  });

  it('a row repeated across the answer is malformed', async () => {
    const row = { AD_GROUP_ID: '2680060704746', DATE: '2026-05-01' };
    const { pinterest } = connector(
      analyticsRoutes(() => [row, row]),
      { maxAttempts: 1 },
    );
    await expect(pinterest.fetchDailyMetrics(account, '2026-05-01', '2026-05-01')).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('a start more than 914 days back is refused before any request', async () => {
    const { pinterest, calls } = connector({});
    await expect(pinterest.fetchDailyMetrics(account, '2023-10-01', '2023-10-31')).rejects.toBeInstanceOf(PlatformRequestError);
    expect(calls).toEqual([]);
  });
});

describe('Pinterest connector: async reports', () => {
  function reportRoutes(statuses: readonly string[]): Record<string, Handler> {
    let created = 0;
    return {
      [`GET ${path('/ad_groups')}`]: () => ({ body: { items: [SPEC_AD_GROUP], bookmark: null } }),
      [`POST ${path('/reports')}`]: () => ({ body: { report_status: 'IN_PROGRESS', token: `t${++created}`, message: null } }),
      [`GET ${path('/reports')}`]: (_, n) => {
        const status = statuses[Math.min(n - 1, statuses.length - 1)] ?? 'FINISHED';
        return { body: { report_status: status, url: status === 'FINISHED' ? 'https://storage.example/r.json?sig=1' : null, size: null } };
      },
      'GET /r.json': () => ({
        body: {
          '2680060704746': [
            { AD_GROUP_ID: '2680060704746', CAMPAIGN_ID: '626736533506', DATE: '2026-01-05', SPEND_IN_MICRO_DOLLAR: 12000000 },
          ],
        },
      }),
    };
  }

  it('creates, polls and downloads without the bearer token', async () => {
    const { pinterest, calls, sleeps } = connector(reportRoutes(['IN_PROGRESS', 'IN_PROGRESS', 'FINISHED']));
    const rows = await pinterest.fetchDailyMetrics(account, '2026-01-01', '2026-01-31');
    expect(rows).toEqual([
      {
        platform: 'pinterest',
        accountId: ACCOUNT,
        adsetId: '2680060704746',
        campaignId: '626736533506',
        date: '2026-01-05',
        currency: 'USD',
        spendMicros: 12 * U,
        revenueMicros: 0,
        impressions: 0,
        clicks: 0,
        conversions: 0,
      },
    ]);
    expect(sleeps).toEqual([5_000, 5_000]);
    const download = calls.find((c) => c.url.host === 'storage.example');
    expect(download?.headers.authorization).toBeUndefined();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      start_date: '2026-01-01',
      end_date: '2026-01-31',
      granularity: 'DAY',
      level: 'AD_GROUP',
      columns: [
        'AD_GROUP_ID',
        'CAMPAIGN_ID',
        'SPEND_IN_MICRO_DOLLAR',
        'IMPRESSION_1',
        'CLICKTHROUGH_1',
        'TOTAL_CHECKOUT',
        'TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR',
      ],
      click_window_days: 30,
      view_window_days: 1,
      conversion_report_time: 'TIME_OF_AD_ACTION',
      report_format: 'JSON',
    });
  });

  it('a FAILED report is created once more; failing again is a TransientPlatformError', async () => {
    const once = connector(reportRoutes(['FAILED', 'FINISHED']));
    expect(await once.pinterest.fetchDailyMetrics(account, '2026-01-01', '2026-01-31')).toHaveLength(1);
    expect(once.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
    const twice = connector(reportRoutes(['FAILED']));
    await expect(twice.pinterest.fetchDailyMetrics(account, '2026-01-01', '2026-01-31')).rejects.toBeInstanceOf(TransientPlatformError);
  });

  it('a report that never finishes gives up after maxPolls; DOES_NOT_EXIST is a request error', async () => {
    const slow = connector(reportRoutes(['IN_PROGRESS']), { reportMaxPolls: 3, maxAttempts: 1 });
    await expect(slow.pinterest.fetchDailyMetrics(account, '2026-01-01', '2026-01-31')).rejects.toBeInstanceOf(TransientPlatformError);
    expect(slow.sleeps).toEqual([5_000, 5_000]);
    const gone = connector(reportRoutes(['DOES_NOT_EXIST']));
    await expect(gone.pinterest.fetchDailyMetrics(account, '2026-01-01', '2026-01-31')).rejects.toBeInstanceOf(PlatformRequestError);
  });
});

describe('Pinterest connector: budget writes', () => {
  const adset = (id: string): AdSet => ({
    platform: 'pinterest',
    accountId: ACCOUNT,
    adsetId: id,
    campaignId: '626736533506',
    name: 'x',
    campaignName: '',
    status: 'ACTIVE',
    currency: 'USD',
    dailyBudgetMicros: 5 * U,
    budgetLevel: 'adset',
    learning: false,
  });

  it('sends ≤30 items per PATCH; the documented per-item exception fails that item only', async () => {
    const ids = Array.from({ length: 35 }, (_, i) => String(2_680_060_704_700 + i));
    const budgets = new Map(ids.map((id) => [id, 5 * U]));
    const { pinterest, calls } = connector({
      [`GET ${path('/campaigns')}`]: () => ({ body: { items: [campaign('626736533506')], bookmark: null } }),
      [`GET ${path('/ad_groups')}`]: (call) => ({
        body: {
          items: (call.url.searchParams.get('ad_group_ids') ?? '')
            .split(',')
            .map((id) => adGroup(id, { budget_in_micro_currency: budgets.get(id) })),
          bookmark: null,
        },
      }),
      [`PATCH ${path('/ad_groups')}`]: (call) => ({
        body: {
          items: (call.body as { id: string; budget_in_micro_currency: number }[]).map((item) => {
            if (item.id === ids[31]) return { data: null, exceptions: [{ code: 2, message: 'Advertiser not found.' }] };
            budgets.set(item.id, item.budget_in_micro_currency);
            return { data: adGroup(item.id, { budget_in_micro_currency: item.budget_in_micro_currency }), exceptions: [] };
          }),
        },
      }),
    });
    const outcomes = await pinterest.setDailyBudgets(
      ACCOUNT,
      ids.map((id) => ({ adset: adset(id), dailyBudgetMicros: 7_509_999 })),
    );
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => (c.body as unknown[]).length)).toEqual([30, 5]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(34);
    expect(outcomes[0]).toEqual({ adsetId: ids[0], ok: true, write: { appliedMicros: 7_500_000, readBackMicros: 7_500_000 } });
    const failed = outcomes[31];
    expect(failed?.ok).toBe(false);
    const error = failed && !failed.ok ? failed.error : undefined;
    expect(error).toBeInstanceOf(PinterestItemError);
    expect({ code: error?.code, itemId: (error as PinterestItemError).itemId, retryable: error?.retryable }).toEqual({
      code: 2,
      itemId: ids[31],
      retryable: false,
    });
    expect(error?.message).toContain('Advertiser not found.');
  });

  it('an answer with fewer items than sent is malformed', async () => {
    const { pinterest } = connector(
      {
        [`GET ${path('/campaigns')}`]: () => ({ body: { items: [campaign('626736533506')] } }),
        [`GET ${path('/ad_groups')}`]: () => ({ body: { items: [SPEC_AD_GROUP] } }),
        [`PATCH ${path('/ad_groups')}`]: () => ({ body: { items: [] } }),
      },
      { maxAttempts: 1 },
    );
    await expect(pinterest.setDailyBudget(adset('2680060704746'), 6 * U)).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('a CBO ad group whose campaign has only a lifetime cap, or a lifetime ad group, is refused without a write', async () => {
    const { pinterest, calls } = connector({
      [`GET ${path('/campaigns')}`]: () => ({
        body: { items: [campaign('626736533506', { is_campaign_budget_optimization: true, lifetime_spend_cap: 900 * U })] },
      }),
      [`GET ${path('/ad_groups')}`]: () => ({
        body: {
          items: [
            adGroup('2680060704746', { budget_type: 'CBO_ADGROUP' }),
            adGroup('2680060704747', { campaign_id: '1', budget_type: 'LIFETIME' }),
          ],
        },
      }),
    });
    const outcomes = await pinterest.setDailyBudgets(ACCOUNT, [
      { adset: adset('2680060704746'), dailyBudgetMicros: 6 * U },
      { adset: adset('2680060704747'), dailyBudgetMicros: 6 * U },
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.name))).toEqual(['PlatformRequestError', 'PlatformRequestError']);
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([]);
  });
});

describe('Pinterest connector: status writes', () => {
  const adset: AdSet = {
    platform: 'pinterest',
    accountId: ACCOUNT,
    adsetId: SPEC_AD_GROUP.id,
    campaignId: SPEC_AD_GROUP.campaign_id,
    name: SPEC_AD_GROUP.name,
    campaignName: '',
    status: 'ACTIVE',
    currency: 'USD',
    dailyBudgetMicros: 5 * U,
    budgetLevel: 'adset',
    learning: false,
  };
  /** A PATCH route answering each item with the ad group in its new status, or `refuse`'s exceptions; lists read the state. */
  function statusRoutes(state: { group: string; campaign: string }, refuse?: (item: { id: string }) => unknown): Record<string, Handler> {
    return {
      [`PATCH ${path('/ad_groups')}`]: (call) => ({
        body: {
          items: (call.body as { id: string; status: string }[]).map((item) => {
            const refusal = refuse?.(item);
            if (refusal) return refusal;
            state.group = item.status;
            return { data: adGroup(item.id, { status: item.status }), exceptions: [] };
          }),
        },
      }),
      [`GET ${path('/ad_groups')}`]: () => ({ body: { items: [adGroup(SPEC_AD_GROUP.id, { status: state.group })], bookmark: null } }),
      [`GET ${path('/campaigns')}`]: () => ({
        body: { items: [campaign(SPEC_AD_GROUP.campaign_id, { status: state.campaign })], bookmark: null },
      }),
    };
  }

  it('PATCHes a one-item array [{"id","status":"PAUSED"}], then lists the ad group and its campaign to read it back', async () => {
    const { pinterest, calls } = connector(statusRoutes({ group: 'ACTIVE', campaign: 'ACTIVE' }));
    expect(await pinterest.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls.map((c) => ({ method: c.method, url: c.url.toString(), body: c.body, auth: c.headers.authorization }))).toEqual([
      {
        method: 'PATCH',
        url: `https://api.pinterest.com${path('/ad_groups')}`,
        body: [{ id: SPEC_AD_GROUP.id, status: 'PAUSED' }],
        auth: `Bearer ${TOKEN}`,
      },
      {
        method: 'GET',
        url: `https://api.pinterest.com${path('/ad_groups')}?ad_group_ids=${SPEC_AD_GROUP.id}&entity_statuses=ACTIVE%2CPAUSED%2CARCHIVED&page_size=250&order=ASCENDING`,
        body: undefined,
        auth: `Bearer ${TOKEN}`,
      },
      {
        method: 'GET',
        url: `https://api.pinterest.com${path('/campaigns')}?campaign_ids=${SPEC_AD_GROUP.campaign_id}&entity_statuses=ACTIVE%2CPAUSED%2CARCHIVED&page_size=250&order=ASCENDING`,
        body: undefined,
        auth: `Bearer ${TOKEN}`,
      },
    ]);
    expect(calls[0]?.headers['content-type']).toBe('application/json');
  });

  it('re-activates with "ACTIVE"; a 429 on the PATCH waits for X-RateLimit-Reset and the same item is sent again', async () => {
    const routes = statusRoutes({ group: 'PAUSED', campaign: 'ACTIVE' });
    const patch = routes[`PATCH ${path('/ad_groups')}`] as Handler;
    routes[`PATCH ${path('/ad_groups')}`] = (call, nth) =>
      nth === 1
        ? { status: 429, headers: { 'x-ratelimit-reset': '7' }, body: { code: 8, message: 'Max rate limit exceeded' } }
        : patch(call, nth);
    const { pinterest, calls, sleeps } = connector(routes);
    expect(await pinterest.setStatus({ ...adset, status: 'PAUSED' }, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([
      [{ id: SPEC_AD_GROUP.id, status: 'ACTIVE' }],
      [{ id: SPEC_AD_GROUP.id, status: 'ACTIVE' }],
    ]);
    expect(sleeps).toEqual([7_000]);
  });

  it('an ad group of a paused campaign reads back PAUSED after ACTIVE: a PlatformRequestError naming both statuses', async () => {
    const { pinterest } = connector(statusRoutes({ group: 'PAUSED', campaign: 'PAUSED' }));
    const error = await pinterest.setStatus({ ...adset, status: 'PAUSED' }, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toBe(
      `Pinterest PATCH /v5/ad_accounts/{id}/ad_groups: ad group ${SPEC_AD_GROUP.id} was set to ACTIVE but reads back PAUSED ` +
        `(ad group ACTIVE, campaign ${SPEC_AD_GROUP.campaign_id} PAUSED)`,
    );
  });

  it('an item Pinterest refuses (exceptions, data null) is a PlatformRequestError with its code, not retried, no read-back', async () => {
    const { pinterest, calls } = connector(
      statusRoutes({ group: 'ARCHIVED', campaign: 'ACTIVE' }, () => ({
        data: null,
        exceptions: [{ code: 1, message: 'status: an archived ad group cannot be changed.' }],
      })),
    );
    const error = await pinterest.setStatus({ ...adset, status: 'ARCHIVED' }, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect({
      status: (error as PlatformRequestError).status,
      code: (error as PlatformRequestError).code,
      retryable: (error as PlatformRequestError).retryable,
    }).toEqual({
      status: 200,
      code: 1,
      retryable: false,
    });
    expect((error as Error).message).toBe(
      `Pinterest PATCH /v5/ad_accounts/{id}/ad_groups: ad group ${SPEC_AD_GROUP.id} was not set to ACTIVE: code 1 (status: an archived ad group cannot be changed.)`,
    );
    expect(calls.map((c) => c.method)).toEqual(['PATCH']);
  });

  it('a 401 on the PATCH is an AuthError without the token; another ad set or status is refused before sending', async () => {
    const { pinterest, calls } = connector({
      [`PATCH ${path('/ad_groups')}`]: () => ({ status: 401, body: { code: 3, message: `Authentication failed. ${TOKEN}` } }),
    });
    const error = await pinterest.setStatus(adset, 'PAUSED').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(TOKEN);
    await expect(pinterest.setStatus({ ...adset, platform: 'linkedin' }, 'PAUSED')).rejects.toBeInstanceOf(PlatformRequestError);
    await expect(pinterest.setStatus(adset, 'ARCHIVED' as 'PAUSED')).rejects.toBeInstanceOf(PlatformRequestError);
    expect(calls.filter((c) => c.method === 'PATCH').length).toBe(1);
  });
});
