/**
 * The fake Pinterest API as a pure function: documented limits refused the way Pinterest does, bookmarks,
 * analytics rows without empty checkout columns, batch PATCH exceptions, CBO splits, reports and OAuth refresh.
 */
import { describe, expect, it } from 'vitest';
import type { DailyMetric } from '../../../../lib/model/ads.ts';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { SimulationError } from '../../../../lib/sim/errors.ts';
import { MarketSimulator } from '../../../../lib/sim/market.ts';
import { FakePinterestApi, type PinterestRequest, type PinterestResponse } from '../../../../lib/sim/pinterest/api.ts';
import { analyticsRow, bookmarkFor, offsetOf } from '../../../../lib/sim/pinterest/wire.ts';

const ACCOUNT = '549755885175';
const TOKEN = 'pina_t';
const U = 1_000_000;
const curve = { beta: 10, alpha: 1, kappa: 100 };

function market(timezone = 'UTC') {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const adset = (adsetId: string, campaignId: string, budget: number, budgetLevel: 'adset' | 'campaign' = 'adset') => ({
    platform: 'pinterest' as const,
    accountId: ACCOUNT,
    adsetId,
    name: `AG ${adsetId}`,
    campaignId,
    campaignName: `C ${campaignId}`,
    dailyBudgetMicros: budget,
    budgetLevel,
    curve,
    averageOrderValueMicros: 50 * U,
    cpmMicros: 5 * U,
    ctr: 0.01,
  });
  return new MarketSimulator({
    seed: 3,
    clock,
    accounts: [{ platform: 'pinterest', accountId: ACCOUNT, name: 'Acme', currency: 'USD', timezone }],
    adsets: [
      adset('11', '100', 50 * U),
      adset('12', '100', 30 * U),
      adset('13', '200', 60 * U, 'campaign'),
      adset('14', '200', 20 * U, 'campaign'),
    ],
  });
}

function api(options: Partial<ConstructorParameters<typeof FakePinterestApi>[0]> = {}) {
  return new FakePinterestApi({ market: market(), accessToken: TOKEN, ...options });
}

let index = 0;
function request(
  method: string,
  path: string,
  query: Record<string, string> = {},
  body?: unknown,
  extra: Partial<PinterestRequest> = {},
): PinterestRequest {
  index += 1;
  return {
    method,
    path,
    query,
    authorization: `Bearer ${TOKEN}`,
    contentType: 'application/json',
    body: body === undefined ? '' : JSON.stringify(body),
    index,
    origin: 'http://127.0.0.1:1',
    ...extra,
  };
}

const error = (status: number, code: number, message: string): Partial<PinterestResponse> => ({ status, payload: { code, message } });
const analytics = (query: Record<string, string>) =>
  request('GET', `/v5/ad_accounts/${ACCOUNT}/ad_groups/analytics`, {
    start_date: '2026-10-01',
    end_date: '2026-10-02',
    ad_group_ids: '11,12',
    columns: 'SPEND_IN_MICRO_DOLLAR,TOTAL_CHECKOUT',
    granularity: 'DAY',
    ...query,
  });

describe('fake Pinterest API', () => {
  it('serves only markets whose pinterest accounts are on UTC (Pinterest reports UTC dates)', () => {
    expect(() => new FakePinterestApi({ market: market('Europe/Paris') })).toThrow(SimulationError);
  });

  it('refuses a missing or wrong bearer token with 401', () => {
    const fake = api();
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}`, {}, undefined, { authorization: undefined }))).toMatchObject(
      error(401, 3, 'Authentication failed.'),
    );
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}`, {}, undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    expect(fake.handle(request('GET', '/v5/ad_accounts/1')).status).toBe(404);
  });

  it('pages ad groups with opaque bookmarks, filters statuses and refuses documented limits', () => {
    const fake = api();
    const first = fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, { page_size: '3' })).payload as {
      items: { id: string }[];
      bookmark: string;
    };
    expect(first.items.map((g) => g.id)).toEqual(['11', '12', '13']);
    const second = fake.handle(
      request('GET', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, { page_size: '3', bookmark: first.bookmark }),
    ).payload;
    expect(second).toMatchObject({ items: [{ id: '14', budget_type: 'CBO_ADGROUP', budget_in_micro_currency: 20 * U }], bookmark: null });
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, { page_size: '251' })).status).toBe(400);
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, { bookmark: 'junk' })).status).toBe(400);
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, { ad_group_ids: '11', campaign_ids: '100' })).status).toBe(
      400,
    );
    const tooMany = Array.from({ length: 251 }, (_, i) => String(i + 1)).join(',');
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, { ad_group_ids: tooMany })).status).toBe(400);
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, { entity_statuses: 'ARCHIVED' })).payload).toEqual({
      items: [],
      bookmark: null,
    });
  });

  it('reports a CBO campaign with its daily cap as the sum of its ad groups', () => {
    const payload = api().handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/campaigns`)).payload as { items: Record<string, unknown>[] };
    expect(payload.items.map((c) => [c.id, c.is_campaign_budget_optimization, c.daily_spend_cap])).toEqual([
      ['100', false, null],
      ['200', true, 80 * U],
    ]);
  });

  it('answers analytics as a bare array of (ad group, date) rows equal to the market', () => {
    const fake = api();
    const m = market();
    const rows = m.reportedResults(ACCOUNT, '2026-10-01', '2026-10-02').filter((r) => r.adsetId === '11' || r.adsetId === '12');
    expect(fake.handle(analytics({})).payload).toEqual(rows.map((r) => analyticsRow(r, ['SPEND_IN_MICRO_DOLLAR', 'TOTAL_CHECKOUT'])));
  });

  it('leaves checkout columns out of a row without checkouts', () => {
    const row: DailyMetric = {
      platform: 'pinterest',
      accountId: ACCOUNT,
      adsetId: '11',
      campaignId: '100',
      date: '2026-10-01',
      currency: 'USD',
      spendMicros: 5 * U,
      revenueMicros: 0,
      impressions: 900,
      clicks: 7,
      conversions: 0,
    };
    expect(analyticsRow(row, ['SPEND_IN_MICRO_DOLLAR', 'IMPRESSION_1', 'TOTAL_CHECKOUT', 'TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR'])).toEqual({
      AD_GROUP_ID: '11',
      DATE: '2026-10-01',
      SPEND_IN_MICRO_DOLLAR: 5 * U,
      IMPRESSION_1: 900,
    });
  });

  it.each([
    ['a range over 90 days', { start_date: '2026-08-01', end_date: '2026-10-30' }],
    ['a start over 90 days back', { start_date: '2026-08-03', end_date: '2026-08-04' }],
    ['an unknown column', { columns: 'SPEND_IN_MICRO_DOLLAR,TOTAL_CHECKOUT_VALUE_IN_DOLLAR' }],
    ['a click window off the enum', { click_window_days: '28' }],
    ['HOUR granularity', { granularity: 'HOUR' }],
    ['over 250 ad groups', { ad_group_ids: Array.from({ length: 251 }, (_, i) => String(i + 1)).join(',') }],
    ['start after end', { start_date: '2026-10-03' }],
  ])('refuses %s with 400', (_, query) => {
    expect(api().handle(analytics(query)).status).toBe(400);
  });

  it('applies batch PATCH items one by one, failing bad ones in exceptions, and refuses more than 30', () => {
    const m = market();
    const fake = new FakePinterestApi({ market: m, accessToken: TOKEN });
    const answer = fake.handle(
      request('PATCH', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, {}, [
        { id: '11', budget_in_micro_currency: 75 * U },
        { id: '999', budget_in_micro_currency: 75 * U },
        { id: '12', budget_in_micro_currency: 75_000_001 },
        { id: '13', budget_in_micro_currency: 75 * U },
      ]),
    );
    expect(
      (answer.payload as { items: { data: { id: string } | null; exceptions: unknown[] }[] }).items.map((i) => [
        i.data?.id ?? null,
        i.exceptions.length,
      ]),
    ).toEqual([
      ['11', 0],
      [null, 1],
      [null, 1],
      [null, 1],
    ]);
    expect(m.adsets(ACCOUNT).map((a) => a.dailyBudgetMicros)).toEqual([75 * U, 30 * U, 60 * U, 20 * U]);
    const many = Array.from({ length: 31 }, () => ({ id: '11', budget_in_micro_currency: U }));
    expect(fake.handle(request('PATCH', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, {}, many)).status).toBe(400);
    expect(fake.handle(request('PATCH', `/v5/ad_accounts/${ACCOUNT}/campaigns`, {}, [{ id: '200', daily_spend_cap: U }])).status).toBe(400);
  });

  it('pauses and re-activates ad groups with PATCH status items: the answer and lists show it at once, the market from the next day', () => {
    const m = market();
    const fake = new FakePinterestApi({ market: m, accessToken: TOKEN });
    const patch = (items: unknown[]) =>
      (
        fake.handle(request('PATCH', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, {}, items)).payload as {
          items: { data: Record<string, unknown> | null; exceptions: unknown[] }[];
        }
      ).items;
    const [paused] = patch([{ id: '11', status: 'PAUSED' }]);
    expect([paused?.data?.id, paused?.data?.status, paused?.data?.summary_status, paused?.exceptions]).toEqual([
      '11',
      'PAUSED',
      'PAUSED',
      [],
    ]);
    const listed = fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, { ad_group_ids: '11' })).payload as {
      items: { status: string }[];
    };
    expect(listed.items.map((g) => g.status)).toEqual(['PAUSED']);
    expect([m.statusOn('11', '2026-11-02'), m.statusOn('11', '2026-11-03')]).toEqual(['ACTIVE', 'PAUSED']);
    // The same status again is accepted; so is a batch mixing a status and a budget.
    expect(
      patch([
        { id: '11', status: 'PAUSED' },
        { id: '12', status: 'ACTIVE', budget_in_micro_currency: 40 * U },
      ]).map((i) => i.exceptions),
    ).toEqual([[], []]);
    expect(patch([{ id: '11', status: 'ACTIVE' }])[0]?.data?.status).toBe('ACTIVE');
    expect([m.statusOn('11', '2026-11-03'), m.budgetOn('12', '2026-11-03')]).toEqual(['ACTIVE', 40 * U]);
  });

  it('refuses in exceptions a status Pinterest does not take, any change of an archived ad group and a deleted one', () => {
    const m = market();
    const fake = new FakePinterestApi({ market: m, accessToken: TOKEN });
    m.setStatus('12', 'ARCHIVED');
    m.setStatus('14', 'DELETED');
    const answer = fake.handle(
      request('PATCH', `/v5/ad_accounts/${ACCOUNT}/ad_groups`, {}, [
        { id: '11', status: 'ENABLED' },
        { id: '12', status: 'ACTIVE' },
        { id: '14', status: 'ACTIVE' },
        { id: '12', status: 'ARCHIVED' },
      ]),
    );
    expect(
      (answer.payload as { items: { data: { id: string } | null; exceptions: unknown[] }[] }).items.map((i) => [
        i.data?.id ?? null,
        i.exceptions,
      ]),
    ).toEqual([
      [null, [{ code: 1, message: 'status: invalid value.' }]],
      [null, [{ code: 1, message: 'status: an archived ad group cannot be changed.' }]],
      [null, [{ code: 2, message: 'Ad group not found.' }]],
      ['12', []],
    ]);
    expect(m.adsets(ACCOUNT).map((a) => a.status)).toEqual(['ACTIVE', 'ARCHIVED', 'ACTIVE', 'DELETED']);
  });

  it('splits a CBO cap over the ad groups in proportion, exactly', () => {
    const m = market();
    const fake = new FakePinterestApi({ market: m, accessToken: TOKEN });
    const answer = fake.handle(
      request('PATCH', `/v5/ad_accounts/${ACCOUNT}/campaigns`, {}, [{ id: '200', ad_account_id: ACCOUNT, daily_spend_cap: 100_010_000 }]),
    );
    expect(answer.payload).toMatchObject({ items: [{ data: { id: '200', daily_spend_cap: 100_010_000 }, exceptions: [] }] });
    expect([m.adset('13').dailyBudgetMicros, m.adset('14').dailyBudgetMicros]).toEqual([75_007_500, 25_002_500]);
  });

  it('runs a report: IN_PROGRESS, then FINISHED with a pre-signed URL that refuses a bearer token', () => {
    const fake = api({ reportPolls: 1 });
    const body = {
      start_date: '2026-08-10',
      end_date: '2026-08-12',
      granularity: 'DAY',
      level: 'AD_GROUP',
      columns: ['SPEND_IN_MICRO_DOLLAR'],
      report_format: 'JSON',
    };
    const { token } = fake.handle(request('POST', `/v5/ad_accounts/${ACCOUNT}/reports`, {}, body)).payload as { token: string };
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/reports`, { token })).payload).toEqual({
      report_status: 'IN_PROGRESS',
      url: null,
      size: null,
    });
    const done = fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/reports`, { token })).payload as {
      report_status: string;
      url: string;
    };
    expect(done.report_status).toBe('FINISHED');
    const url = new URL(done.url);
    const download = (authorization: string | undefined) =>
      fake.handle(request('GET', url.pathname, Object.fromEntries(url.searchParams), undefined, { authorization }));
    expect(download(`Bearer ${TOKEN}`).status).toBe(400);
    const file = download(undefined).payload as Record<string, { AD_GROUP_ID: string; DATE: string }[]>;
    expect(Object.keys(file).sort()).toEqual(['11', '12', '13', '14']);
    expect(file['11']?.map((r) => r.DATE)).toEqual(['2026-08-10', '2026-08-11', '2026-08-12']);
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}/reports`, { token: 'nope' })).payload).toMatchObject({
      report_status: 'DOES_NOT_EXIST',
    });
    expect(
      fake.handle(request('POST', `/v5/ad_accounts/${ACCOUNT}/reports`, {}, { ...body, start_date: '2026-03-01', end_date: '2026-09-30' }))
        .status,
    ).toBe(400);
  });

  it('refreshes with Basic client auth and rotates the refresh token', () => {
    const fake = api({ oauth: { clientId: 'cid', clientSecret: 'cs', refreshToken: 'r0' }, accessTokenExpired: true });
    const refresh = (token: string, basic = Buffer.from('cid:cs').toString('base64')) =>
      fake.handle(
        request('POST', '/v5/oauth/token', {}, undefined, {
          authorization: `Basic ${basic}`,
          contentType: 'application/x-www-form-urlencoded',
          body: `grant_type=refresh_token&refresh_token=${token}`,
        }),
      );
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}`)).status).toBe(401);
    expect(refresh('r0', Buffer.from('cid:wrong').toString('base64')).status).toBe(401);
    expect(refresh('r0').payload).toMatchObject({
      access_token: 'pina_fake_1',
      refresh_token: 'pinr_fake_1',
      expires_in: 2_592_000,
      token_type: 'bearer',
    });
    expect(refresh('r0').status).toBe(400);
    expect(fake.handle(request('GET', `/v5/ad_accounts/${ACCOUNT}`, {}, undefined, { authorization: 'Bearer pina_fake_1' })).status).toBe(
      200,
    );
  });

  it('round-trips bookmarks and rejects foreign ones', () => {
    expect(offsetOf(bookmarkFor(250))).toBe(250);
    expect(offsetOf('not-a-bookmark')).toBeUndefined();
  });

  it('renders throttles with X-RateLimit-Reset, and other faults in Pinterest style', () => {
    const fake = api();
    expect(fake.faultResponse({ kind: 'throttle', minutes: 2 })).toEqual({
      status: 429,
      headers: { 'content-type': 'application/json', 'x-ratelimit-reset': '120', 'x-ratelimit-remaining': '0' },
      payload: { code: 8, message: 'Max rate limit exceeded' },
    });
    expect(fake.faultResponse({ kind: 'expired-token' }).status).toBe(401);
    expect(fake.faultResponse({ kind: 'server-error', status: 502 }).text).toContain('502');
  });
});
