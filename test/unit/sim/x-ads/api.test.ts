/**
 * The fake X Ads API without sockets: OAuth 1.0a verification, the documented limits it enforces the way X
 * refuses them, stats arrays from the market truth, rate-limit headers, async jobs, and budget and status PUTs.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { authorizationHeader, percentEncode } from '../../../../lib/platforms/x-ads/oauth1.ts';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { FakeXAdsApi, type FakeXAdsApiOptions, type XAdsResponse } from '../../../../lib/sim/x-ads/api.ts';
import { X_CAMPAIGN_BUDGET_LINE_ITEM, X_US_ACCOUNT, xAdsMarket } from '../../../../lib/sim/x-ads/sample-market.ts';

const CREDENTIALS = { consumerKey: 'ck', consumerSecret: 'cs', accessToken: 'at', accessTokenSecret: 'ats' };
const NOW = '2026-11-02T07:00:00Z';
const ORIGIN = 'http://127.0.0.1:1234';

function setup(options: Partial<FakeXAdsApiOptions> = {}) {
  const clock = new ManualClock(NOW);
  const market = xAdsMarket(clock);
  const api = new FakeXAdsApi({ market, credentials: CREDENTIALS, ...options });
  let index = 0;
  let nonce = 0;
  const send = (method: string, path: string, params: Record<string, string> = {}, sign = true): XAdsResponse => {
    const url = new URL(`${ORIGIN}${path}`);
    url.search = Object.entries(params)
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&');
    const stamp = { nonce: `n${++nonce}`, timestamp: Math.floor(clock.now().getTime() / 1000) };
    const authorization = sign ? authorizationHeader({ method, url }, CREDENTIALS, stamp) : undefined;
    return api.handle({ method, url, authorization, index: ++index });
  };
  return { api, market, clock, send };
}

const STATS = `/12/stats/accounts/${X_US_ACCOUNT}`;
const statsParams = (overrides: Record<string, string> = {}) => ({
  entity: 'LINE_ITEM',
  entity_ids: '9cqi0,9cqi2',
  start_time: '2026-10-30T08:00:00Z',
  end_time: '2026-11-01T08:00:00Z',
  granularity: 'DAY',
  placement: 'ALL_ON_TWITTER',
  metric_groups: 'ENGAGEMENT,BILLING,WEB_CONVERSION',
  ...overrides,
});
const code = (r: XAdsResponse) => [r.status, (r.payload as { errors: { code: string }[] }).errors[0]?.code];

describe('authentication', () => {
  it('refuses an unsigned request and a request whose query changed after signing', () => {
    const { api, send } = setup();
    expect(code(send('GET', `/12/accounts/${X_US_ACCOUNT}`, {}, false))).toEqual([401, 'UNAUTHORIZED_ACCESS']);
    const url = new URL(`${ORIGIN}/12/accounts/${X_US_ACCOUNT}/line_items?count=5`);
    const authorization = authorizationHeader({ method: 'GET', url }, CREDENTIALS, { nonce: 'a', timestamp: Date.parse(NOW) / 1000 });
    const changed = new URL(`${ORIGIN}/12/accounts/${X_US_ACCOUNT}/line_items?count=6`);
    expect(code(api.handle({ method: 'GET', url: changed, authorization, index: 1 }))).toEqual([401, 'UNAUTHORIZED_ACCESS']);
    expect(api.handle({ method: 'GET', url, authorization, index: 2 }).status).toBe(200);
  });

  it('refuses a stale timestamp', () => {
    const { send } = setup();
    const api = new FakeXAdsApi({ market: xAdsMarket(new ManualClock('2026-11-02T08:00:00Z')), credentials: CREDENTIALS });
    const url = new URL(`${ORIGIN}/12/accounts/${X_US_ACCOUNT}`);
    const authorization = authorizationHeader({ method: 'GET', url }, CREDENTIALS, { nonce: 'a', timestamp: Date.parse(NOW) / 1000 });
    expect(code(api.handle({ method: 'GET', url, authorization, index: 1 }))).toEqual([401, 'UNAUTHORIZED_ACCESS']);
    expect(send('GET', `/12/accounts/${X_US_ACCOUNT}`).status).toBe(200);
  });
});

describe('documented limits', () => {
  it.each([
    ['count above 1000', `/12/accounts/${X_US_ACCOUNT}/line_items`, { count: '1001' }, [400, 'INVALID_PARAMETER']],
    ['an unknown cursor', `/12/accounts/${X_US_ACCOUNT}/campaigns`, { cursor: 'abc' }, [400, 'INVALID_PARAMETER']],
    [
      'cursor with with_total_count',
      `/12/accounts/${X_US_ACCOUNT}/campaigns`,
      { cursor: 'eGM6MA', with_total_count: 'true' },
      [400, 'EXCLUSIVE_PARAMETERS'],
    ],
    [
      '21 entity ids',
      STATS,
      statsParams({ entity_ids: Array.from({ length: 21 }, (_, i) => `id${i}`).join(',') }),
      [400, 'INVALID_PARAMETER'],
    ],
    ['8 days', STATS, statsParams({ start_time: '2026-10-24T08:00:00Z', end_time: '2026-11-01T08:00:00Z' }), [400, 'INVALID_TIME_WINDOW']],
    // 07:00Z is midnight in PDT, but today is PST: X wants the offset of today.
    [
      'midnight at the target day offset',
      STATS,
      statsParams({ start_time: '2026-10-30T07:00:00Z', end_time: '2026-11-01T07:00:00Z' }),
      [400, 'INVALID_TIME_WINDOW'],
    ],
    ['a time that is not a whole hour', STATS, statsParams({ start_time: '2026-10-30T08:30:00Z' }), [400, 'INVALID_TIME_WINDOW']],
    ['a missing placement', STATS, (({ placement: _p, ...rest }) => rest)(statsParams()), [400, 'MISSING_PARAMETER']],
    ['MOBILE_CONVERSION with another group', STATS, statsParams({ metric_groups: 'MOBILE_CONVERSION,BILLING' }), [400, 'INVALID_METRICS']],
  ] as const)('refuses %s', (_what, path, params, expected) => {
    const { send } = setup();
    expect(code(send('GET', path, params))).toEqual(expected);
  });

  it('refuses a repeated parameter', () => {
    const { api, clock } = setup();
    const url = new URL(`${ORIGIN}/12/accounts/${X_US_ACCOUNT}/line_items?count=1&count=2`);
    const authorization = authorizationHeader({ method: 'GET', url }, CREDENTIALS, { nonce: 'a', timestamp: clock.now().getTime() / 1000 });
    expect(code(api.handle({ method: 'GET', url, authorization, index: 1 }))).toEqual([400, 'INVALID_PARAMETER']);
  });

  it('counts requests and throttles with 429 at the window reset, in user-level headers for stats', () => {
    const { send } = setup({ limits: { stats: { limit: 2, windowSeconds: 900, level: 'user' } } });
    const reset = String(Math.floor(Date.parse(NOW) / 1000 / 900) * 900 + 900);
    expect(send('GET', STATS, statsParams()).headers).toMatchObject({
      'x-rate-limit-limit': '2',
      'x-rate-limit-remaining': '1',
      'x-rate-limit-reset': reset,
    });
    expect(send('GET', STATS, statsParams()).status).toBe(200);
    const third = send('GET', STATS, statsParams());
    expect(code(third)).toEqual([429, 'TOO_MANY_REQUESTS']);
    expect(third.headers).toMatchObject({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset });
  });

  it('entity reads report the ad-account limit', () => {
    const { send } = setup();
    expect(send('GET', `/12/accounts/${X_US_ACCOUNT}/line_items`).headers).toMatchObject({
      'x-account-rate-limit-limit': '10000',
      'x-account-rate-limit-remaining': '9999',
    });
  });
});

describe('stats', () => {
  it('serves one array per day from the market truth; a line item that served nothing is null throughout', () => {
    const { send, market } = setup();
    const answer = send('GET', STATS, statsParams());
    const truth = market.reportedResults(X_US_ACCOUNT, '2026-10-30', '2026-10-31').filter((r) => r.adsetId === '9cqi0');
    const [d1, d2] = truth;
    if (!d1 || !d2) throw new Error('fixture changed');
    const payload = answer.payload as {
      time_series_length: number;
      data: { id: string; id_data: { metrics: Record<string, unknown> }[] }[];
    };
    expect(payload.time_series_length).toBe(2);
    expect(payload.data.map((d) => d.id)).toEqual(['9cqi0', '9cqi2']);
    const m = payload.data[0]?.id_data[0]?.metrics;
    const nz = (v: number) => (v === 0 ? null : v);
    expect({
      impressions: m?.impressions,
      clicks: m?.clicks,
      spend: m?.billed_charge_local_micro,
      purchases: m?.conversion_purchases,
    }).toEqual({
      impressions: [nz(d1.impressions), nz(d2.impressions)],
      clicks: [nz(d1.clicks), nz(d2.clicks)],
      spend: [nz(d1.spendMicros), nz(d2.spendMicros)],
      purchases: {
        metric: [nz(d1.conversions), nz(d2.conversions)],
        order_quantity: [nz(d1.conversions), nz(d2.conversions)],
        sale_amount: [nz(d1.revenueMicros), nz(d2.revenueMicros)],
        post_view: null,
        post_engagement: [nz(d1.conversions), nz(d2.conversions)],
        assisted: null,
      },
    });
    const paused = payload.data[1]?.id_data[0]?.metrics;
    expect([paused?.impressions, paused?.billed_charge_local_micro, paused?.conversion_purchases]).toEqual([null, null, null]);
  });

  it('accepts ±HH:MM offsets and a date alone (midnight in the account zone)', () => {
    const { send } = setup();
    expect(send('GET', STATS, statsParams({ start_time: '2026-10-30T00:00:00-08:00', end_time: '2026-11-01T00:00:00-0800' })).status).toBe(
      200,
    );
    expect(send('GET', STATS, statsParams({ start_time: '2026-10-30', end_time: '2026-11-01' })).status).toBe(200);
  });

  it('writes sale_amount in major units when so configured', () => {
    const { send, market } = setup({ saleAmountUnit: 'major' });
    const answer = send('GET', STATS, statsParams({ entity_ids: '9cqi0', metric_groups: 'WEB_CONVERSION' }));
    const truth = market.reportedResults(X_US_ACCOUNT, '2026-10-30', '2026-10-31').filter((r) => r.adsetId === '9cqi0');
    const sale = (answer.payload as { data: { id_data: { metrics: { conversion_purchases: { sale_amount: (number | null)[] } } }[] }[] })
      .data[0]?.id_data[0]?.metrics.conversion_purchases.sale_amount;
    expect(sale).toEqual(truth.map((r) => (r.revenueMicros === 0 ? null : r.revenueMicros / 1_000_000)));
  });
});

describe('async jobs', () => {
  it('a job is PROCESSING, then SUCCESS with a gzip file equal to the sync answer', () => {
    const { send } = setup();
    const params = statsParams({ entity_ids: '9cqi0', metric_groups: 'BILLING' });
    const created = send('POST', `/12/stats/jobs/accounts/${X_US_ACCOUNT}`, params);
    const job = (created.payload as { data: { id: number; id_str: string; status: string; url: null } }).data;
    expect(job.id_str).toMatch(/^\d{19}$/);
    expect(String(job.id)).not.toBe(job.id_str); // past 2^53: only id_str is exact
    expect([job.status, job.url]).toEqual(['PROCESSING', null]);
    expect(created.headers).toMatchObject({ 'x-concurrent-job-limit': '100', 'x-concurrent-job-limit-remaining': '99' });
    const poll = () =>
      (
        send('GET', `/12/stats/jobs/accounts/${X_US_ACCOUNT}`, { job_ids: job.id_str }).payload as {
          data: { status: string; url: string | null }[];
        }
      ).data[0];
    expect(poll()?.status).toBe('PROCESSING');
    const done = poll();
    expect(done?.status).toBe('SUCCESS');
    expect(done?.url).toBe(`${ORIGIN}/advertiser-api-async-analytics/stats_job_${job.id_str}.json.gz`);
    const file = send('GET', new URL(done?.url ?? '').pathname, {}, false);
    expect(file.headers['content-type']).toBe('application/gzip');
    const body = JSON.parse(gunzipSync(file.bytes ?? Buffer.alloc(0)).toString('utf8')) as { data: unknown; time_series_length: number };
    const sync = send('GET', STATS, params).payload as { data: unknown; time_series_length: number };
    expect([body.time_series_length, body.data]).toEqual([sync.time_series_length, sync.data]);
  });

  it('a job may span 90 days but not 91', () => {
    const { send } = setup();
    const path = `/12/stats/jobs/accounts/${X_US_ACCOUNT}`;
    expect(send('POST', path, statsParams({ start_time: '2026-08-03T08:00:00Z', end_time: '2026-11-01T08:00:00Z' })).status).toBe(200);
    expect(code(send('POST', path, statsParams({ start_time: '2026-08-02T08:00:00Z', end_time: '2026-11-01T08:00:00Z' })))).toEqual([
      400,
      'INVALID_TIME_WINDOW',
    ]);
  });
});

describe('budget PUTs', () => {
  it('sets a line-item budget from the next day and answers the full line item', () => {
    const { send, market } = setup();
    const answer = send('PUT', `/12/accounts/${X_US_ACCOUNT}/line_items/9cqi0`, { daily_budget_amount_local_micro: '99990000' });
    expect((answer.payload as { data: Record<string, unknown> }).data).toMatchObject({
      id: '9cqi0',
      daily_budget_amount_local_micro: 99_990_000,
    });
    expect(market.budgetOn('9cqi0', '2026-11-02')).toBe(99_990_000);
  });

  it('refuses amounts finer than a cent, line-item budgets under a campaign budget, and unknown line items', () => {
    const { send } = setup();
    expect(code(send('PUT', `/12/accounts/${X_US_ACCOUNT}/line_items/9cqi0`, { daily_budget_amount_local_micro: '99990001' }))).toEqual([
      400,
      'INVALID_PARAMETER',
    ]);
    expect(
      code(
        send('PUT', `/12/accounts/${X_US_ACCOUNT}/line_items/${X_CAMPAIGN_BUDGET_LINE_ITEM}`, {
          daily_budget_amount_local_micro: '1000000',
        }),
      ),
    ).toEqual([400, 'INVALID_PARAMETER']);
    expect(code(send('PUT', `/12/accounts/${X_US_ACCOUNT}/line_items/zzzz`, { daily_budget_amount_local_micro: '1000000' }))).toEqual([
      404,
      'LINE_ITEM_NOT_FOUND',
    ]);
  });

  it('sets a campaign-held budget on its line item and shows it on the campaign', () => {
    const { send, market } = setup();
    const answer = send('PUT', `/12/accounts/${X_US_ACCOUNT}/campaigns/8wku4`, { daily_budget_amount_local_micro: '140000000' });
    expect((answer.payload as { data: Record<string, unknown> }).data).toMatchObject({
      id: '8wku4',
      daily_budget_amount_local_micro: 140_000_000,
    });
    expect(market.budgetOn(X_CAMPAIGN_BUDGET_LINE_ITEM, '2026-11-02')).toBe(140_000_000);
    expect(code(send('PUT', `/12/accounts/${X_US_ACCOUNT}/campaigns/8wku2`, { daily_budget_amount_local_micro: '1000000' }))).toEqual([
      400,
      'INVALID_PARAMETER',
    ]);
  });
});

describe('status PUTs', () => {
  const lineItemPath = (id: string) => `/12/accounts/${X_US_ACCOUNT}/line_items/${id}`;
  const data = (r: XAdsResponse) => (r.payload as { data: Record<string, unknown> }).data;

  it('pauses and re-activates a line item with entity_status: the answer and GET show it at once, the market from the next day', () => {
    const { send, market } = setup();
    const paused = send('PUT', lineItemPath('9cqi0'), { entity_status: 'PAUSED' });
    expect(paused.status).toBe(200);
    expect((paused.payload as { request: unknown }).request).toEqual({
      params: { account_id: X_US_ACCOUNT, entity_status: 'PAUSED', line_item_id: '9cqi0' },
    });
    expect(data(paused)).toMatchObject({
      id: '9cqi0',
      entity_status: 'PAUSED',
      deleted: false,
      daily_budget_amount_local_micro: 120_000_000,
    });
    const listed = send('GET', `/12/accounts/${X_US_ACCOUNT}/line_items`, { line_item_ids: '9cqi0' });
    expect((listed.payload as { data: Record<string, unknown>[] }).data.map((li) => li.entity_status)).toEqual(['PAUSED']);
    // The account is in Los Angeles: 07:00Z on 2 Nov is still 1 Nov there.
    expect([market.statusOn('9cqi0', '2026-11-01'), market.statusOn('9cqi0', '2026-11-02')]).toEqual(['ACTIVE', 'PAUSED']);
    expect(send('PUT', lineItemPath('9cqi0'), { entity_status: 'PAUSED' }).status).toBe(200);
    expect(data(send('PUT', lineItemPath('9cqi0'), { entity_status: 'ACTIVE' })).entity_status).toBe('ACTIVE');
    expect(market.statusOn('9cqi0', '2026-11-02')).toBe('ACTIVE');
  });

  it('refuses a status X does not take and a deleted line item (404), changing nothing', () => {
    const { send, market } = setup();
    expect(code(send('PUT', lineItemPath('9cqi0'), { entity_status: 'DRAFT' }))).toEqual([400, 'INVALID_PARAMETER']);
    expect(code(send('PUT', lineItemPath('9cqi0'), { entity_status: 'PAUSED', daily_budget_amount_local_micro: '1.5' }))).toEqual([
      400,
      'INVALID_PARAMETER',
    ]);
    market.setStatus('9cqi3', 'DELETED');
    expect(code(send('PUT', lineItemPath('9cqi3'), { entity_status: 'ACTIVE' }))).toEqual([404, 'LINE_ITEM_NOT_FOUND']);
    // A campaign whose line items are all deleted is gone too.
    expect(code(send('PUT', `/12/accounts/${X_US_ACCOUNT}/campaigns/8wku3`, { entity_status: 'ACTIVE' }))).toEqual([
      404,
      'CAMPAIGN_NOT_FOUND',
    ]);
    expect([market.adset('9cqi0').status, market.adset('9cqi3').status]).toEqual(['ACTIVE', 'DELETED']);
  });

  it('a campaign status pauses and re-activates its live line items, never a deleted one', () => {
    const { send, market } = setup();
    market.setStatus('9cqi1', 'DELETED');
    const paused = send('PUT', `/12/accounts/${X_US_ACCOUNT}/campaigns/8wku2`, { entity_status: 'PAUSED' });
    expect(data(paused)).toMatchObject({ id: '8wku2', entity_status: 'PAUSED' });
    expect(['9cqi0', '9cqi1', '9cqi2'].map((id) => market.adset(id).status)).toEqual(['PAUSED', 'DELETED', 'PAUSED']);
    send('PUT', `/12/accounts/${X_US_ACCOUNT}/campaigns/8wku2`, { entity_status: 'ACTIVE' });
    expect(['9cqi0', '9cqi1', '9cqi2'].map((id) => market.adset(id).status)).toEqual(['ACTIVE', 'DELETED', 'ACTIVE']);
  });
});
