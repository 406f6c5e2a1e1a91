import { describe, expect, it } from 'vitest';
import type { AdAccount, AdSet, DailyMetric } from '../../../../lib/model/ads.ts';
import {
  AuthError,
  MalformedResponseError,
  PlatformRequestError,
  RateLimitedError,
  TransientPlatformError,
} from '../../../../lib/platforms/errors.ts';
import { createGoogleAdsConnector, type GoogleAdsConnectorOptions } from '../../../../lib/platforms/google-ads/connector.ts';
import { GoogleAdsConnectorConfigError } from '../../../../lib/platforms/google-ads/errors.ts';
import { CUSTOMER_QUERY, campaignsQuery, dailyMetricsQuery } from '../../../../lib/platforms/google-ads/gaql.ts';
import type { Fetch } from '../../../../lib/platforms/port.ts';
import { exposedText, fixture, fixtureFetch, gaql, type Route, recordingSleep, rejection } from './fixture-fetch.ts';

const TOKEN = 'ya29.unit-secret-token';
const DEV_TOKEN = 'DEV-unit-secret';
const USD_ACCOUNT: AdAccount = {
  platform: 'google-ads',
  accountId: '1234567890',
  name: 'Acme Search – US',
  currency: 'USD',
  timezone: 'America/New_York',
};
const SEARCH = '/v26/customers/1234567890/googleAds:searchStream';
const MUTATE = '/v26/customers/1234567890/campaignBudgets:mutate';

function connector(routes: readonly Route[], options: Partial<GoogleAdsConnectorOptions> = {}) {
  const { fetch, calls } = fixtureFetch(routes);
  const { sleep, delays } = recordingSleep();
  const google = createGoogleAdsConnector({
    apiVersion: 'v26',
    accessToken: TOKEN,
    developerToken: DEV_TOKEN,
    fetch,
    sleep,
    random: () => 0,
    ...options,
  });
  return { google, calls, delays };
}

const ok = (name: string) => ({ body: fixture(name) });
const err = (status: number, name: string) => ({ status, body: fixture(name) });

function campaign(id: string, values: Partial<AdSet>): AdSet {
  return {
    platform: 'google-ads',
    accountId: '1234567890',
    adsetId: id,
    campaignId: id,
    name: '',
    campaignName: '',
    status: 'ACTIVE',
    currency: 'USD',
    dailyBudgetMicros: null,
    budgetLevel: 'campaign',
    learning: false,
    ...values,
  };
}

function metric(adsetId: string, date: string, values: Partial<DailyMetric>): DailyMetric {
  return {
    platform: 'google-ads',
    accountId: '1234567890',
    adsetId,
    campaignId: adsetId,
    date,
    currency: 'USD',
    spendMicros: 0,
    revenueMicros: 0,
    impressions: 0,
    clicks: 0,
    conversions: 0,
    ...values,
  };
}

const BRAND = campaign('111', { name: 'Brand', campaignName: 'Brand', dailyBudgetMicros: 50_000_000 });

describe('Google Ads connector: reads on documented payloads', () => {
  it('reads the customer through searchStream with the bearer token, developer-token and login-customer-id headers', async () => {
    const { google, calls } = connector([gaql('FROM customer', ok('customer.json'))], { loginCustomerId: '111-222-3334' });
    expect(await google.getAccount('123-456-7890')).toEqual(USD_ACCOUNT);
    expect(calls.map((c) => ({ method: c.method, path: c.url.pathname, body: c.body, headers: c.headers }))).toEqual([
      {
        method: 'POST',
        path: SEARCH,
        body: { query: CUSTOMER_QUERY },
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          authorization: `Bearer ${TOKEN}`,
          'developer-token': DEV_TOKEN,
          'login-customer-id': '1112223334',
        },
      },
    ]);
  });

  it('sends neither developer-token nor login-customer-id when not configured, and accepts "26" as the version', async () => {
    const { google, calls } = connector([gaql('FROM customer', ok('customer-jpy.json'))], { developerToken: '', apiVersion: '26' });
    expect(await google.getAccount('9876543210')).toEqual({
      platform: 'google-ads',
      accountId: '9876543210',
      name: 'Acme 日本',
      currency: 'JPY',
      timezone: 'Asia/Tokyo',
    });
    expect(calls[0]?.url.pathname).toBe('/v26/customers/9876543210/googleAds:searchStream');
    expect(Object.keys(calls[0]?.headers ?? {}).sort()).toEqual(['accept', 'authorization', 'content-type']);
  });

  it('refuses a time zone that is not IANA, naming the field', async () => {
    const { google } = connector([gaql('FROM customer', ok('customer-bad-timezone.json'))], { maxAttempts: 1 });
    const error = await rejection(google.getAccount('1234567890'));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('[0].results[0].customer.timeZone');
  });

  it('lists campaigns as ad sets: budgets on the campaign, shared and custom-period budgets not writable, learning from the bid strategy', async () => {
    const { google, calls } = connector([gaql('FROM campaign', ok('campaigns.json'))]);
    expect(await google.listAdSets(USD_ACCOUNT)).toEqual<AdSet[]>([
      campaign('111', {
        name: '<b>Brand</b> "Winter" & co 🚀 <script>alert(1)</script>',
        campaignName: '<b>Brand</b> "Winter" & co 🚀 <script>alert(1)</script>',
        dailyBudgetMicros: 50_000_000,
      }),
      campaign('112', { name: 'Generic – Shoes', campaignName: 'Generic – Shoes', dailyBudgetMicros: 123_450_000, learning: true }),
      campaign('113', { name: 'Shared A', campaignName: 'Shared A', dailyBudgetMicros: null }),
      campaign('114', { name: 'Black Friday total', campaignName: 'Black Friday total', status: 'PAUSED', dailyBudgetMicros: null }),
      campaign('115', { name: 'Old test', campaignName: 'Old test', status: 'DELETED', dailyBudgetMicros: 15_000_000, learning: true }),
      campaign('116', { name: 'Next-version status', campaignName: 'Next-version status', status: 'PAUSED', dailyBudgetMicros: null }),
    ]);
    expect(calls.map((c) => c.body)).toEqual([{ query: campaignsQuery() }]);
  });

  it('reads daily metrics over every batch: cost micros exact, conversion value to micros, conversions rounded half to even', async () => {
    const { google, calls } = connector([gaql('segments.date', ok('metrics.json'))]);
    expect(await google.fetchDailyMetrics(USD_ACCOUNT, '2026-10-01', '2026-10-02')).toEqual([
      metric('111', '2026-10-01', { spendMicros: 12_340_000, revenueMicros: 150_500_000, impressions: 1000, clicks: 50, conversions: 2 }),
      metric('112', '2026-10-01', {
        spendMicros: 5_339_500_000,
        revenueMicros: 33_333_333,
        impressions: 361_324,
        clicks: 7346,
        conversions: 2,
      }),
      // A day without delivery but with late conversions from earlier clicks: not all-zero, so Google sends it.
      metric('111', '2026-10-02', { revenueMicros: 210_250_000, conversions: 4 }),
      metric('112', '2026-10-02', { spendMicros: 10_000, impressions: 3, conversions: 1 }),
    ]);
    expect(calls.map((c) => c.body)).toEqual([{ query: dailyMetricsQuery('2026-10-01', '2026-10-02') }]);
  });

  it('a stream with no rows is an empty list', async () => {
    const { google } = connector([gaql('segments.date', ok('metrics-empty.json'))]);
    expect(await google.fetchDailyMetrics(USD_ACCOUNT, '2026-10-01', '2026-10-02')).toEqual([]);
  });

  it('a malformed row fails the whole read with the field named, after the retries', async () => {
    const { google, calls } = connector([gaql('segments.date', ok('metrics-malformed.json'))]);
    const error = await rejection(google.fetchDailyMetrics(USD_ACCOUNT, '2026-10-01', '2026-10-01'));
    expect(error).toBeInstanceOf(MalformedResponseError);
    const e = error as MalformedResponseError;
    expect({ field: e.field, platform: e.platform, endpoint: e.endpoint, retryable: e.retryable }).toEqual({
      field: '[0].results[1].metrics.costMicros',
      platform: 'google-ads',
      endpoint: `POST ${SEARCH}`,
      retryable: true,
    });
    expect(e.message).toBe(
      `Google Ads POST ${SEARCH}: unexpected value at [0].results[1].metrics.costMicros: Invalid input: expected string, received number`,
    );
    expect(calls).toHaveLength(4);
  });

  it('refuses rows outside the asked range and repeated rows', async () => {
    const batch = (rows: { id: string; date: string }[]) =>
      JSON.stringify([
        {
          results: rows.map(({ id, date }) => ({
            campaign: { resourceName: `customers/1234567890/campaigns/${id}`, id },
            metrics: { impressions: '1', clicks: '0', costMicros: '10000', conversions: 0, conversionsValue: 0 },
            segments: { date },
          })),
        },
      ]);
    const outside = connector([gaql('segments.date', { body: batch([{ id: '111', date: '2026-09-30' }]) })], { maxAttempts: 1 });
    const e1 = (await rejection(outside.google.fetchDailyMetrics(USD_ACCOUNT, '2026-10-01', '2026-10-02'))) as MalformedResponseError;
    expect([e1.name, e1.field]).toEqual(['MalformedResponseError', '[0].results[0].segments.date']);
    const repeated = connector(
      [
        gaql('segments.date', {
          body: batch([
            { id: '111', date: '2026-10-01' },
            { id: '111', date: '2026-10-01' },
          ]),
        }),
      ],
      { maxAttempts: 1 },
    );
    const e2 = (await rejection(repeated.google.fetchDailyMetrics(USD_ACCOUNT, '2026-10-01', '2026-10-02'))) as MalformedResponseError;
    expect([e2.name, e2.field]).toEqual(['MalformedResponseError', '[0].results[1]']);
  });

  it('an error element inside a 200 stream is a typed error, retried like any other', async () => {
    const { google, delays } = connector([gaql('segments.date', [ok('metrics-stream-error.json'), ok('metrics.json')])]);
    expect(await google.fetchDailyMetrics(USD_ACCOUNT, '2026-10-01', '2026-10-02')).toHaveLength(4);
    expect(delays).toEqual([500]);
    const failing = connector([gaql('segments.date', ok('metrics-stream-error.json'))], { maxAttempts: 1 });
    const error = await rejection(failing.google.fetchDailyMetrics(USD_ACCOUNT, '2026-10-01', '2026-10-02'));
    expect(error).toBeInstanceOf(TransientPlatformError);
    expect((error as TransientPlatformError).status).toBe(500);
  });
});

describe('Google Ads connector: retries and errors', () => {
  it('honours retryDelay of RESOURCE_EXHAUSTED before retrying', async () => {
    const { google, calls, delays } = connector([
      gaql('FROM customer', [err(429, 'error-resource-exhausted-short.json'), ok('customer.json')]),
    ]);
    expect(await google.getAccount('1234567890')).toEqual(USD_ACCOUNT);
    expect(calls).toHaveLength(2);
    expect(delays).toEqual([30_000]);
  });

  it('does not wait hours in a loop: a daily-quota retryDelay is thrown at once with its retryAfterMs', async () => {
    const { google, calls, delays } = connector([gaql('FROM customer', err(429, 'error-resource-exhausted.json'))]);
    const error = await rejection(google.getAccount('1234567890'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(40_591_000);
    expect([calls.length, delays]).toEqual([1, []]);
  });

  it('backs off exponentially on 5xx and proxy pages, then gives up with the last error', async () => {
    const html = { status: 502, body: fixture('error-502-page.txt'), contentType: 'text/html; charset=UTF-8' };
    const recovering = connector([
      gaql('FROM customer', [html, err(503, 'error-unavailable.json'), err(500, 'error-internal.json'), ok('customer.json')]),
    ]);
    expect(await recovering.google.getAccount('1234567890')).toEqual(USD_ACCOUNT);
    expect(recovering.delays).toEqual([500, 1000, 2000]);
    const failing = connector([gaql('FROM customer', err(503, 'error-unavailable.json'))]);
    const error = await rejection(failing.google.getAccount('1234567890'));
    expect(error).toBeInstanceOf(TransientPlatformError);
    expect(failing.calls).toHaveLength(4);
  });

  it('does not retry auth and request errors', async () => {
    const auth = connector([gaql('FROM customer', err(401, 'error-unauthenticated.json'))]);
    expect(await rejection(auth.google.getAccount('1234567890'))).toBeInstanceOf(AuthError);
    const query = connector([gaql('FROM customer', err(400, 'error-query.json'))]);
    expect(await rejection(query.google.getAccount('1234567890'))).toBeInstanceOf(PlatformRequestError);
    expect([auth.calls.length, query.calls.length]).toEqual([1, 1]);
  });

  it('a timeout and a dropped connection are transient, and never carry a token', async () => {
    const failing = (error: Error): Fetch => (async () => Promise.reject(error)) as unknown as Fetch;
    const timeout = createGoogleAdsConnector({
      apiVersion: 'v26',
      accessToken: TOKEN,
      developerToken: DEV_TOKEN,
      fetch: failing(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      timeoutMs: 1234,
      maxAttempts: 1,
    });
    const e1 = await rejection(timeout.getAccount('1234567890'));
    expect([(e1 as Error).name, (e1 as Error).message]).toEqual([
      'TransientPlatformError',
      `Google Ads POST ${SEARCH}: no answer within 1234 ms`,
    ]);
    const dropped = createGoogleAdsConnector({
      apiVersion: 'v26',
      accessToken: TOKEN,
      developerToken: DEV_TOKEN,
      fetch: failing(
        new TypeError(`fetch failed for Bearer ${TOKEN} developer-token ${DEV_TOKEN}`, { cause: new Error(`socket hang up ${TOKEN}`) }),
      ),
      maxAttempts: 1,
    });
    const e2 = await rejection(dropped.getAccount('1234567890'));
    expect(e2).toBeInstanceOf(TransientPlatformError);
    expect(exposedText(e2)).not.toContain(TOKEN);
    expect(exposedText(e2)).not.toContain(DEV_TOKEN);
    expect(exposedText(e2)).not.toContain('unit-secret');
  });

  it('scrubs tokens Google echoes back in an error', async () => {
    const body = JSON.stringify({
      error: { code: 400, message: `Bad header: Bearer ${TOKEN}; developer-token ${DEV_TOKEN}`, status: 'INVALID_ARGUMENT' },
    });
    const { google } = connector([gaql('FROM customer', { status: 400, body })]);
    const error = await rejection(google.getAccount('1234567890'));
    expect((error as Error).message).toBe(
      `Google Ads POST ${SEARCH}: INVALID_ARGUMENT: Bad header: Bearer [redacted]; developer-token [redacted]`,
    );
    expect(exposedText(error)).not.toContain('unit-secret');
  });

  it('refuses a bad configuration before sending anything', () => {
    const base = { accessToken: TOKEN, fetch: (async () => new Response('')) as unknown as Fetch };
    expect(() => createGoogleAdsConnector({ ...base, apiVersion: 'v26.0' })).toThrow(GoogleAdsConnectorConfigError);
    expect(() => createGoogleAdsConnector({ ...base, apiVersion: 'v26', accessToken: '' })).toThrow(GoogleAdsConnectorConfigError);
    expect(() => createGoogleAdsConnector({ ...base, apiVersion: 'v26', loginCustomerId: 'mcc-one' })).toThrow(
      GoogleAdsConnectorConfigError,
    );
    expect(() => createGoogleAdsConnector({ ...base, apiVersion: 'v26', baseUrl: 'not a url' })).toThrow(GoogleAdsConnectorConfigError);
  });
});

describe('Google Ads connector: campaign budgets', () => {
  const budgetRoutes = (mutate: Route['reply'], after = 'campaign-budget-after.json'): Route[] => [
    gaql('WHERE campaign.id = 111', [ok('campaign-budget-before.json'), ok(after)]),
    gaql('FROM currency_constant', ok('currency-usd.json')),
    { method: 'campaignBudgets:mutate', reply: mutate },
  ];

  it('reads the budget, rounds down to the billable unit, mutates amountMicros and reads it back', async () => {
    const { google, calls } = connector(budgetRoutes(ok('mutate-success.json')));
    expect(await google.setDailyBudget(BRAND, 123_456_789)).toEqual({ appliedMicros: 123_450_000, readBackMicros: 123_450_000 });
    expect(calls.map((c) => [c.url.pathname, c.body])).toEqual([
      [SEARCH, { query: expect.stringContaining('WHERE campaign.id = 111') }],
      [SEARCH, { query: expect.stringContaining("currency_constant.code = 'USD'") }],
      [
        MUTATE,
        {
          operations: [
            { updateMask: 'amountMicros', update: { resourceName: 'customers/1234567890/campaignBudgets/333', amountMicros: '123450000' } },
          ],
          partialFailure: false,
          validateOnly: false,
        },
      ],
      [SEARCH, { query: expect.stringContaining('WHERE campaign.id = 111') }],
    ]);
  });

  it('validateOnly sends validateOnly: true and reads back the unchanged budget', async () => {
    const { google, calls } = connector(budgetRoutes(ok('mutate-validate-only.json'), 'campaign-budget-before.json'));
    expect(await google.setDailyBudget(BRAND, 123_456_789, { validateOnly: true })).toEqual({
      appliedMicros: 123_450_000,
      readBackMicros: 50_000_000,
    });
    expect(calls.find((c) => c.url.pathname === MUTATE)?.body.validateOnly).toBe(true);
  });

  it('reads the billable unit once per currency', async () => {
    const { google, calls } = connector(budgetRoutes(ok('mutate-success.json')));
    await google.setDailyBudget(BRAND, 60_000_000);
    await google.setDailyBudget(BRAND, 70_000_000);
    expect(calls.filter((c) => String(c.body.query).includes('currency_constant'))).toHaveLength(1);
  });

  it('leaves shared budgets alone: refused before any mutate, and read as no writable budget', async () => {
    const shared = campaign('113', { name: 'Shared A' });
    const routes = [
      gaql('WHERE campaign.id = 113', ok('campaign-shared-budget.json')),
      { method: 'campaignBudgets:mutate', reply: ok('mutate-success.json') },
    ];
    const { google, calls } = connector(routes);
    const error = await rejection(google.setDailyBudget(shared, 200_000_000));
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toBe(`campaign 113: budget 555 is a shared budget; adpilot leaves it alone`);
    expect(await google.getDailyBudget(shared)).toBeNull();
    expect(calls.some((c) => c.url.pathname === MUTATE)).toBe(false);
  });

  it('reads the current daily budget of a campaign', async () => {
    const { google } = connector([gaql('WHERE campaign.id = 111', ok('campaign-budget-before.json'))]);
    expect(await google.getDailyBudget(BRAND)).toBe(50_000_000);
  });

  it('refuses what it must not send: another platform, negative amounts', async () => {
    const { google, calls } = connector([]);
    expect(await rejection(google.setDailyBudget({ ...BRAND, platform: 'meta' }, 1_000_000))).toBeInstanceOf(PlatformRequestError);
    expect(await rejection(google.setDailyBudget(BRAND, -1))).toBeInstanceOf(PlatformRequestError);
    expect(calls).toEqual([]);
  });

  it('a budget under the per-day minimum is a request error, not retried', async () => {
    const { google, calls } = connector(budgetRoutes(err(400, 'error-budget-minimum.json')));
    const error = await rejection(google.setDailyBudget(BRAND, 10_000));
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toContain('[campaignBudgetError.BUDGET_BELOW_PER_DAY_MINIMUM]');
    expect(calls.filter((c) => c.url.pathname === MUTATE)).toHaveLength(1);
  });

  it('an answer naming another budget is malformed', async () => {
    const other = { body: JSON.stringify({ results: [{ resourceName: 'customers/1234567890/campaignBudgets/999' }] }) };
    const { google } = connector(budgetRoutes(other), { maxAttempts: 1 });
    const error = await rejection(google.setDailyBudget(BRAND, 60_000_000));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('results[0].resourceName');
  });
});

describe('Google Ads connector: campaign status', () => {
  const CAMPAIGNS_MUTATE = '/v26/customers/1234567890/campaigns:mutate';
  /** The campaign query's answer for campaign 111 with `status`. */
  const campaignRow = (status: string) => ({
    body: fixture('campaign-budget-after.json').replace('"status": "ENABLED"', `"status": "${status}"`),
  });
  const mutated = { body: JSON.stringify({ results: [{ resourceName: 'customers/1234567890/campaigns/111' }] }) };
  const statusRoutes = (mutate: Route['reply'], readBack: string): Route[] => [
    { method: 'campaigns:mutate', reply: mutate },
    gaql('WHERE campaign.id = 111', campaignRow(readBack)),
  ];

  it('mutates the campaign with updateMask "status" and PAUSED, then reads campaign.status back', async () => {
    const { google, calls } = connector(statusRoutes(mutated, 'PAUSED'));
    expect(await google.setStatus(BRAND, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls.map((c) => [c.url.pathname, c.body])).toEqual([
      [
        CAMPAIGNS_MUTATE,
        {
          operations: [{ updateMask: 'status', update: { resourceName: 'customers/1234567890/campaigns/111', status: 'PAUSED' } }],
          partialFailure: false,
          validateOnly: false,
        },
      ],
      [SEARCH, { query: `${campaignsQuery()} WHERE campaign.id = 111` }],
    ]);
  });

  it('re-activates with ENABLED, which reads back as ACTIVE', async () => {
    const { google, calls } = connector(statusRoutes(mutated, 'ENABLED'));
    expect(await google.setStatus({ ...BRAND, status: 'PAUSED' }, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(calls[0]?.body).toMatchObject({ operations: [{ update: { status: 'ENABLED' } }] });
  });

  it('a read-back that differs from the write is a PlatformRequestError naming the campaign and both statuses', async () => {
    const { google } = connector(statusRoutes(mutated, 'ENABLED'));
    const error = await rejection(google.setStatus(BRAND, 'PAUSED'));
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error).toMatchObject({
      platform: 'google-ads',
      endpoint: `POST ${CAMPAIGNS_MUTATE}`,
      message: 'Google Ads campaign 111: wrote status PAUSED (PAUSED) but read back ACTIVE (ENABLED)',
    });
  });

  it('a removed campaign is refused by Google as a request error, sent once', async () => {
    const removed = {
      status: 400,
      body: JSON.stringify({
        error: {
          code: 400,
          message: 'Request contains an invalid argument.',
          status: 'INVALID_ARGUMENT',
          details: [
            {
              '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure',
              errors: [
                {
                  errorCode: { contextError: 'OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE' },
                  message: 'The operation is not allowed for removed resources.',
                },
              ],
              requestId: 'r1',
            },
          ],
        },
      }),
    };
    const { google, calls } = connector(statusRoutes(removed, 'REMOVED'));
    const error = await rejection(google.setStatus(BRAND, 'ACTIVE'));
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toContain('[contextError.OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE]');
    expect(calls.map((c) => c.url.pathname)).toEqual([CAMPAIGNS_MUTATE]);
  });

  it('retries a throttled status mutate after its retryDelay, like the budget mutate', async () => {
    const { google, calls, delays } = connector(statusRoutes([err(429, 'error-resource-exhausted-short.json'), mutated], 'PAUSED'));
    expect(await google.setStatus(BRAND, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls.filter((c) => c.url.pathname === CAMPAIGNS_MUTATE)).toHaveLength(2);
    expect(delays).toEqual([30_000]);
  });

  it('an answer naming another campaign is malformed; another platform is refused before sending', async () => {
    const other = { body: JSON.stringify({ results: [{ resourceName: 'customers/1234567890/campaigns/999' }] }) };
    const { google, calls } = connector(statusRoutes(other, 'PAUSED'), { maxAttempts: 1 });
    expect(await rejection(google.setStatus(BRAND, 'PAUSED'))).toMatchObject({
      name: 'MalformedResponseError',
      field: 'results[0].resourceName',
    });
    expect(await rejection(google.setStatus({ ...BRAND, platform: 'meta' }, 'PAUSED'))).toBeInstanceOf(PlatformRequestError);
    expect(calls).toHaveLength(1);
  });
});
