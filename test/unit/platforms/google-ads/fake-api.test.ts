import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../lib/model/dates.ts';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { SimulationError } from '../../../../lib/sim/errors.ts';
import { FakeGoogleAdsApi, type FakeGoogleAdsApiOptions, type GoogleAdsResponse, ownBudgetId } from '../../../../lib/sim/google-ads/api.ts';
import { googleJson } from '../../../../lib/sim/google-ads/wire.ts';
import { MarketSimulator } from '../../../../lib/sim/market.ts';
import {
  googleMarket,
  googleMarketConfig,
  JP_CUSTOMER,
  MANAGER_CUSTOMER,
  SHARED_BUDGET_ID,
  SHARED_BUDGETS,
  US_CUSTOMER,
} from '../../../fixtures/google-ads/market.ts';

const TOKEN = 'ya29.fake';
const USD = 1_000_000;
const SEARCH = `/v26/customers/${US_CUSTOMER}/googleAds:searchStream`;
const MUTATE = `/v26/customers/${US_CUSTOMER}/campaignBudgets:mutate`;

function setup(options: Partial<FakeGoogleAdsApiOptions> = {}) {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = googleMarket(clock);
  const api = new FakeGoogleAdsApi({ market, accessToken: TOKEN, sharedBudgets: SHARED_BUDGETS, ...options });
  let index = 0;
  const call = (path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): GoogleAdsResponse =>
    api.handle({ method: 'POST', path, headers, body, index: ++index });
  /** Every row of a searchStream answer (fails on an error). */
  const rows = (query: string, path = SEARCH): Record<string, Record<string, unknown>>[] => {
    const response = call(path, { query });
    if (response.status !== 200 || !response.stream) throw new Error(`query failed: ${googleJson(response.payload)}`);
    return response.stream.flatMap((b) => (b as { results?: Record<string, Record<string, unknown>>[] }).results ?? []);
  };
  return { clock, market, api, call, rows };
}

/** `[{error}]` of a searchStream, `{error}` elsewhere: the error object with its first GoogleAdsError code. */
function errorOf(response: GoogleAdsResponse): { http: number; status: unknown; code: unknown } {
  const body = (Array.isArray(response.payload) ? response.payload[0] : response.payload) as {
    error: { status: string; details?: { errors?: { errorCode: unknown }[]; fieldViolations?: unknown[] }[] };
  };
  return {
    http: response.status,
    status: body.error.status,
    code: body.error.details?.[0]?.errors?.[0]?.errorCode ?? body.error.details?.[0]?.fieldViolations,
  };
}

describe('fake Google Ads API: reads', () => {
  it('streams the customer as a JSON array of batches with fieldMask, requestId and resource names', () => {
    const { call } = setup();
    const response = call(SEARCH, { query: 'SELECT customer.id, customer.currency_code, customer.time_zone FROM customer' });
    expect(response.status).toBe(200);
    expect(response.headers['request-id']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(response.stream).toEqual([
      {
        results: [
          { customer: { resourceName: `customers/${US_CUSTOMER}`, id: US_CUSTOMER, currencyCode: 'USD', timeZone: 'America/Los_Angeles' } },
        ],
        fieldMask: 'customer.id,customer.currencyCode,customer.timeZone',
        requestId: response.headers['request-id'],
        queryResourceConsumption: '11',
      },
    ]);
  });

  it('serves metrics per campaign per day equal to the market, int64 as strings and doubles with a decimal point', () => {
    const { market, call, rows } = setup();
    const query =
      "SELECT campaign.id, segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM campaign WHERE segments.date BETWEEN '2026-10-20' AND '2026-10-31'";
    const truth = market.reportedResults(US_CUSTOMER, '2026-10-20', '2026-10-31');
    const served = rows(query);
    expect(truth.length).toBeGreaterThan(20);
    expect(served.map((r) => JSON.parse(googleJson(r)))).toEqual(
      truth.map((t) => ({
        campaign: { resourceName: `customers/${US_CUSTOMER}/campaigns/${t.adsetId}`, id: t.adsetId },
        segments: { date: t.date },
        metrics: {
          impressions: String(t.impressions),
          clicks: String(t.clicks),
          costMicros: String(t.spendMicros),
          conversions: t.conversions,
          conversionsValue: t.revenueMicros / USD,
        },
      })),
    );
    // The paused campaign has no delivery: its all-zero rows are left out, as Google does.
    expect(served.some((r) => r.campaign?.id === '111000003')).toBe(false);
    expect(
      market.dailyResults(US_CUSTOMER, '2026-10-20', '2026-10-31', { includeZeroRows: true }).some((r) => r.adsetId === '111000003'),
    ).toBe(true);
    const text = googleJson(call(SEARCH, { query }).stream);
    expect(text).toMatch(/"conversions":\d+\.\d/);
    expect(text).not.toMatch(/"conversions":\d+[,}]/);
  });

  it('splits a large answer into batches and leaves `results` out of an empty one', () => {
    const { call } = setup({ rowsPerBatch: 2 });
    const stream = call(SEARCH, { query: 'SELECT campaign.id FROM campaign' }).stream as Record<string, unknown>[];
    expect(stream.map((b) => (b.results as unknown[] | undefined)?.length)).toEqual([2, 2, 1]);
    const empty = call(SEARCH, { query: 'SELECT campaign.id FROM campaign WHERE campaign.id = 42' }).stream as Record<string, unknown>[];
    expect(empty).toHaveLength(1);
    expect(Object.keys(empty[0] ?? {}).sort()).toEqual(['fieldMask', 'queryResourceConsumption', 'requestId']);
  });

  it('gives every campaign its own budget, and the shared one to its members', () => {
    const { rows } = setup();
    const served = rows(
      'SELECT campaign.id, campaign.status, campaign_budget.id, campaign_budget.amount_micros, campaign_budget.explicitly_shared, campaign_budget.reference_count, campaign_budget.period FROM campaign ORDER BY campaign.id',
    );
    const budgetOf = (id: string, amount: number, shared = false, refs = '1') => ({
      resourceName: `customers/${US_CUSTOMER}/campaignBudgets/${id}`,
      id,
      amountMicros: String(amount),
      explicitlyShared: shared,
      referenceCount: refs,
      period: 'DAILY',
    });
    expect(served.map((r) => [r.campaign?.id, r.campaign?.status, r.campaignBudget])).toEqual([
      ['111000001', 'ENABLED', budgetOf(ownBudgetId('111000001'), 150 * USD)],
      ['111000002', 'ENABLED', budgetOf(ownBudgetId('111000002'), 300 * USD)],
      ['111000003', 'PAUSED', budgetOf(ownBudgetId('111000003'), 80 * USD)],
      ['111000004', 'ENABLED', budgetOf(SHARED_BUDGET_ID, 150 * USD, true, '2')],
      ['111000005', 'ENABLED', budgetOf(SHARED_BUDGET_ID, 150 * USD, true, '2')],
    ]);
  });

  it('filters, orders and limits: enums quoted or not, IN, DURING, int64 comparisons', () => {
    const { market, rows } = setup();
    const ids = (query: string) => rows(query).map((r) => r.campaign?.id);
    expect(ids("SELECT campaign.id FROM campaign WHERE campaign.status = 'PAUSED'")).toEqual(['111000003']);
    expect(ids('SELECT campaign.id FROM campaign WHERE campaign.status != PAUSED AND campaign.id > 111000002')).toEqual([
      '111000004',
      '111000005',
    ]);
    expect(ids('SELECT campaign.id FROM campaign WHERE campaign.id IN (111000005, 111000001) ORDER BY campaign.id DESC')).toEqual([
      '111000005',
      '111000001',
    ]);
    expect(ids('SELECT campaign.id FROM campaign ORDER BY campaign.id DESC LIMIT 2')).toEqual(['111000005', '111000004']);
    const today = market.today(US_CUSTOMER);
    const during = rows('SELECT campaign.id, segments.date, metrics.clicks FROM campaign WHERE segments.date DURING LAST_7_DAYS');
    const between = rows(
      `SELECT campaign.id, segments.date, metrics.clicks FROM campaign WHERE segments.date BETWEEN '${addDays(today, -7)}' AND '${addDays(today, -1)}'`,
    );
    expect(during).toEqual(between);
    expect(during.length).toBeGreaterThan(0);
  });

  it('answers the currency constants with the billable unit', () => {
    const { rows } = setup({ billableUnitMicros: { USD: 50_000 } });
    const unit = (code: string) =>
      rows(
        `SELECT currency_constant.code, currency_constant.billable_unit_micros FROM currency_constant WHERE currency_constant.code = '${code}'`,
      )[0]?.currencyConstant;
    expect([unit('USD'), unit('JPY'), unit('EUR')]).toEqual([
      { resourceName: 'currencyConstants/USD', code: 'USD', billableUnitMicros: '50000' },
      { resourceName: 'currencyConstants/JPY', code: 'JPY', billableUnitMicros: '1000000' },
      { resourceName: 'currencyConstants/EUR', code: 'EUR', billableUnitMicros: '10000' },
    ]);
  });

  it('refuses queries as the real API does, with the QueryError', () => {
    const { call } = setup();
    const q = (query: string) => errorOf(call(SEARCH, { query }));
    const invalid = (code: string) => ({ http: 400, status: 'INVALID_ARGUMENT', code: { queryError: code } });
    expect(q('SELECT campaign.bogus FROM campaign')).toEqual(invalid('UNRECOGNIZED_FIELD'));
    expect(q('SELECT ad_group.id FROM ad_group')).toEqual(invalid('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE'));
    expect(q('SELECT customer.id, metrics.clicks FROM customer')).toEqual(invalid('PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE'));
    expect(q('SELECT campaign.id, segments.date, metrics.clicks FROM campaign')).toEqual(invalid('EXPECTED_FILTERS_ON_DATE_RANGE'));
    expect(q("SELECT campaign.id, segments.date, metrics.clicks FROM campaign WHERE segments.date >= '2026-10-01'")).toEqual(
      invalid('EXPECTED_FILTERS_ON_DATE_RANGE'),
    );
    expect(q("SELECT campaign.id, segments.date FROM campaign WHERE segments.date BETWEEN '2026-10-05' AND '2026-10-01'")).toEqual(
      invalid('DATE_RANGE_TOO_NARROW'),
    );
    expect(q("SELECT campaign.id, segments.date FROM campaign WHERE segments.date BETWEEN '2026-10-01' AND '10/05/2026'")).toEqual(
      invalid('INVALID_DATE_FORMAT'),
    );
    expect(q("SELECT campaign.id FROM campaign WHERE campaign.status = 'LIVE'")).toEqual(invalid('BAD_ENUM_CONSTANT'));
    expect(q('SELECT campaign.id FROM campaign WHERE campaign.name = Brand')).toEqual(invalid('INVALID_STRING_VALUE'));
    expect(q('SELECT campaign.id FROM campaign WHERE campaign.status > ENABLED')).toEqual(invalid('OPERATOR_FIELD_MISMATCH'));
    expect(q('SELECT campaign.id, metrics.clicks FROM campaign')).toEqual(invalid('QUERY_ERROR'));
    expect(q('SELECT campaign.id FROM campaign ORDER BY campaign.name')).toEqual(invalid('EXPECTED_REFERENCED_FIELD_IN_SELECT_CLAUSE'));
    expect(q('')).toEqual({ http: 400, status: 'INVALID_ARGUMENT', code: { requestError: 'REQUIRED_FIELD_MISSING' } });
  });
});

describe('fake Google Ads API: market checks', () => {
  it('refuses google-ads ad sets that are not campaigns, and shared budgets over unknown or shared campaigns', () => {
    const clock = new ManualClock('2026-11-02T07:00:00Z');
    const config = googleMarketConfig();
    const adsetLevel = new MarketSimulator({
      ...config,
      clock,
      adsets: config.adsets.map((a, i) => (i === 0 ? { ...a, budgetLevel: 'adset' as const } : a)),
    });
    expect(() => new FakeGoogleAdsApi({ market: adsetLevel })).toThrow(SimulationError);
    const market = new MarketSimulator({ ...config, clock });
    expect(() => new FakeGoogleAdsApi({ market, sharedBudgets: [{ budgetId: '7', campaignIds: ['999'] }] })).toThrow(SimulationError);
    const twice = [
      { budgetId: '7', campaignIds: ['111000001'] },
      { budgetId: '8', campaignIds: ['111000001'] },
    ];
    expect(() => new FakeGoogleAdsApi({ market, sharedBudgets: twice })).toThrow(SimulationError);
    expect(() => new FakeGoogleAdsApi({ market, sharedBudgets: [{ budgetId: '7', campaignIds: ['111000001', '222000001'] }] })).toThrow(
      SimulationError,
    );
  });
});

describe('fake Google Ads API: auth, routes and faults', () => {
  it('wants the bearer token; the developer token is optional but must be right when sent', () => {
    const { call } = setup({ developerToken: 'dev-123' });
    const q = { query: 'SELECT customer.id FROM customer' };
    expect(errorOf(call(SEARCH, q, {}))).toEqual({
      http: 401,
      status: 'UNAUTHENTICATED',
      code: { authenticationError: 'OAUTH_TOKEN_HEADER_INVALID' },
    });
    expect(errorOf(call(SEARCH, q, { authorization: 'Bearer nope' }))).toEqual({
      http: 401,
      status: 'UNAUTHENTICATED',
      code: { authenticationError: 'OAUTH_TOKEN_INVALID' },
    });
    expect(errorOf(call(SEARCH, q, { authorization: `Bearer ${TOKEN}`, developerToken: 'dev-999' }))).toEqual({
      http: 401,
      status: 'UNAUTHENTICATED',
      code: { authenticationError: 'DEVELOPER_TOKEN_INVALID' },
    });
    expect(call(SEARCH, q, { authorization: `Bearer ${TOKEN}`, developerToken: 'dev-123' }).status).toBe(200);
    expect(call(SEARCH, q, { authorization: `Bearer ${TOKEN}` }).status).toBe(200);
  });

  it('reaches client customers only through the configured manager in login-customer-id', () => {
    const { call } = setup({ loginCustomerId: MANAGER_CUSTOMER });
    const q = { query: 'SELECT customer.id FROM customer' };
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect(errorOf(call(SEARCH, q, auth))).toEqual({
      http: 403,
      status: 'PERMISSION_DENIED',
      code: { authorizationError: 'USER_PERMISSION_DENIED' },
    });
    expect(errorOf(call(SEARCH, q, { ...auth, loginCustomerId: '5555555555' }))).toEqual({
      http: 403,
      status: 'PERMISSION_DENIED',
      code: { authorizationError: 'INVALID_LOGIN_CUSTOMER_ID_SERVING_CUSTOMER_ID_COMBINATION' },
    });
    expect(errorOf(call(SEARCH, q, { ...auth, loginCustomerId: '111-222-3334' }))).toEqual({
      http: 400,
      status: 'INVALID_ARGUMENT',
      code: { headerError: 'INVALID_LOGIN_CUSTOMER_ID' },
    });
    expect(call(SEARCH, q, { ...auth, loginCustomerId: MANAGER_CUSTOMER }).status).toBe(200);
  });

  it('answers unknown customers with 403, malformed ids with 400, unknown routes with Google’s 404 page', () => {
    const { api, call } = setup();
    const q = { query: 'SELECT customer.id FROM customer' };
    expect(errorOf(call('/v26/customers/5555555555/googleAds:searchStream', q))).toMatchObject({
      http: 403,
      code: { authorizationError: 'USER_PERMISSION_DENIED' },
    });
    expect(errorOf(call('/v26/customers/123-456-7890/googleAds:searchStream', q))).toMatchObject({
      http: 400,
      code: { requestError: 'INVALID_CUSTOMER_ID' },
    });
    const notFound = call('/v26/customers/1234567890/adGroups:mutate', {});
    expect([notFound.status, notFound.headers['content-type'], notFound.text?.includes('Error 404 (Not Found)!!1')]).toEqual([
      404,
      'text/html; charset=UTF-8',
      true,
    ]);
    expect(api.handle({ method: 'GET', path: SEARCH, headers: {}, body: undefined, index: 99 }).status).toBe(404);
    expect(errorOf(call(SEARCH, { query: 'SELECT customer.id FROM customer', pageSize: 10 }))).toMatchObject({
      http: 400,
      status: 'INVALID_ARGUMENT',
    });
  });

  it('renders faults in Google’s own signals, wrapped in an array on searchStream', () => {
    const { api } = setup();
    const request = { method: 'POST', path: SEARCH, headers: {}, body: {}, index: 7 };
    const throttle = api.faultResponse(request, { kind: 'throttle', minutes: 0.05 });
    expect(throttle.status).toBe(429);
    expect(throttle.payload).toEqual([
      {
        error: {
          code: 429,
          message: 'Resource has been exhausted (e.g. check quota).',
          status: 'RESOURCE_EXHAUSTED',
          details: [
            {
              '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure',
              errors: [
                {
                  errorCode: { quotaError: 'RESOURCE_EXHAUSTED' },
                  message: 'Too many requests. Retry in 3 seconds.',
                  details: { quotaErrorDetails: { rateScope: 'ACCOUNT', rateName: 'Requests per account per minute', retryDelay: '3s' } },
                },
              ],
              requestId: throttle.headers['request-id'],
            },
          ],
        },
      },
    ]);
    expect(errorOf(api.faultResponse(request, { kind: 'server-error' }))).toEqual({
      http: 500,
      status: 'INTERNAL',
      code: { internalError: 'INTERNAL_ERROR' },
    });
    expect(errorOf(api.faultResponse(request, { kind: 'server-error', status: 503 }))).toEqual({
      http: 503,
      status: 'UNAVAILABLE',
      code: { internalError: 'TRANSIENT_ERROR' },
    });
    const gateway = api.faultResponse(request, { kind: 'server-error', status: 502 });
    expect([gateway.status, gateway.text?.includes('Error 502 (Server Error)!!1')]).toEqual([502, true]);
    expect(errorOf(api.faultResponse(request, { kind: 'expired-token' }))).toEqual({
      http: 401,
      status: 'UNAUTHENTICATED',
      code: { authenticationError: 'OAUTH_TOKEN_EXPIRED' },
    });
    const mutateThrottle = api.faultResponse({ ...request, path: MUTATE }, { kind: 'throttle' });
    expect(Array.isArray(mutateThrottle.payload)).toBe(false);
  });
});

describe('fake Google Ads API: paged search', () => {
  it('pages with nextPageToken at the fixed page size and refuses pageSize and foreign tokens', () => {
    const { call } = setup({ rowsPerBatch: 2 });
    const path = `/v26/customers/${US_CUSTOMER}/googleAds:search`;
    const query = 'SELECT campaign.id FROM campaign';
    const ids: unknown[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = call(path, { query, ...(token ? { pageToken: token } : {}), returnTotalResultsCount: true }).payload as {
        results: { campaign: { id: string } }[];
        nextPageToken?: string;
        totalResultsCount: string;
      };
      ids.push(...page.results.map((r) => r.campaign.id));
      expect(page.totalResultsCount).toBe('5');
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect([pages, ids]).toEqual([3, ['111000001', '111000002', '111000003', '111000004', '111000005']]);
    expect(errorOf(call(path, { query, pageSize: 100 }))).toMatchObject({ http: 400, code: { requestError: 'PAGE_SIZE_NOT_SUPPORTED' } });
    expect(
      errorOf(call(path, { query: 'SELECT campaign.name FROM campaign', pageToken: Buffer.from('1:2').toString('base64url') })),
    ).toMatchObject({
      code: { requestError: 'INVALID_PAGE_TOKEN' },
    });
  });
});

describe('fake Google Ads API: campaign budget mutates', () => {
  const update = (budgetId: string, amountMicros: unknown, customer = US_CUSTOMER) => ({
    updateMask: 'amountMicros',
    update: { resourceName: `customers/${customer}/campaignBudgets/${budgetId}`, amountMicros },
  });

  it('writes the amount into the market from the next account-local day, and answers the resource name', () => {
    const { market, call } = setup();
    const budget = ownBudgetId('111000002');
    const response = call(MUTATE, { operations: [update(budget, '250000000')], partialFailure: false, validateOnly: false });
    expect([response.status, response.payload]).toEqual([
      200,
      { results: [{ resourceName: `customers/${US_CUSTOMER}/campaignBudgets/${budget}` }] },
    ]);
    const today = market.today(US_CUSTOMER);
    expect([
      market.adset('111000002').dailyBudgetMicros,
      market.budgetOn('111000002', today),
      market.budgetOn('111000002', addDays(today, 1)),
    ]).toEqual([250 * USD, 300 * USD, 250 * USD]);
  });

  it('validateOnly checks everything and changes nothing', () => {
    const { market, call } = setup();
    const budget = ownBudgetId('111000002');
    expect(call(MUTATE, { operations: [update(budget, '250000000')], validateOnly: true }).payload).toEqual({});
    expect(market.adset('111000002').dailyBudgetMicros).toBe(300 * USD);
    expect(errorOf(call(MUTATE, { operations: [update(budget, '250005000')], validateOnly: true }))).toMatchObject({
      code: { campaignBudgetError: 'NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT' },
    });
  });

  it('refuses amounts Google refuses: not billable, under the minimum, negative, not an int64', () => {
    const { market, call } = setup();
    const budget = ownBudgetId('111000001');
    const refuse = (amount: unknown) => errorOf(call(MUTATE, { operations: [update(budget, amount)] }));
    expect(refuse('123456789')).toEqual({
      http: 400,
      status: 'INVALID_ARGUMENT',
      code: { campaignBudgetError: 'NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT' },
    });
    expect(refuse('990000')).toEqual({
      http: 400,
      status: 'INVALID_ARGUMENT',
      code: { campaignBudgetError: 'BUDGET_BELOW_PER_DAY_MINIMUM' },
    });
    expect(refuse('-10000')).toEqual({ http: 400, status: 'INVALID_ARGUMENT', code: { campaignBudgetError: 'NEGATIVE_MONEY_AMOUNT' } });
    expect(refuse('12.5')).toEqual({
      http: 400,
      status: 'INVALID_ARGUMENT',
      code: [
        {
          field: 'operations[0].update.amount_micros',
          description: `Invalid value at 'operations[0].update.amount_micros' (TYPE_INT64), "12.5"`,
        },
      ],
    });
    const minimum = call(MUTATE, { operations: [update(budget, '990000')] }).payload as {
      error: { details: { errors: { details: unknown; location: unknown }[] }[] };
    };
    expect(minimum.error.details[0]?.errors[0]).toMatchObject({
      location: { fieldPathElements: [{ fieldName: 'operations', index: 0 }, { fieldName: 'update' }, { fieldName: 'amount_micros' }] },
      details: {
        budgetPerDayMinimumErrorDetails: { currencyCode: 'USD', budgetPerDayMinimumMicros: '1000000', failedBudgetAmountMicros: '990000' },
      },
    });
    expect(market.adset('111000001').dailyBudgetMicros).toBe(150 * USD);
  });

  it('refuses unknown budgets, other customers’ budgets, bad masks and other operations', () => {
    const { call } = setup();
    const own = ownBudgetId('111000001');
    const code = (operation: unknown) => errorOf(call(MUTATE, { operations: [operation] })).code;
    expect(code(update('42', '1000000'))).toEqual({ mutateError: 'RESOURCE_NOT_FOUND' });
    expect(code(update(ownBudgetId('222000001'), '1000000', JP_CUSTOMER))).toEqual({ mutateError: 'RESOURCE_NOT_FOUND' });
    expect(code({ update: { resourceName: 'campaignBudgets/1', amountMicros: '1000000' }, updateMask: 'amountMicros' })).toEqual({
      requestError: 'RESOURCE_NAME_MALFORMED',
    });
    expect(code({ update: { resourceName: `customers/${US_CUSTOMER}/campaignBudgets/${own}`, amountMicros: '1000000' } })).toEqual({
      fieldMaskError: 'FIELD_MASK_MISSING',
    });
    expect(code({ ...update(own, '1000000'), updateMask: 'amountMicros,name' })).toEqual({ mutateError: 'MUTATE_NOT_ALLOWED' });
    expect(code({ ...update(own, '1000000'), updateMask: 'amount' })).toEqual({ fieldMaskError: 'FIELD_NOT_FOUND' });
    expect(code({ create: { amountMicros: '1000000' } })).toEqual({ mutateError: 'MUTATE_NOT_ALLOWED' });
    expect(errorOf(call(MUTATE, { operations: [] })).code).toEqual({ requestError: 'OPERATION_REQUIRED' });
  });

  it('partialFailure applies the good operations and reports the bad ones', () => {
    const { market, call } = setup();
    const response = call(MUTATE, {
      operations: [update(ownBudgetId('111000001'), '170000000'), update('42', '1000000')],
      partialFailure: true,
    });
    const payload = response.payload as {
      results: unknown[];
      partialFailureError: { code: number; details: { errors: { errorCode: unknown }[] }[] };
    };
    expect(payload.results).toEqual([{ resourceName: `customers/${US_CUSTOMER}/campaignBudgets/${ownBudgetId('111000001')}` }, {}]);
    expect([payload.partialFailureError.code, payload.partialFailureError.details[0]?.errors[0]?.errorCode]).toEqual([
      3,
      { mutateError: 'RESOURCE_NOT_FOUND' },
    ]);
    expect(market.adset('111000001').dailyBudgetMicros).toBe(170 * USD);
  });

  it('a shared budget write is split over its campaigns in proportion to their shares', () => {
    const { market, call } = setup();
    expect(call(MUTATE, { operations: [update(SHARED_BUDGET_ID, '300000000')] }).status).toBe(200);
    expect([market.adset('111000004').dailyBudgetMicros, market.adset('111000005').dailyBudgetMicros]).toEqual([200 * USD, 100 * USD]);
  });
});

describe('fake Google Ads API: campaign status mutates', () => {
  const CAMPAIGNS = `/v26/customers/${US_CUSTOMER}/campaigns:mutate`;
  const pause = (campaignId: string, status: unknown = 'PAUSED', customer = US_CUSTOMER) => ({
    updateMask: 'status',
    update: { resourceName: `customers/${customer}/campaigns/${campaignId}`, status },
  });
  const statusOf = (rows: (query: string) => Record<string, Record<string, unknown>>[], id: string) =>
    rows(`SELECT campaign.id, campaign.status FROM campaign WHERE campaign.id = ${id}`)[0]?.campaign?.status;

  it('pauses a campaign: GAQL shows PAUSED at once, the market pauses it from the next account-local day', () => {
    const { market, call, rows } = setup();
    const response = call(CAMPAIGNS, { operations: [pause('111000002')], partialFailure: false, validateOnly: false });
    expect([response.status, response.payload]).toEqual([
      200,
      { results: [{ resourceName: `customers/${US_CUSTOMER}/campaigns/111000002` }] },
    ]);
    const today = market.today(US_CUSTOMER);
    expect(statusOf(rows, '111000002')).toBe('PAUSED');
    expect([market.statusOn('111000002', today), market.statusOn('111000002', addDays(today, 1))]).toEqual(['ACTIVE', 'PAUSED']);
  });

  it('enables a paused campaign, and writing the status it already has is accepted', () => {
    const { market, call, rows } = setup();
    for (let i = 0; i < 2; i++) expect(call(CAMPAIGNS, { operations: [pause('111000003', 'ENABLED')] }).status).toBe(200);
    expect(statusOf(rows, '111000003')).toBe('ENABLED');
    expect(market.statusOn('111000003', addDays(market.today(US_CUSTOMER), 1))).toBe('ACTIVE');
  });

  it('validateOnly checks and changes nothing', () => {
    const { market, call } = setup();
    expect(call(CAMPAIGNS, { operations: [pause('111000002')], validateOnly: true }).payload).toEqual({});
    expect(market.adset('111000002').status).toBe('ACTIVE');
  });

  it('refuses a removed campaign (ContextError), REMOVED by update, unknown values, campaigns and masks', () => {
    const { market, call } = setup();
    market.setStatus('111000001', 'DELETED');
    const code = (operation: unknown) => errorOf(call(CAMPAIGNS, { operations: [operation] })).code;
    expect(code(pause('111000001', 'ENABLED'))).toEqual({ contextError: 'OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE' });
    expect(code(pause('111000002', 'REMOVED'))).toEqual({ mutateError: 'MUTATE_NOT_ALLOWED' });
    expect(code(pause('111000002', 'RUNNING'))).toEqual([
      {
        field: 'operations[0].update.status',
        description: `Invalid value at 'operations[0].update.status' (type.googleapis.com/google.ads.googleads.v26.enums.CampaignStatusEnum.CampaignStatus), "RUNNING"`,
      },
    ]);
    expect(code(pause('42'))).toEqual({ mutateError: 'RESOURCE_NOT_FOUND' });
    expect(code(pause('222000001', 'PAUSED', JP_CUSTOMER))).toEqual({ mutateError: 'RESOURCE_NOT_FOUND' });
    expect(code({ ...pause('111000002'), updateMask: 'status,name' })).toEqual({ mutateError: 'MUTATE_NOT_ALLOWED' });
    expect(code({ ...pause('111000002'), updateMask: 'state' })).toEqual({ fieldMaskError: 'FIELD_NOT_FOUND' });
    expect(
      code({ updateMask: 'status', update: { resourceName: `customers/${US_CUSTOMER}/campaignBudgets/1`, status: 'PAUSED' } }),
    ).toEqual({
      requestError: 'RESOURCE_NAME_MALFORMED',
    });
    expect(code({ remove: `customers/${US_CUSTOMER}/campaigns/111000002` })).toEqual({ mutateError: 'MUTATE_NOT_ALLOWED' });
    expect([market.adset('111000001').status, market.adset('111000002').status]).toEqual(['DELETED', 'ACTIVE']);
  });

  it('renders a throttle on the status mutate as 429 RESOURCE_EXHAUSTED with a retryDelay, and applies nothing', () => {
    const { market, api } = setup();
    const request = { method: 'POST', path: CAMPAIGNS, headers: {}, body: { operations: [pause('111000002')] }, index: 1 };
    const response = api.faultResponse(request, { kind: 'throttle' });
    expect(errorOf(response)).toEqual({ http: 429, status: 'RESOURCE_EXHAUSTED', code: { quotaError: 'RESOURCE_EXHAUSTED' } });
    expect(market.adset('111000002').status).toBe('ACTIVE');
  });
});
