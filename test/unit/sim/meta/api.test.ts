import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../lib/model/dates.ts';
import { microsToDecimal } from '../../../../lib/model/money.ts';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { MarketSimulator, sampleMarket } from '../../../../lib/sim/market.ts';
import { FakeGraphApi, type GraphResponse } from '../../../../lib/sim/meta/api.ts';
import { SAMPLE_ACCOUNT_ID } from '../../../../lib/sim/sample-market.ts';

const TOKEN = 'fake-token';
const BROAD = '23850000000001';
const EUR = 1_000_000;

function setup(options: { pageSize?: number; accessToken?: string } = {}) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = sampleMarket(42, clock, { startDate: '2026-10-01' });
  const api = new FakeGraphApi({ market, accessToken: TOKEN, ...options });
  let index = 0;
  /** Like the HTTP server: the token travels in the query string; `null` sends none. */
  const call = (method: string, path: string, params: Record<string, unknown> = {}, token: string | null = TOKEN): GraphResponse => {
    const url = new URL(`http://127.0.0.1:1${path}`);
    if (token !== null) url.searchParams.set('access_token', token);
    return api.handle({ method, url, params: { ...Object.fromEntries(url.searchParams), ...params }, index: ++index });
  };
  return { clock, market, api, call };
}

const errorOf = (response: GraphResponse) => (response.payload as { error: Record<string, unknown> }).error;
const range = (since: string, until: string) => JSON.stringify({ since, until });

describe('fake Graph API: reads', () => {
  it('serves the ad account with the requested fields', () => {
    const { call } = setup();
    const response = call('GET', '/v25.0/act_1000000001?fields=currency,timezone_name,name,timezone_offset_hours_utc');
    expect(response.status).toBe(200);
    expect(response.payload).toEqual({
      currency: 'EUR',
      timezone_name: 'Europe/Paris',
      name: 'Acme Outdoor',
      timezone_offset_hours_utc: 1,
      id: 'act_1000000001',
    });
  });

  it('rejects a nonexisting field and an unknown object as Meta does', () => {
    const { call } = setup();
    const field = call('GET', '/v25.0/act_1000000001?fields=currency,bogus');
    expect([field.status, errorOf(field).code, errorOf(field).message]).toEqual([
      400,
      100,
      '(#100) Tried accessing nonexisting field (bogus) on node type (AdAccount)',
    ]);
    const unknown = call('GET', '/v25.0/999999');
    expect([unknown.status, errorOf(unknown).code, errorOf(unknown).error_subcode]).toEqual([400, 100, 33]);
  });

  it('pages ad sets with cursors and no next on the last page, budgets in minor units as strings', () => {
    const { call } = setup({ pageSize: 4 });
    const first = call('GET', '/v25.0/act_1000000001/adsets?fields=id,daily_budget,lifetime_budget&limit=100');
    const page1 = first.payload as { data: Record<string, unknown>[]; paging: { next: string; cursors: { after: string } } };
    expect(page1.data).toHaveLength(4);
    expect(page1.data[0]).toEqual({ id: BROAD, daily_budget: '40000', lifetime_budget: '0' });
    const next = new URL(page1.paging.next);
    expect(Object.fromEntries(next.searchParams)).toEqual({
      fields: 'id,daily_budget,lifetime_budget',
      limit: '100',
      access_token: TOKEN,
      after: page1.paging.cursors.after,
    });
    const second = call('GET', `${next.pathname}${next.search}`, {}, null);
    const page2 = second.payload as { data: { id: string }[]; paging: Record<string, unknown> };
    expect(page2.data.map((a) => a.id)).toEqual(['23850000000005', '23850000000006']);
    expect(page2.paging.next).toBeUndefined();
    expect(page2.paging.previous).toEqual(expect.any(String));
  });

  it('writes insights rows as strings with several purchase types for the same event', () => {
    const { call, market } = setup();
    const response = call('GET', '/v25.0/act_1000000001/insights', {
      level: 'adset',
      time_increment: '1',
      time_range: range('2026-10-05', '2026-10-05'),
      fields: 'adset_id,campaign_id,account_currency,spend,impressions,clicks,actions,action_values',
    });
    const truth = market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-05', '2026-10-05');
    const rows = (response.payload as { data: Record<string, unknown>[] }).data;
    expect(rows).toHaveLength(6);
    const row = truth[0];
    if (!row) throw new Error('no truth row');
    const purchases = String(row.conversions);
    const value = microsToDecimal(row.revenueMicros, 2);
    expect(rows[0]).toEqual({
      adset_id: row.adsetId,
      campaign_id: row.campaignId,
      account_currency: 'EUR',
      spend: microsToDecimal(row.spendMicros, 0),
      impressions: String(row.impressions),
      clicks: String(row.clicks),
      actions: [
        { action_type: 'link_click', value: String(Math.floor(row.clicks * 0.85)) },
        { action_type: 'landing_page_view', value: String(Math.floor(Math.floor(row.clicks * 0.85) * 0.7)) },
        { action_type: 'add_to_cart', value: String(row.conversions * 3 + (row.clicks % 7)) },
        { action_type: 'offsite_conversion.fb_pixel_purchase', value: purchases },
        { action_type: 'omni_purchase', value: purchases },
        { action_type: 'purchase', value: purchases },
      ],
      action_values: [
        { action_type: 'add_to_cart', value: expect.any(String) },
        { action_type: 'offsite_conversion.fb_pixel_purchase', value },
        { action_type: 'omni_purchase', value },
        { action_type: 'purchase', value },
      ],
      date_start: '2026-10-05',
      date_stop: '2026-10-05',
    });
  });

  it('leaves out days without delivery', () => {
    const { call, market } = setup();
    market.stopDelivery(BROAD, '2026-10-06');
    const response = call('GET', '/v25.0/act_1000000001/insights', {
      level: 'adset',
      time_increment: '1',
      time_range: range('2026-10-06', '2026-10-06'),
      fields: 'adset_id',
    });
    expect((response.payload as { data: { adset_id: string }[] }).data.map((r) => r.adset_id)).not.toContain(BROAD);
  });

  it('rejects a range ending in the future; today is allowed and returns nothing yet', () => {
    const { call } = setup();
    const future = call('GET', '/v25.0/act_1000000001/insights', {
      level: 'adset',
      time_increment: '1',
      time_range: range('2026-11-01', '2026-11-03'),
    });
    expect([future.status, errorOf(future).code, errorOf(future).type]).toEqual([400, 100, 'OAuthException']);
    const today = call('GET', '/v25.0/act_1000000001/insights', {
      level: 'adset',
      time_increment: '1',
      time_range: range('2026-11-02', '2026-11-02'),
    });
    expect([today.status, today.payload]).toEqual([200, { data: [] }]);
  });

  it('checks the access token (code 190) and sends usage headers on every answer', () => {
    const { call } = setup();
    const missing = call('GET', '/v25.0/act_1000000001?fields=name', {}, null);
    const wrong = call('GET', '/v25.0/act_1000000001?fields=name', {}, 'nope');
    const right = call('GET', '/v25.0/act_1000000001?fields=name');
    expect([missing, wrong, right].map((r) => [r.status, r.status === 200 ? null : errorOf(r).code])).toEqual([
      [400, 190],
      [400, 190],
      [200, null],
    ]);
    for (const r of [missing, wrong, right]) {
      for (const name of ['x-business-use-case-usage', 'x-ad-account-usage', 'x-app-usage'])
        expect(() => JSON.parse(r.headers[name] ?? '')).not.toThrow();
    }
    expect(errorOf(missing)).toEqual({
      message: 'An active access token must be used to query information about the current user.',
      type: 'OAuthException',
      code: 190,
      is_transient: false,
      fbtrace_id: expect.stringMatching(/^[A-Za-z0-9]{11}$/),
    });
  });
});

describe('fake Graph API: budget writes', () => {
  it('changes the budget from the next day and reads it back at once', () => {
    const { call, market } = setup();
    const write = call('POST', `/v25.0/${BROAD}`, { daily_budget: '45000' });
    expect([write.status, write.payload]).toEqual([200, { success: true }]);
    expect(call('GET', `/v25.0/${BROAD}?fields=daily_budget,status`).payload).toEqual({
      daily_budget: '45000',
      status: 'ACTIVE',
      id: BROAD,
    });
    expect([market.budgetOn(BROAD, '2026-11-02'), market.budgetOn(BROAD, '2026-11-03')]).toEqual([400 * EUR, 450 * EUR]);
  });

  it('validate_only validates and changes nothing (and does not count toward the hourly limit)', () => {
    const { call, market } = setup();
    for (let i = 0; i < 6; i++) {
      const r = call('POST', `/v25.0/${BROAD}`, { daily_budget: 45000 + i, execution_options: ['validate_only'] });
      expect([r.status, r.payload]).toEqual([200, { success: true }]);
    }
    const tooLow = call('POST', `/v25.0/${BROAD}`, { daily_budget: '99', execution_options: '["validate_only"]' });
    expect([tooLow.status, errorOf(tooLow).code]).toEqual([400, 100]);
    expect(market.adset(BROAD).dailyBudgetMicros).toBe(400 * EUR);
    expect(call('POST', `/v25.0/${BROAD}`, { daily_budget: 46000 }).status).toBe(200);
  });

  it('allows 4 budget changes per ad set per hour, refuses the 5th with code 17 / 2446079, then allows again', () => {
    const { call, clock, market } = setup();
    const statuses = [41000, 42000, 43000, 44000].map((b) => call('POST', `/v25.0/${BROAD}`, { daily_budget: b }).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const fifth = call('POST', `/v25.0/${BROAD}`, { daily_budget: 45000 });
    expect([fifth.status, errorOf(fifth).code, errorOf(fifth).error_subcode, errorOf(fifth).message]).toEqual([
      400,
      17,
      2446079,
      '(#17) User request limit reached',
    ]);
    expect(JSON.parse(fifth.headers['x-business-use-case-usage'] ?? '')).toEqual({
      '1000000001': [expect.objectContaining({ type: 'ads_management', estimated_time_to_regain_access: 60 })],
    });
    expect(market.adset(BROAD).dailyBudgetMicros).toBe(440 * EUR);
    expect(call('POST', '/v25.0/23850000000002', { daily_budget: 31000 }).status).toBe(200);
    clock.advance(60 * 60_000 + 1);
    expect(call('POST', `/v25.0/${BROAD}`, { daily_budget: 45000 }).status).toBe(200);
  });

  it('refuses a budget below the minimum, a non-integer, an unknown parameter and an unknown status', () => {
    const { call } = setup();
    const codes = [{ daily_budget: '99' }, { daily_budget: '123.45' }, { dailyBudget: '12345' }, { status: 'RUNNING' }].map((params) => {
      const r = call('POST', `/v25.0/${BROAD}`, params);
      return [r.status, errorOf(r).code];
    });
    expect(codes).toEqual([
      [400, 100],
      [400, 100],
      [400, 100],
      [400, 100],
    ]);
  });

  it('shows no budget on a CBO ad set and refuses to set one there', () => {
    const clock = new ManualClock('2026-11-02T07:00:00Z');
    const sample = sampleMarket(1, clock);
    const market = new MarketSimulator({
      seed: 1,
      clock,
      accounts: [sample.account(SAMPLE_ACCOUNT_ID)],
      adsets: [{ ...sample.adsetConfig(BROAD), budgetLevel: 'campaign' }],
    });
    const api = new FakeGraphApi({ market });
    const url = (path: string) => new URL(`http://127.0.0.1:1${path}`);
    const read = api.handle({
      method: 'GET',
      url: url(`/v25.0/${BROAD}`),
      params: { fields: 'id,daily_budget,lifetime_budget' },
      index: 1,
    });
    expect(read.payload).toEqual({ id: BROAD });
    const write = api.handle({ method: 'POST', url: url(`/v25.0/${BROAD}`), params: { daily_budget: '50000' }, index: 2 });
    expect([write.status, errorOf(write).code, errorOf(write).error_user_title]).toEqual([400, 100, "Can't Set Ad Set Budget"]);
  });

  it('pauses through status=PAUSED from the next day', () => {
    const { call, market } = setup();
    expect(call('POST', `/v25.0/${BROAD}`, { status: 'PAUSED' }).status).toBe(200);
    expect([market.statusOn(BROAD, '2026-11-02'), market.statusOn(BROAD, '2026-11-03')]).toEqual(['ACTIVE', 'PAUSED']);
  });
});

describe('fake Graph API: status writes', () => {
  it('pauses and re-activates an ad set: GET shows it at once, the market from the next day; the same status again is accepted', () => {
    const { call, market } = setup();
    const today = market.today(SAMPLE_ACCOUNT_ID);
    const tomorrow = addDays(today, 1);
    expect([call('POST', `/v25.0/${BROAD}`, { status: 'PAUSED' }).payload]).toEqual([{ success: true }]);
    expect(call('GET', `/v25.0/${BROAD}?fields=id,status,effective_status`).payload).toEqual({
      id: BROAD,
      status: 'PAUSED',
      effective_status: 'PAUSED',
    });
    expect(market.statusOn(BROAD, tomorrow)).toBe('PAUSED');
    for (let i = 0; i < 2; i++) expect(call('POST', `/v25.0/${BROAD}`, { status: 'ACTIVE' }).status).toBe(200);
    expect([market.statusOn(BROAD, today), market.statusOn(BROAD, tomorrow)]).toEqual(['ACTIVE', 'ACTIVE']);
  });

  it('does not count status writes toward the 4 budget changes per hour', () => {
    const { call } = setup();
    const statuses = ['PAUSED', 'ACTIVE', 'PAUSED', 'ACTIVE', 'PAUSED', 'ACTIVE'].map(
      (status) => call('POST', `/v25.0/${BROAD}`, { status }).status,
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('an ARCHIVED ad set may only become DELETED; a DELETED one cannot change (code 100), nor take a budget', () => {
    const { call, market } = setup();
    const tomorrow = addDays(market.today(SAMPLE_ACCOUNT_ID), 1);
    market.setStatus(BROAD, 'ARCHIVED');
    const refused = call('POST', `/v25.0/${BROAD}`, { status: 'ACTIVE' });
    expect([refused.status, errorOf(refused).code, errorOf(refused).error_user_title, errorOf(refused).error_user_msg]).toEqual([
      400,
      100,
      "Can't Edit Archived Ad Set",
      "This ad set is archived, so you can't change its status to ACTIVE.",
    ]);
    expect(errorOf(call('POST', `/v25.0/${BROAD}`, { daily_budget: '45000' })).code).toBe(100);
    expect(call('POST', `/v25.0/${BROAD}`, { status: 'ARCHIVED' }).status).toBe(200);
    expect(market.statusOn(BROAD, tomorrow)).toBe('ARCHIVED');
    expect(call('POST', `/v25.0/${BROAD}`, { status: 'DELETED' }).status).toBe(200);
    const deleted = call('POST', `/v25.0/${BROAD}`, { status: 'PAUSED' });
    expect([deleted.status, errorOf(deleted).code, errorOf(deleted).error_user_title]).toEqual([400, 100, "Can't Edit Deleted Ad Set"]);
    expect(market.statusOn(BROAD, tomorrow)).toBe('DELETED');
  });
});
