/** The fake Graph API's ads: ad nodes, `/act_{id}/ads`, insights at level=ad and `POST /{ad_id}`, over SimAds. */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../lib/model/dates.ts';
import { microsToDecimal } from '../../../../lib/model/money.ts';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { SimAds } from '../../../../lib/sim/ads.ts';
import { MarketSimulator } from '../../../../lib/sim/market.ts';
import { FakeGraphApi, type GraphResponse } from '../../../../lib/sim/meta/api.ts';
import { SAMPLE_ACCOUNT_ID, SAMPLE_ADSET_IDS, sampleMarketConfig } from '../../../../lib/sim/sample-market.ts';

const TOKEN = 'fake-token';
const AD_A = SimAds.adIdOf(SAMPLE_ADSET_IDS.broad, 0);
const AD_B = SimAds.adIdOf(SAMPLE_ADSET_IDS.broad, 1);

function setup() {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const market = new MarketSimulator({
    ...sampleMarketConfig(42),
    startDate: '2026-10-01',
    clock,
    maturity: (age) => Math.min(1, 0.5 + age / 10),
  });
  const ads = new SimAds(market);
  const api = new FakeGraphApi({ market, accessToken: TOKEN, ads });
  let index = 0;
  const call = (method: string, path: string, params: Record<string, unknown> = {}): GraphResponse => {
    const url = new URL(`http://127.0.0.1:1${path}`);
    return api.handle({ method, url, params: { access_token: TOKEN, ...params }, index: ++index });
  };
  return { market, ads, call, today: market.today(SAMPLE_ACCOUNT_ID) };
}
const errorCode = (r: GraphResponse) => [r.status, (r.payload as { error?: { code: number } }).error?.code];

describe('fake Graph API: ads', () => {
  it('lists the ads of a filter on id, and serves an ad node with the asked fields', () => {
    const { call } = setup();
    const listed = call('GET', `/v25.0/${SAMPLE_ACCOUNT_ID}/ads`, {
      fields: 'id,name,adset_id,campaign_id,status,effective_status',
      filtering: JSON.stringify([{ field: 'id', operator: 'IN', value: [AD_B, '999'] }]),
    });
    const node = call('GET', `/v25.0/${AD_B}`, { fields: 'status,adset_id' });
    const broadAd = { id: AD_B, adset_id: SAMPLE_ADSET_IDS.broad };
    expect([
      (listed.payload as { data: { id: string; adset_id: string; status: string }[] }).data.map((a) => [a.id, a.adset_id, a.status]),
      node.payload,
    ]).toEqual([[[AD_B, SAMPLE_ADSET_IDS.broad, 'ACTIVE']], { status: 'ACTIVE', ...broadAd }]);
  });

  it('serves insights at level=ad with exactly the values of SimAds.reportedResults', () => {
    const { ads, call, today } = setup();
    const since = addDays(today, -11);
    const response = call('GET', `/v25.0/${SAMPLE_ACCOUNT_ID}/insights`, {
      level: 'ad',
      time_increment: '1',
      time_range: JSON.stringify({ since, until: today }),
      filtering: JSON.stringify([{ field: 'ad.id', operator: 'IN', value: [AD_A, AD_B] }]),
      fields: 'ad_id,adset_id,spend,impressions,clicks,actions',
      limit: '1000',
    });
    const rows = ads.reportedResults(SAMPLE_ACCOUNT_ID, [AD_A, AD_B], since, today);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    const data = (response.payload as { data: Record<string, unknown>[] }).data;
    expect(data.map((r) => [r.ad_id, r.adset_id, r.date_start, r.spend, r.impressions, r.clicks])).toEqual(
      rows.map((r) => [r.adId, r.adsetId, r.date, microsToDecimal(r.spendMicros, 0), String(r.impressions), String(r.clicks)]),
    );
    const purchases = data.map(
      (r) =>
        (r.actions as { action_type: string; value: string }[] | undefined)?.find((a) => a.action_type === 'omni_purchase')?.value ?? '0',
    );
    expect(purchases).toEqual(rows.map((r) => String(r.conversions)));
  });

  it('refuses a filter on another field and hourly breakdowns at level=ad', () => {
    const { call, today } = setup();
    const base = { level: 'ad', time_increment: '1', time_range: JSON.stringify({ since: today, until: today }), fields: 'ad_id,spend' };
    expect(
      errorCode(
        call('GET', `/v25.0/${SAMPLE_ACCOUNT_ID}/insights`, {
          ...base,
          filtering: JSON.stringify([{ field: 'campaign.id', operator: 'IN', value: ['1'] }]),
        }),
      ),
    ).toEqual([400, 100]);
    expect(
      errorCode(
        call('GET', `/v25.0/${SAMPLE_ACCOUNT_ID}/insights`, { ...base, breakdowns: 'hourly_stats_aggregated_by_advertiser_time_zone' }),
      ),
    ).toEqual([400, 100]);
  });

  it('POST /{ad_id} pauses an ad: listed at once, applied from the next day; an unknown param or status is refused', () => {
    const { ads, call, today } = setup();
    expect(call('POST', `/v25.0/${AD_A}`, { status: 'PAUSED' }).payload).toEqual({ success: true });
    expect([ads.ad(AD_A)?.status, ads.statusOn(AD_A, today), ads.statusOn(AD_A, addDays(today, 1))]).toEqual([
      'PAUSED',
      'ACTIVE',
      'PAUSED',
    ]);
    expect(errorCode(call('POST', `/v25.0/${AD_B}`, { status: 'STOPPED' }))).toEqual([400, 100]);
    expect(errorCode(call('POST', `/v25.0/${AD_B}`, { daily_budget: '1000' }))).toEqual([400, 100]);
    expect(ads.statusOn(AD_B, addDays(today, 1))).toBe('ACTIVE');
  });

  it('a deleted ad cannot change its status', () => {
    const { ads, call, today } = setup();
    expect(call('POST', `/v25.0/${AD_A}`, { status: 'DELETED' }).payload).toEqual({ success: true });
    expect(errorCode(call('POST', `/v25.0/${AD_A}`, { status: 'ACTIVE' }))).toEqual([400, 100]);
    expect(ads.statusOn(AD_A, addDays(today, 1))).toBe('DELETED');
  });
});
