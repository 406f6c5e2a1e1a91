/** The fake TikTok API's ad routes (`ad/get`, AUCTION_AD reports, `ad/status/update`) over SimAds, without sockets. */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../lib/model/dates.ts';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { SimAds } from '../../../../lib/sim/ads.ts';
import { FakeTikTokApi, type TikTokResponse } from '../../../../lib/sim/tiktok/api.ts';
import { tiktokMarket, US_ADVERTISER } from '../../../fixtures/tiktok/market.ts';

const TOKEN = 'tt-fake-unit';
const GROUP = '1800000000000001';
const AD_A = SimAds.adIdOf(GROUP, 0);
const AD_B = SimAds.adIdOf(GROUP, 1);

function setup() {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = tiktokMarket(clock, { maturity: (age) => Math.min(1, 0.5 + age / 10) });
  const ads = new SimAds(market);
  const api = new FakeTikTokApi({ market, accessToken: TOKEN, ads });
  let index = 0;
  const call = (method: string, route: string, options: { query?: Record<string, string>; body?: unknown } = {}): TikTokResponse =>
    api.handle({
      method,
      path: `/open_api/v1.3/${route}/`,
      query: options.query ?? {},
      accessToken: TOKEN,
      body: options.body,
      index: ++index,
    });
  const report = (filterIds: readonly string[] | undefined, from: string, to: string, page = '1') =>
    call('GET', 'report/integrated/get', {
      query: {
        advertiser_id: US_ADVERTISER,
        service_type: 'AUCTION',
        report_type: 'BASIC',
        data_level: 'AUCTION_AD',
        dimensions: '["ad_id","stat_time_day"]',
        metrics: '["spend","impressions","clicks","complete_payment","total_complete_payment_rate","campaign_id","adgroup_id"]',
        ...(filterIds
          ? { filtering: JSON.stringify([{ field_name: 'ad_ids', filter_type: 'IN', filter_value: JSON.stringify(filterIds) }]) }
          : {}),
        start_date: from,
        end_date: to,
        page,
        page_size: '1000',
      },
    });
  return { market, ads, call, report, today: market.today(US_ADVERTISER) };
}
const codeOf = (r: TikTokResponse) => [r.status, r.payload?.code];

describe('fake TikTok API: ads', () => {
  it('ad/get lists the ads of the filter with operation_status', () => {
    const { call } = setup();
    const r = call('GET', 'ad/get', { query: { advertiser_id: US_ADVERTISER, filtering: JSON.stringify({ ad_ids: [AD_B, '999'] }) } });
    expect(r.payload?.data).toEqual({
      list: [
        { ad_id: AD_B, ad_name: 'Ad Group 1 – Creative B', adgroup_id: GROUP, campaign_id: '1700000000000001', operation_status: 'ENABLE' },
      ],
      page_info: { page: 1, page_size: 10, total_number: 1, total_page: 1 },
    });
  });

  it('refuses more than 100 ids in a filter with code 40002', () => {
    const { call, report, today } = setup();
    const ids = Array.from({ length: 101 }, (_, i) => String(i + 1));
    expect(codeOf(call('GET', 'ad/get', { query: { advertiser_id: US_ADVERTISER, filtering: JSON.stringify({ ad_ids: ids }) } }))).toEqual([
      200, 40002,
    ]);
    expect(codeOf(report(ids, addDays(today, -3), today))).toEqual([200, 40002]);
  });

  it('serves AUCTION_AD rows with exactly the values of SimAds.reportedResults', () => {
    const { ads, report, today } = setup();
    const from = addDays(today, -12);
    const r = report([AD_A, AD_B], from, today);
    const expected = ads.reportedResults(US_ADVERTISER, [AD_A, AD_B], from, today).map((row) => ({
      dimensions: { ad_id: row.adId, stat_time_day: `${row.date} 00:00:00` },
      metrics: {
        spend: (row.spendMicros / 1e6).toFixed(2),
        impressions: String(row.impressions),
        clicks: String(row.clicks),
        complete_payment: String(row.conversions),
        total_complete_payment_rate: row.conversions === 0 && row.revenueMicros === 0 ? '-' : (row.revenueMicros / 1e6).toFixed(2),
        campaign_id: row.campaignId,
        adgroup_id: row.adsetId,
      },
    }));
    expect(expected.length).toBeGreaterThan(10);
    expect(r.payload?.data).toEqual({
      list: expected,
      page_info: { page: 1, page_size: 1000, total_number: expected.length, total_page: 1 },
    });
  });

  it('refuses a span over 30 days and a wrong dimension pair', () => {
    const { call, report, today } = setup();
    expect(codeOf(report([AD_A], addDays(today, -30), today))).toEqual([200, 40002]);
    const wrong = call('GET', 'report/integrated/get', {
      query: {
        advertiser_id: US_ADVERTISER,
        report_type: 'BASIC',
        data_level: 'AUCTION_AD',
        dimensions: '["adgroup_id","stat_time_day"]',
        metrics: '["spend"]',
        start_date: today,
        end_date: today,
      },
    });
    expect(codeOf(wrong)).toEqual([200, 40002]);
  });

  it('ad/status/update disables an ad: listed at once, applied from the next day', () => {
    const { ads, call, today } = setup();
    const r = call('POST', 'ad/status/update', { body: { advertiser_id: US_ADVERTISER, ad_ids: [AD_A], operation_status: 'DISABLE' } });
    expect([...codeOf(r), r.payload?.data]).toEqual([200, 0, { ad_ids: [AD_A] }]);
    expect([ads.statusOn(AD_A, today), ads.statusOn(AD_A, addDays(today, 1)), ads.ad(AD_A)?.status]).toEqual([
      'ACTIVE',
      'PAUSED',
      'PAUSED',
    ]);
  });

  it('ad/status/update refuses unknown ads, more than 20 ids and a bad operation, changing nothing', () => {
    const { ads, call, today } = setup();
    const post = (body: Record<string, unknown>) =>
      codeOf(call('POST', 'ad/status/update', { body: { advertiser_id: US_ADVERTISER, ...body } }));
    expect(post({ ad_ids: [AD_A, '999'], operation_status: 'DISABLE' })).toEqual([200, 40002]);
    expect(post({ ad_ids: Array.from({ length: 21 }, () => AD_A), operation_status: 'DISABLE' })).toEqual([200, 40002]);
    expect(post({ ad_ids: [AD_A], operation_status: 'PAUSE' })).toEqual([200, 40002]);
    expect(ads.statusOn(AD_A, addDays(today, 1))).toBe('ACTIVE');
  });
});
