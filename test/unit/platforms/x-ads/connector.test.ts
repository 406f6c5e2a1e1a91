/**
 * Contract tests of the X Ads connector on payloads shaped like the documented examples: accounts, cursor paging,
 * where budgets live, stats arrays merged per day (null as zero, all-null days absent), the signed and encoded
 * requests, malformed answers named by field, and budget writes.
 */
import { describe, expect, it } from 'vitest';
import type { AdSet } from '../../../../lib/model/ads.ts';
import { MalformedResponseError, PlatformRequestError, RateLimitedError } from '../../../../lib/platforms/errors.ts';
import { createXAdsConnector, type XAdsConnectorOptions } from '../../../../lib/platforms/x-ads/connector.ts';
import { verifyRequest } from '../../../../lib/platforms/x-ads/oauth1.ts';
import { fixedClock } from '../../../../lib/runtime/clock.ts';
import {
  ACCOUNT,
  ACCOUNT_ID,
  type Answer,
  CAMPAIGN_8WKU2,
  CAMPAIGN_ACTIVE,
  campaignsPage,
  DOCS_METRICS_8U94T,
  FUNDING_INSTRUMENTS,
  lineItem,
  routeFetch,
  statsAnswer,
} from './fixtures.ts';

const CREDENTIALS = { consumerKey: 'ck-unit', consumerSecret: 'cs-unit', accessToken: 'at-unit', accessTokenSecret: 'ats-unit' };
/** 20 May 2026, 05:00 in Los Angeles (PDT). */
const NOW = '2026-05-20T12:00:00Z';
const US = { platform: 'x-ads' as const, accountId: ACCOUNT_ID, name: 'Acme', currency: 'USD', timezone: 'America/Los_Angeles' };

function connector(routes: Record<string, readonly Answer[]>, options: Partial<XAdsConnectorOptions> = {}) {
  const { fetch, calls } = routeFetch(routes);
  const x = createXAdsConnector({
    ...CREDENTIALS,
    fetch,
    clock: fixedClock(NOW),
    nonce: () => 'n',
    sleep: async () => {},
    maxAttempts: 2,
    ...options,
  });
  return { x, calls };
}

const LINE_ITEMS = [lineItem('8u94t', '8wku2'), lineItem('9cqi0', 'c2aaa', { daily_budget_amount_local_micro: 25_000_000 })];
const ENTITY_ROUTES = {
  'GET /line_items': [{ body: campaignsPage(LINE_ITEMS) }],
  'GET /campaigns': [{ body: campaignsPage([CAMPAIGN_8WKU2, CAMPAIGN_ACTIVE]) }],
};

describe('accounts and line items', () => {
  it('reads the account time zone and the funding instrument currency; the name stays text', async () => {
    const { x, calls } = connector({
      [`GET /accounts/${ACCOUNT_ID}`]: [{ body: ACCOUNT }],
      'GET /funding_instruments': [{ body: FUNDING_INSTRUMENTS }],
    });
    expect(await x.getAccount(ACCOUNT_ID)).toEqual({
      platform: 'x-ads',
      accountId: ACCOUNT_ID,
      name: 'Acme <b>on</b> X & co',
      currency: 'USD',
      timezone: 'America/Los_Angeles',
    });
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual([
      `GET /12/accounts/${ACCOUNT_ID}`,
      `GET /12/accounts/${ACCOUNT_ID}/funding_instruments`,
    ]);
  });

  it('refuses an account whose time zone is not IANA, naming the field', async () => {
    const { x } = connector({ [`GET /accounts/${ACCOUNT_ID}`]: [{ body: { data: { ...ACCOUNT.data, timezone: 'Pacific Time' } } }] });
    const error = await x.getAccount(ACCOUNT_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('data.timezone');
  });

  it('follows next_cursor; the budget is the campaign one unless the line item has its own', async () => {
    const { x, calls } = connector({
      'GET /line_items': [{ body: campaignsPage([LINE_ITEMS[0]], 'c-1') }, { body: campaignsPage([LINE_ITEMS[1]]) }],
      'GET /campaigns': [{ body: campaignsPage([CAMPAIGN_8WKU2, CAMPAIGN_ACTIVE]) }],
    });
    const expected: AdSet[] = [
      {
        platform: 'x-ads',
        accountId: ACCOUNT_ID,
        adsetId: '8u94t',
        campaignId: '8wku2',
        name: 'Line item 8u94t',
        campaignName: 'test',
        status: 'PAUSED', // its campaign is paused
        currency: 'USD',
        dailyBudgetMicros: 10_000_000,
        budgetLevel: 'campaign',
        learning: false,
      },
      {
        platform: 'x-ads',
        accountId: ACCOUNT_ID,
        adsetId: '9cqi0',
        campaignId: 'c2aaa',
        name: 'Line item 9cqi0',
        campaignName: 'Always on',
        status: 'ACTIVE',
        currency: 'USD',
        dailyBudgetMicros: 25_000_000,
        budgetLevel: 'adset',
        learning: false,
      },
    ];
    expect(await x.listAdSets(US)).toEqual(expected);
    const pages = calls.filter((c) => c.url.pathname.endsWith('/line_items')).map((c) => Object.fromEntries(c.url.searchParams));
    expect(pages).toEqual([{ count: '200' }, { count: '200', cursor: 'c-1' }]);
  });

  it('a repeated cursor is a MalformedResponseError, not an endless loop', async () => {
    const { x } = connector({ ...ENTITY_ROUTES, 'GET /line_items': [{ body: campaignsPage([LINE_ITEMS[0]], 'same') }] });
    const error = await x.listAdSets(US).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('next_cursor');
  });
});

describe('daily metrics', () => {
  const docsStats = statsAnswer([
    { id: '8u94t', id_data: [{ segment: null, metrics: DOCS_METRICS_8U94T }] },
    {
      id: '9cqi0',
      id_data: [
        { segment: null, metrics: { impressions: null, clicks: null, billed_charge_local_micro: null, conversion_purchases: null } },
      ],
    },
  ]);

  it('merges the three metric groups of the documented example per day; an all-null line item has no rows', async () => {
    const { x, calls } = connector({ ...ENTITY_ROUTES, 'GET /stats/accounts/18ce54d4x5t': [{ body: docsStats }] });
    const rows = await x.fetchDailyMetrics(US, '2026-05-19', '2026-05-20');
    const base = { platform: 'x-ads', accountId: ACCOUNT_ID, adsetId: '8u94t', campaignId: '8wku2', currency: 'USD' };
    expect(rows).toEqual([
      { ...base, date: '2026-05-19', spendMicros: 2_500_000, revenueMicros: 5998, impressions: 1233, clicks: 58, conversions: 2 },
      { ...base, date: '2026-05-20', spendMicros: 1_900_000, revenueMicros: 0, impressions: 980, clicks: 40, conversions: 0 },
    ]);
    const stats = calls.filter((c) => c.url.pathname.includes('/stats/'));
    // The documented request, one metric group per call, `:` and `,` encoded on the wire.
    expect(stats.map((c) => c.url.searchParams.get('metric_groups'))).toEqual(['ENGAGEMENT', 'BILLING', 'WEB_CONVERSION']);
    expect(stats[0]?.url.search).toBe(
      '?entity=LINE_ITEM&entity_ids=8u94t%2C9cqi0&start_time=2026-05-19T07%3A00%3A00Z&end_time=2026-05-21T07%3A00%3A00Z' +
        '&granularity=DAY&placement=ALL_ON_TWITTER&metric_groups=ENGAGEMENT',
    );
    // Each request carries a signature that verifies for its exact URL.
    const secrets = () => ({ consumerSecret: CREDENTIALS.consumerSecret, tokenSecret: CREDENTIALS.accessTokenSecret });
    for (const call of calls)
      expect(verifyRequest({ method: call.method, url: call.url }, call.authorization ?? undefined, secrets).ok).toBe(true);
  });

  it('reads null inside an array as 0 and keeps the day when another figure has a value', async () => {
    const answer = statsAnswer([
      {
        id: '8u94t',
        id_data: [
          {
            segment: null,
            metrics: { impressions: [null, 7], clicks: null, billed_charge_local_micro: [10_000, null], conversion_purchases: null },
          },
        ],
      },
    ]);
    const { x } = connector({ ...ENTITY_ROUTES, 'GET /stats/accounts/18ce54d4x5t': [{ body: answer }] });
    const rows = await x.fetchDailyMetrics(US, '2026-05-19', '2026-05-20');
    expect(rows.map((r) => [r.date, r.spendMicros, r.impressions, r.clicks])).toEqual([
      ['2026-05-19', 10_000, 0, 0],
      ['2026-05-20', 0, 7, 0],
    ]);
  });

  it('reads sale_amount in major units when so configured', async () => {
    const answer = statsAnswer([
      {
        id: '8u94t',
        id_data: [
          { segment: null, metrics: { ...DOCS_METRICS_8U94T, conversion_purchases: { metric: [2, 1], sale_amount: [59.98, 0.1] } } },
        ],
      },
    ]);
    const { x } = connector({ ...ENTITY_ROUTES, 'GET /stats/accounts/18ce54d4x5t': [{ body: answer }] }, { saleAmountUnit: 'major' });
    const rows = await x.fetchDailyMetrics(US, '2026-05-19', '2026-05-20');
    expect(rows.map((r) => r.revenueMicros)).toEqual([59_980_000, 100_000]);
  });

  it.each([
    ['a step count that is not the window', statsAnswer([], 3), 'time_series_length'],
    [
      'an array of the wrong length',
      statsAnswer([{ id: '8u94t', id_data: [{ segment: null, metrics: { impressions: [1] } }] }]),
      'data[0].id_data[0].metrics.impressions',
    ],
    ['an id not asked for', statsAnswer([{ id: 'zzzzz', id_data: [] }]), 'data[0].id'],
    [
      'a fractional micros sale amount',
      statsAnswer([
        { id: '8u94t', id_data: [{ segment: null, metrics: { conversion_purchases: { metric: [1, 0], sale_amount: [1.5, 0] } } }] },
      ]),
      'data[0].id_data[0].metrics.conversion_purchases.sale_amount[0]',
    ],
    [
      'a count that is not a whole number',
      statsAnswer([{ id: '8u94t', id_data: [{ segment: null, metrics: { clicks: [1.5, 0] } }] }]),
      'data[0].id_data[0].metrics.clicks[0]',
    ],
  ])('%s is a MalformedResponseError naming %s', async (_what, body, field) => {
    const { x } = connector({ ...ENTITY_ROUTES, 'GET /stats/accounts/18ce54d4x5t': [{ body }] });
    const error = await x.fetchDailyMetrics(US, '2026-05-19', '2026-05-20').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe(field);
  });

  it('a body that is not JSON is a MalformedResponseError; an HTML 404 a PlatformRequestError', async () => {
    const cut = connector({ ...ENTITY_ROUTES, 'GET /stats/accounts/18ce54d4x5t': [{ body: '{"data_type":"stats","da' }] });
    await expect(cut.x.fetchDailyMetrics(US, '2026-05-19', '2026-05-20')).rejects.toBeInstanceOf(MalformedResponseError);
    const html = connector({ ...ENTITY_ROUTES, 'GET /stats/accounts/18ce54d4x5t': [{ status: 404, body: '<html>Not found</html>' }] });
    await expect(html.x.fetchDailyMetrics(US, '2026-05-19', '2026-05-20')).rejects.toBeInstanceOf(PlatformRequestError);
  });
});

describe('budget writes', () => {
  const adset: AdSet = {
    platform: 'x-ads',
    accountId: ACCOUNT_ID,
    adsetId: '8u94t',
    campaignId: '8wku2',
    name: 'x',
    campaignName: 'test',
    status: 'PAUSED',
    currency: 'USD',
    dailyBudgetMicros: 10_000_000,
    budgetLevel: 'campaign',
    learning: false,
  };

  it('writes a campaign-held budget on the campaign, as the reference PUT, and reads it back', async () => {
    const after = { ...CAMPAIGN_8WKU2, daily_budget_amount_local_micro: 140_000_000 };
    const { x, calls } = connector({
      'GET /line_items': [{ body: campaignsPage([LINE_ITEMS[0]]) }],
      'GET /campaigns': [{ body: campaignsPage([CAMPAIGN_8WKU2]) }, { body: campaignsPage([after]) }],
      'PUT /campaigns/8wku2': [
        {
          body: {
            request: { params: { campaign_id: '8wku2', daily_budget_amount_local_micro: 140000000, account_id: ACCOUNT_ID } },
            data: after,
          },
        },
      ],
    });
    expect(await x.setDailyBudget(adset, 140_009_999)).toEqual({ appliedMicros: 140_000_000, readBackMicros: 140_000_000 });
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.url.toString()).toBe(
      `https://ads-api.x.com/12/accounts/${ACCOUNT_ID}/campaigns/8wku2?daily_budget_amount_local_micro=140000000`,
    );
  });

  it('refuses a daily budget above the total budget before sending anything', async () => {
    const { x, calls } = connector({
      'GET /line_items': [{ body: campaignsPage([LINE_ITEMS[0]]) }],
      'GET /campaigns': [{ body: campaignsPage([{ ...CAMPAIGN_8WKU2, total_budget_amount_local_micro: 100_000_000 }]) }],
    });
    await expect(x.setDailyBudget(adset, 150_000_000)).rejects.toBeInstanceOf(PlatformRequestError);
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
  });
});

describe('status writes', () => {
  const adset: AdSet = {
    platform: 'x-ads',
    accountId: ACCOUNT_ID,
    adsetId: '9cqi0',
    campaignId: 'c2aaa',
    name: 'Line item 9cqi0',
    campaignName: 'Always on',
    status: 'ACTIVE',
    currency: 'USD',
    dailyBudgetMicros: 25_000_000,
    budgetLevel: 'adset',
    learning: false,
  };
  const own = { daily_budget_amount_local_micro: 25_000_000 };
  const putAnswer = (status: string) => ({
    body: {
      request: { params: { line_item_id: '9cqi0', entity_status: status, account_id: ACCOUNT_ID } },
      data: lineItem('9cqi0', 'c2aaa', { ...own, entity_status: status }),
    },
  });

  it('PUTs entity_status=PAUSED on the line item, signed, then reads the line item and its campaign back', async () => {
    const { x, calls } = connector({
      'PUT /line_items/9cqi0': [putAnswer('PAUSED')],
      'GET /line_items': [{ body: campaignsPage([lineItem('9cqi0', 'c2aaa', { ...own, entity_status: 'PAUSED' })]) }],
      'GET /campaigns': [{ body: campaignsPage([CAMPAIGN_ACTIVE]) }],
    });
    expect(await x.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls.map((c) => `${c.method} ${c.url.toString()}`)).toEqual([
      `PUT https://ads-api.x.com/12/accounts/${ACCOUNT_ID}/line_items/9cqi0?entity_status=PAUSED`,
      `GET https://ads-api.x.com/12/accounts/${ACCOUNT_ID}/line_items?with_deleted=true&line_item_ids=9cqi0&count=200`,
      `GET https://ads-api.x.com/12/accounts/${ACCOUNT_ID}/campaigns?with_deleted=true&campaign_ids=c2aaa&count=200`,
    ]);
    const secrets = () => ({ consumerSecret: CREDENTIALS.consumerSecret, tokenSecret: CREDENTIALS.accessTokenSecret });
    for (const call of calls)
      expect(verifyRequest({ method: call.method, url: call.url }, call.authorization ?? undefined, secrets).ok).toBe(true);
  });

  it('re-activates with entity_status=ACTIVE; a 429 on the PUT waits for the reset and sends the same PUT again', async () => {
    const reset = String(Date.parse(NOW) / 1000 + 30);
    const throttled = {
      status: 429,
      headers: { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset },
      body: { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' }], request: { params: {} } },
    };
    const sleeps: number[] = [];
    const { x, calls } = connector(
      {
        'PUT /line_items/9cqi0': [throttled, putAnswer('ACTIVE')],
        'GET /line_items': [{ body: campaignsPage([lineItem('9cqi0', 'c2aaa', own)]) }],
        'GET /campaigns': [{ body: campaignsPage([CAMPAIGN_ACTIVE]) }],
      },
      { sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(await x.setStatus({ ...adset, status: 'PAUSED' }, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.url.search)).toEqual(['?entity_status=ACTIVE', '?entity_status=ACTIVE']);
    expect(sleeps).toEqual([30_000]);
  });

  it('a line item of a paused campaign reads back PAUSED after ACTIVE: a PlatformRequestError naming both entities and statuses', async () => {
    const { x } = connector({
      'PUT /line_items/8u94t': [{ body: { request: { params: {} }, data: lineItem('8u94t', '8wku2') } }],
      'GET /line_items': [{ body: campaignsPage([lineItem('8u94t', '8wku2')]) }],
      'GET /campaigns': [{ body: campaignsPage([CAMPAIGN_8WKU2]) }],
    });
    const error = await x
      .setStatus({ ...adset, adsetId: '8u94t', campaignId: '8wku2', status: 'PAUSED' }, 'ACTIVE')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toBe(
      `X Ads PUT /12/accounts/${ACCOUNT_ID}/line_items/8u94t: line item 8u94t was set to ACTIVE but reads back PAUSED ` +
        '(line item ACTIVE, campaign 8wku2 PAUSED)',
    );
  });

  it("X's 404 for a deleted line item is a PlatformRequestError, not retried; an answer for another entity is malformed", async () => {
    const notFound = {
      status: 404,
      body: { errors: [{ code: 'LINE_ITEM_NOT_FOUND', message: 'Line item 9cqi0 was not found' }], request: { params: {} } },
    };
    const { x, calls } = connector({ 'PUT /line_items/9cqi0': [notFound] });
    const error = await x.setStatus({ ...adset, status: 'DELETED' }, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect({ status: (error as PlatformRequestError).status, code: (error as PlatformRequestError).code }).toEqual({
      status: 404,
      code: 'LINE_ITEM_NOT_FOUND',
    });
    expect(error).not.toBeInstanceOf(RateLimitedError);
    expect(calls.length).toBe(1);
    const other = connector({ 'PUT /line_items/9cqi0': [{ body: { request: { params: {} }, data: lineItem('zzz', 'c2aaa') } }] });
    const malformed = await other.x.setStatus(adset, 'PAUSED').catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(MalformedResponseError);
    expect((malformed as MalformedResponseError).field).toBe('data.id');
  });

  it('refuses an ad set of another platform or a status adpilot does not write, sending nothing', async () => {
    const { x, calls } = connector({});
    await expect(x.setStatus({ ...adset, platform: 'tiktok' }, 'PAUSED')).rejects.toBeInstanceOf(PlatformRequestError);
    await expect(x.setStatus(adset, 'DELETED' as 'PAUSED')).rejects.toBeInstanceOf(PlatformRequestError);
    expect(calls).toEqual([]);
  });
});
