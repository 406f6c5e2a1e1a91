/** Contract tests of the TikTok connector on payloads shaped like the documented ones (PLATFORM_APIS.md §3). */
import { describe, expect, it } from 'vitest';
import type { AdAccount, AdSet } from '../../../../lib/model/ads.ts';
import { AuthError, PlatformRequestError, RateLimitedError, TransientPlatformError } from '../../../../lib/platforms/errors.ts';
import { dateSlices } from '../../../../lib/platforms/slices.ts';
import { createTikTokConnector, MAX_REPORT_DAYS } from '../../../../lib/platforms/tiktok/connector.ts';
import { tiktokErrorFor } from '../../../../lib/platforms/tiktok/error-map.ts';
import { budgetToMajor, countToNumber, moneyToMicros } from '../../../../lib/platforms/tiktok/values.ts';
import { fixture, routeFetch } from './fixture-fetch.ts';

const ACCOUNT: AdAccount = {
  platform: 'tiktok',
  accountId: '7000000000000000001',
  name: 'Acme',
  currency: 'USD',
  timezone: 'America/New_York',
};
const envelope = (code: number, message: string) => JSON.stringify({ code, message, request_id: 'r1', data: {} });

function connector(routes: Record<string, readonly string[]>) {
  const { fetch, calls, sent } = routeFetch(routes);
  const delays: number[] = [];
  const tiktok = createTikTokConnector({
    accessToken: 'tt-unit',
    fetch,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    maxAttempts: 3,
  });
  return { tiktok, calls, delays, sent };
}

describe('TikTok report contract', () => {
  it('reads the documented page: strings, numbers, "-" and null, stat_time_day', async () => {
    const { tiktok, calls } = connector({ 'report/integrated/get': [fixture('report-page.json')] });
    expect(await tiktok.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-02')).toEqual([
      {
        platform: 'tiktok',
        accountId: ACCOUNT.accountId,
        adsetId: '1714125042508817',
        campaignId: '1714125042508800',
        date: '2026-10-01',
        currency: 'USD',
        spendMicros: 20_000_000,
        revenueMicros: 120_000_000,
        impressions: 5830,
        clicks: 69,
        conversions: 3,
      },
      {
        platform: 'tiktok',
        accountId: ACCOUNT.accountId,
        adsetId: '1714125042508818',
        campaignId: '1714125042508800',
        date: '2026-10-02',
        currency: 'USD',
        spendMicros: 7_500_000,
        revenueMicros: 0,
        impressions: 1200,
        clicks: 0,
        conversions: 0,
      },
    ]);
    const q = Object.fromEntries(calls[0]?.searchParams ?? []);
    expect(q).toEqual({
      advertiser_id: ACCOUNT.accountId,
      service_type: 'AUCTION',
      report_type: 'BASIC',
      data_level: 'AUCTION_ADGROUP',
      dimensions: '["adgroup_id","stat_time_day"]',
      metrics: '["spend","impressions","clicks","complete_payment","total_complete_payment_rate","campaign_id"]',
      start_date: '2026-10-01',
      end_date: '2026-10-02',
      query_lifetime: 'false',
      page: '1',
      page_size: '1000',
    });
  });

  it('slices ranges into spans of at most 30 days', () => {
    expect(dateSlices('2026-08-01', '2026-10-15', MAX_REPORT_DAYS)).toEqual([
      { from: '2026-08-01', to: '2026-08-30' },
      { from: '2026-08-31', to: '2026-09-29' },
      { from: '2026-09-30', to: '2026-10-15' },
    ]);
    expect(dateSlices('2026-10-01', '2026-10-01', MAX_REPORT_DAYS)).toEqual([{ from: '2026-10-01', to: '2026-10-01' }]);
  });

  it('follows page_info until page >= total_page', async () => {
    const page = (n: number, total: number, id: string) =>
      JSON.stringify({
        code: 0,
        message: 'OK',
        request_id: 'r',
        data: {
          list: [
            {
              dimensions: { adgroup_id: id, stat_time_day: '2026-10-01 00:00:00' },
              metrics: {
                spend: '1.00',
                impressions: '1',
                clicks: '0',
                complete_payment: '0',
                total_complete_payment_rate: '-',
                campaign_id: '9',
              },
            },
          ],
          page_info: { page: n, page_size: 1000, total_number: total, total_page: total },
        },
      });
    const { tiktok, calls } = connector({ 'report/integrated/get': [page(1, 3, '1'), page(2, 3, '2'), page(3, 3, '3')] });
    const rows = await tiktok.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-01');
    expect(rows.map((r) => r.adsetId)).toEqual(['1', '2', '3']);
    expect(calls.map((c) => c.searchParams.get('page'))).toEqual(['1', '2', '3']);
  });

  it('retries code 40100 in an HTTP 200 as a throttle, then reads', async () => {
    const { tiktok, delays } = connector({ 'report/integrated/get': [envelope(40100, 'Too many requests'), fixture('report-page.json')] });
    expect(await tiktok.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-02')).toHaveLength(2);
    expect(delays).toEqual([2_000]);
  });
});

describe('TikTok error codes', () => {
  const map = (code: number | undefined, status = 200) =>
    tiktokErrorFor({ status, ...(code === undefined ? {} : { code, message: 'm' }) }, 'GET /x', 2_000, (t) => t);
  it.each([
    [40100, RateLimitedError],
    [40132, RateLimitedError],
    [61000, RateLimitedError],
    [40102, AuthError],
    [40105, AuthError],
    [50000, TransientPlatformError],
    [50002, TransientPlatformError],
    [51004, TransientPlatformError],
    [40201, TransientPlatformError],
    [40000, PlatformRequestError],
    [40001, PlatformRequestError],
    [40002, PlatformRequestError],
    [20001, PlatformRequestError],
  ])('code %i → %o', (code, type) => {
    const error = map(code);
    expect(error).toBeInstanceOf(type);
    expect([error.constructor.name, error.code, error.platform]).toEqual([type.name, code, 'tiktok']);
  });
  it.each([
    [429, RateLimitedError],
    [502, TransientPlatformError],
    [401, AuthError],
    [404, PlatformRequestError],
  ])('HTTP %i → %o', (status, type) => expect(map(undefined, status)).toBeInstanceOf(type));
});

describe('TikTok money', () => {
  it('reads metrics in major units exactly; "-" and null are 0', () => {
    expect(['20.00', '0.01', '1234567.891234', 7.5, '-', null, '3'].map((v) => moneyToMicros(v))).toEqual([
      20_000_000, 10_000, 1_234_567_891_234, 7_500_000, 0, 0, 3_000_000,
    ]);
    expect(['5830', 12, '3.0', '-'].map((v) => countToNumber(v))).toEqual([5830, 12, 3, 0]);
    for (const bad of ['abc', '-1', '1.2345678', '1e3', '']) expect(() => moneyToMicros(bad)).toThrow(/amount|decimal/);
    expect(() => countToNumber('12.5')).toThrow(/whole count/);
  });

  it('writes budgets in decimal major units, rounded down to the billable unit (cents, whole yen)', () => {
    expect([
      budgetToMajor(150_456_789, 'USD'),
      budgetToMajor(20_000_000, 'EUR'),
      budgetToMajor(18_000_999_999, 'JPY'),
      budgetToMajor(999, 'USD'),
    ]).toEqual([
      { appliedMicros: 150_450_000, budget: 150.45 },
      { appliedMicros: 20_000_000, budget: 20 },
      { appliedMicros: 18_000_000_000, budget: 18000 },
      { appliedMicros: 0, budget: 0 },
    ]);
  });
});

describe('TikTok status writes', () => {
  const adset: AdSet = {
    platform: 'tiktok',
    accountId: ACCOUNT.accountId,
    adsetId: '1714125042508817',
    campaignId: '1714125042508800',
    name: 'Ad Group 1',
    campaignName: 'Campaign 1',
    status: 'ACTIVE',
    currency: 'USD',
    dailyBudgetMicros: 20_000_000,
    budgetLevel: 'adset',
    learning: false,
  };
  const ok = (data: unknown) => JSON.stringify({ code: 0, message: 'OK', request_id: 'r', data });
  const adGroupPage = (operationStatus: string) =>
    ok({
      list: [
        {
          adgroup_id: adset.adsetId,
          adgroup_name: 'Ad Group 1',
          campaign_id: adset.campaignId,
          campaign_name: 'Campaign 1',
          operation_status: operationStatus,
          budget_mode: 'BUDGET_MODE_DAY',
          budget: 20.0,
        },
      ],
      page_info: { page: 1, page_size: 1000, total_number: 1, total_page: 1 },
    });
  const updated = ok({ adgroup_ids: [adset.adsetId] });

  it('posts operation_status DISABLE for one ad group without partial success, then reads operation_status back', async () => {
    const { tiktok, sent, calls } = connector({ 'adgroup/status/update': [updated], 'adgroup/get': [adGroupPage('DISABLE')] });
    expect(await tiktok.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/open_api/v1.3/adgroup/status/update/',
        body: { advertiser_id: ACCOUNT.accountId, adgroup_ids: [adset.adsetId], operation_status: 'DISABLE', allow_partial_success: false },
      },
      { method: 'GET', path: '/open_api/v1.3/adgroup/get/' },
    ]);
    expect(Object.fromEntries(calls[1]?.searchParams ?? [])).toMatchObject({
      advertiser_id: ACCOUNT.accountId,
      filtering: JSON.stringify({ adgroup_ids: [adset.adsetId] }),
    });
  });

  it('re-activates with ENABLE and maps ENABLE back to ACTIVE', async () => {
    const { tiktok, sent } = connector({ 'adgroup/status/update': [updated], 'adgroup/get': [adGroupPage('ENABLE')] });
    expect(await tiktok.setStatus({ ...adset, status: 'PAUSED' }, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(sent[0]?.body).toMatchObject({ operation_status: 'ENABLE' });
  });

  it('a read-back that differs from the write is a PlatformRequestError naming the ad group and both statuses', async () => {
    const { tiktok } = connector({ 'adgroup/status/update': [updated], 'adgroup/get': [adGroupPage('FROZEN')] });
    const error = await tiktok.setStatus(adset, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error).toMatchObject({
      platform: 'tiktok',
      endpoint: 'POST /open_api/v1.3/adgroup/status/update/',
      message: 'TikTok ad group 1714125042508817: wrote status ACTIVE (ENABLE) but read back PAUSED (FROZEN)',
    });
  });

  it('a refusal (code 40002, e.g. a deleted ad group) is a PlatformRequestError, sent once', async () => {
    const { tiktok, sent } = connector({ 'adgroup/status/update': [envelope(40002, 'Ad group has been deleted.')] });
    const error = await tiktok.setStatus(adset, 'PAUSED').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error).toMatchObject({ code: 40002, retryable: false });
    expect(sent.map((r) => r.method)).toEqual(['POST']);
  });

  it('retries a throttled status write (code 40100) like the budget write', async () => {
    const { tiktok, sent, delays } = connector({
      'adgroup/status/update': [envelope(40100, 'Too many requests'), updated],
      'adgroup/get': [adGroupPage('DISABLE')],
    });
    expect(await tiktok.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(sent.map((r) => r.method)).toEqual(['POST', 'POST', 'GET']);
    expect(delays).toEqual([2_000]);
  });

  it('names adgroup_ids when the answer does not hold the ad group written', async () => {
    const { tiktok } = connector({ 'adgroup/status/update': [ok({ adgroup_ids: ['1'] })] });
    await expect(tiktok.setStatus(adset, 'PAUSED')).rejects.toMatchObject({ name: 'MalformedResponseError', field: 'data.adgroup_ids' });
  });

  it('refuses an ad set of another platform before sending anything', async () => {
    const { tiktok, sent } = connector({});
    await expect(tiktok.setStatus({ ...adset, platform: 'meta' }, 'PAUSED')).rejects.toBeInstanceOf(PlatformRequestError);
    expect(sent).toEqual([]);
  });
});
