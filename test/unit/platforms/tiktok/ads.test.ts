/** Contract tests of the TikTok connector's ad level: `ad/get`, AUCTION_AD reports and `ad/status/update`. */
import { describe, expect, it } from 'vitest';
import type { Ad, AdAccount } from '../../../../lib/model/ads.ts';
import { hasAdLevel } from '../../../../lib/platforms/ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../../../../lib/platforms/errors.ts';
import { idChunks } from '../../../../lib/platforms/slices.ts';
import { createTikTokConnector } from '../../../../lib/platforms/tiktok/connector.ts';
import { routeFetch } from './fixture-fetch.ts';

const ACCOUNT: AdAccount = {
  platform: 'tiktok',
  accountId: '7000000000000000001',
  name: 'Acme',
  currency: 'USD',
  timezone: 'America/New_York',
};
const AD: Ad = {
  platform: 'tiktok',
  accountId: ACCOUNT.accountId,
  adId: '1800000000000000101',
  adsetId: '1800000000000000100',
  campaignId: '1700000000000000001',
  name: 'Ad Group 1 – Creative A',
  status: 'ACTIVE',
};

const ok = (data: unknown) => JSON.stringify({ code: 0, message: 'OK', request_id: 'r1', data });
const pageInfo = (total: number, page = 1, totalPage = 1) => ({ page, page_size: 1000, total_number: total, total_page: totalPage });
const adRow = (operationStatus: string, over: Record<string, unknown> = {}) => ({
  ad_id: AD.adId,
  ad_name: AD.name,
  adgroup_id: AD.adsetId,
  campaign_id: AD.campaignId,
  operation_status: operationStatus,
  ...over,
});
const reportRow = (adId: string, day: string, metrics: Record<string, unknown> = {}) => ({
  dimensions: { ad_id: adId, stat_time_day: `${day} 00:00:00` },
  metrics: {
    spend: '12.34',
    impressions: '1500',
    clicks: '21',
    complete_payment: '2',
    total_complete_payment_rate: '88.50',
    campaign_id: AD.campaignId,
    adgroup_id: AD.adsetId,
    ...metrics,
  },
});

function connector(routes: Record<string, readonly string[]>) {
  const { fetch, calls, sent } = routeFetch(routes);
  const tiktok = createTikTokConnector({ accessToken: 'tt-unit-secret', fetch, sleep: async () => {}, random: () => 0.5, maxAttempts: 2 });
  return { tiktok, calls, sent };
}
const query = (url: URL | undefined) => Object.fromEntries(url?.searchParams ?? []);

describe('TikTok ad level', () => {
  it('has the ad-level capability', () => {
    expect(hasAdLevel(connector({}).tiktok)).toBe(true);
  });

  it('getAds asks ad/get filtered on ad_ids and maps operation_status; unknown ids are simply absent', async () => {
    const { tiktok, calls } = connector({ 'ad/get': [ok({ list: [adRow('DISABLE')], page_info: pageInfo(1) })] });
    expect(await tiktok.getAds(ACCOUNT, [AD.adId, '1800000000000000999'])).toEqual([{ ...AD, status: 'PAUSED' }]);
    expect(query(calls[0])).toEqual({
      advertiser_id: ACCOUNT.accountId,
      fields: '["ad_id","ad_name","adgroup_id","campaign_id","operation_status"]',
      filtering: JSON.stringify({ ad_ids: [AD.adId, '1800000000000000999'] }),
      page: '1',
      page_size: '1000',
    });
  });

  it('asks at most 100 ad ids per call, without repeats', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => String(1_900_000_000_000_000 + i));
    const { tiktok, calls } = connector({ 'ad/get': [ok({ list: [], page_info: pageInfo(0, 1, 0) })] });
    await tiktok.getAds(ACCOUNT, [...ids, ids[0] ?? '']);
    const sizes = calls.map((c) => (JSON.parse(c.searchParams.get('filtering') ?? '{}') as { ad_ids: string[] }).ad_ids.length);
    expect(sizes).toEqual([100, 50]);
    expect(idChunks(['1', '2', '1', '3'], 2)).toEqual([['1', '2'], ['3']]);
  });

  it('fetchAdDailyMetrics reads AUCTION_AD rows per ad and day, with the ad group from the adgroup_id metric', async () => {
    const page = {
      list: [
        reportRow(AD.adId, '2026-10-01'),
        reportRow(AD.adId, '2026-10-02', { spend: 0, total_complete_payment_rate: '-', complete_payment: null }),
      ],
      page_info: pageInfo(2),
    };
    const { tiktok, calls } = connector({ 'report/integrated/get': [ok(page)] });
    const base = {
      platform: 'tiktok',
      accountId: ACCOUNT.accountId,
      adId: AD.adId,
      adsetId: AD.adsetId,
      campaignId: AD.campaignId,
      currency: 'USD',
      impressions: 1500,
      clicks: 21,
    };
    expect(await tiktok.fetchAdDailyMetrics(ACCOUNT, [AD.adId], '2026-10-01', '2026-10-02')).toEqual([
      { ...base, date: '2026-10-01', spendMicros: 12_340_000, revenueMicros: 88_500_000, conversions: 2 },
      { ...base, date: '2026-10-02', spendMicros: 0, revenueMicros: 0, conversions: 0 },
    ]);
    expect(query(calls[0])).toEqual({
      advertiser_id: ACCOUNT.accountId,
      service_type: 'AUCTION',
      report_type: 'BASIC',
      data_level: 'AUCTION_AD',
      dimensions: '["ad_id","stat_time_day"]',
      metrics: '["spend","impressions","clicks","complete_payment","total_complete_payment_rate","campaign_id","adgroup_id"]',
      filtering: JSON.stringify([{ field_name: 'ad_ids', filter_type: 'IN', filter_value: JSON.stringify([AD.adId]) }]),
      start_date: '2026-10-01',
      end_date: '2026-10-02',
      query_lifetime: 'false',
      page: '1',
      page_size: '1000',
    });
  });

  it('slices reports by 30 days and 100 ads', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(1_900_000_000_000_000 + i));
    const { tiktok, calls } = connector({ 'report/integrated/get': [ok({ list: [], page_info: pageInfo(0, 1, 0) })] });
    expect(await tiktok.fetchAdDailyMetrics(ACCOUNT, ids, '2026-09-01', '2026-10-15')).toEqual([]);
    const shapes = calls.map((c) => {
      const filter = JSON.parse(c.searchParams.get('filtering') ?? '[]') as { filter_value: string }[];
      return [
        (JSON.parse(filter[0]?.filter_value ?? '[]') as string[]).length,
        c.searchParams.get('start_date'),
        c.searchParams.get('end_date'),
      ];
    });
    expect(shapes).toEqual([
      [100, '2026-09-01', '2026-09-30'],
      [100, '2026-10-01', '2026-10-15'],
      [1, '2026-09-01', '2026-09-30'],
      [1, '2026-10-01', '2026-10-15'],
    ]);
    expect(await tiktok.fetchAdDailyMetrics(ACCOUNT, [], '2026-09-01', '2026-10-15')).toEqual([]);
  });

  it('a malformed ad row is a MalformedResponseError naming the field', async () => {
    const bad = { list: [reportRow(AD.adId, '2026-10-01', { spend: 'abc' })], page_info: pageInfo(1) };
    const { tiktok } = connector({ 'report/integrated/get': [ok(bad)] });
    const error = await tiktok.fetchAdDailyMetrics(ACCOUNT, [AD.adId], '2026-10-01', '2026-10-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('data.list[0].metrics.spend');
  });

  it('a row without its ad group is a MalformedResponseError naming metrics.adgroup_id', async () => {
    const row = reportRow(AD.adId, '2026-10-01');
    const { adgroup_id: _, ...metrics } = row.metrics;
    const { tiktok } = connector({ 'report/integrated/get': [ok({ list: [{ ...row, metrics }], page_info: pageInfo(1) })] });
    const error = await tiktok.fetchAdDailyMetrics(ACCOUNT, [AD.adId], '2026-10-01', '2026-10-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('data.list[0].metrics.adgroup_id');
  });

  it('a row for an ad not asked for, or a repeated one, is a MalformedResponseError', async () => {
    const other = connector({
      'report/integrated/get': [ok({ list: [reportRow('1800000000000000102', '2026-10-01')], page_info: pageInfo(1) })],
    });
    const e1 = await other.tiktok.fetchAdDailyMetrics(ACCOUNT, [AD.adId], '2026-10-01', '2026-10-01').catch((e: unknown) => e);
    expect((e1 as MalformedResponseError).field).toBe('data.list[0].dimensions.ad_id');
    const twice = connector({
      'report/integrated/get': [ok({ list: [reportRow(AD.adId, '2026-10-01'), reportRow(AD.adId, '2026-10-01')], page_info: pageInfo(2) })],
    });
    const e2 = await twice.tiktok.fetchAdDailyMetrics(ACCOUNT, [AD.adId], '2026-10-01', '2026-10-01').catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(MalformedResponseError);
    expect((e2 as Error).message).toContain(`repeats ad ${AD.adId} on 2026-10-01`);
  });

  it('setAdStatus posts ad/status/update and reads the status back', async () => {
    const { tiktok, sent } = connector({
      'ad/status/update': [ok({ ad_ids: [AD.adId] })],
      'ad/get': [ok({ list: [adRow('DISABLE')], page_info: pageInfo(1) })],
    });
    expect(await tiktok.setAdStatus(AD, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(sent[0]).toEqual({
      method: 'POST',
      path: '/open_api/v1.3/ad/status/update/',
      body: { advertiser_id: ACCOUNT.accountId, ad_ids: [AD.adId], operation_status: 'DISABLE' },
    });
  });

  it('a read-back that differs is a PlatformRequestError naming the ad and both statuses', async () => {
    const { tiktok } = connector({
      'ad/status/update': [ok({ ad_ids: [AD.adId] })],
      'ad/get': [ok({ list: [adRow('DISABLE')], page_info: pageInfo(1) })],
    });
    const error = await tiktok.setAdStatus(AD, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toBe(`TikTok ad ${AD.adId}: wrote status ACTIVE (ENABLE) but read back PAUSED (DISABLE)`);
    expect((error as Error).message).not.toContain('tt-unit-secret');
  });

  it('refuses an ad of another platform without calling TikTok', async () => {
    const { tiktok, calls } = connector({});
    await expect(tiktok.setAdStatus({ ...AD, platform: 'meta' }, 'PAUSED')).rejects.toThrow(PlatformRequestError);
    expect(calls).toEqual([]);
  });
});
