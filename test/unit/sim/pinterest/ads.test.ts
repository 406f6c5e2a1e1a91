/**
 * The fake Pinterest API's ad routes as a pure function: ads listed from SimAds (filters, statuses, bookmarks),
 * `ads/analytics` rows exactly SimAds' in Pinterest's encoding with the analytics limits, and the batch status PATCH.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../lib/model/dates.ts';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { SimAds } from '../../../../lib/sim/ads.ts';
import { MarketSimulator } from '../../../../lib/sim/market.ts';
import { adJson } from '../../../../lib/sim/pinterest/ads.ts';
import { FakePinterestApi, type PinterestRequest } from '../../../../lib/sim/pinterest/api.ts';

const ACCOUNT = '549755885175';
const TOKEN = 'pina_t';
const U = 1_000_000;

function setup() {
  const clock = new ManualClock('2026-11-02T07:00:00Z');
  const adset = (adsetId: string, campaignId: string) => ({
    platform: 'pinterest' as const,
    accountId: ACCOUNT,
    adsetId,
    name: `AG ${adsetId}`,
    campaignId,
    campaignName: `C ${campaignId}`,
    dailyBudgetMicros: 50 * U,
    budgetLevel: 'adset' as const,
    curve: { beta: 10, alpha: 1, kappa: 100 },
    averageOrderValueMicros: 50 * U,
    cpmMicros: 5 * U,
    ctr: 0.01,
  });
  const market = new MarketSimulator({
    seed: 3,
    clock,
    startDate: '2026-09-01',
    accounts: [{ platform: 'pinterest', accountId: ACCOUNT, name: 'Acme', currency: 'USD', timezone: 'UTC' }],
    adsets: [adset('11', '100'), adset('12', '100'), adset('21', '200')],
  });
  const ads = new SimAds(market);
  const api = new FakePinterestApi({ market, ads, accessToken: TOKEN });
  let index = 0;
  const send = (method: string, path: string, query: Record<string, string> = {}, body?: unknown) => {
    const request: PinterestRequest = {
      method,
      path: `/v5/ad_accounts/${ACCOUNT}/${path}`,
      query,
      authorization: `Bearer ${TOKEN}`,
      contentType: 'application/json',
      body: body === undefined ? '' : JSON.stringify(body),
      index: ++index,
      origin: 'http://127.0.0.1:1',
    };
    return api.handle(request);
  };
  return { market, ads, send };
}

const ANALYTICS = {
  start_date: '2026-10-20',
  end_date: '2026-11-01',
  columns: 'SPEND_IN_MICRO_DOLLAR,IMPRESSION_1,CLICKTHROUGH_1,TOTAL_CHECKOUT,TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR',
  granularity: 'DAY',
};

describe('ads', () => {
  it('lists ads by ad_ids, ad_group_ids and campaign_ids, paged by bookmark', () => {
    const { ads, send } = setup();
    const all = ads.ads(ACCOUNT);
    const first = send('GET', 'ads', { page_size: '4' }).payload as { items: unknown[]; bookmark: string | null };
    expect(first.items).toEqual(all.slice(0, 4).map(adJson));
    const rest = send('GET', 'ads', { page_size: '4', bookmark: first.bookmark ?? '' }).payload as {
      items: unknown[];
      bookmark: string | null;
    };
    expect([rest.items, rest.bookmark]).toEqual([all.slice(4).map(adJson), null]);
    expect((send('GET', 'ads', { ad_ids: '1101,999' }).payload as { items: unknown[] }).items).toEqual([
      {
        id: '1101',
        ad_group_id: '11',
        ad_account_id: ACCOUNT,
        campaign_id: '100',
        name: 'AG 11 – Creative A',
        status: 'ACTIVE',
        summary_status: 'APPROVED',
        creative_type: 'REGULAR',
        pin_id: '91101',
        destination_url: 'https://shop.example.com/',
        review_status: 'APPROVED',
        type: 'pinpromotion',
        created_time: 1_767_225_600,
        updated_time: 1_767_225_600,
      },
    ]);
    const byCampaign = send('GET', 'ads', { campaign_ids: '200' }).payload as { items: { id: string }[] };
    expect(byCampaign.items.map((i) => i.id)).toEqual(['2101', '2102']);
    const tooMany = send('GET', 'ads', { ad_ids: Array.from({ length: 251 }, (_, i) => String(i + 1)).join(',') });
    expect(tooMany.status).toBe(400);
  });

  it('serves ads/analytics rows exactly as SimAds reports them, keyed by AD_ID, with the analytics limits', () => {
    const { ads, send } = setup();
    const answer = send('GET', 'ads/analytics', { ...ANALYTICS, ad_ids: '1101,2102' });
    const truth = ads.reportedResults(ACCOUNT, ['1101', '2102'], '2026-10-20', '2026-11-01');
    expect(truth.length).toBeGreaterThan(10);
    expect(answer.payload).toEqual(
      truth.map((r) => ({
        AD_ID: r.adId,
        DATE: r.date,
        SPEND_IN_MICRO_DOLLAR: r.spendMicros,
        IMPRESSION_1: r.impressions,
        CLICKTHROUGH_1: r.clicks,
        ...(r.conversions > 0 || r.revenueMicros > 0
          ? { TOTAL_CHECKOUT: r.conversions, TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR: r.revenueMicros }
          : {}),
      })),
    );
    expect(send('GET', 'ads/analytics', ANALYTICS).status).toBe(400);
    expect(send('GET', 'ads/analytics', { ...ANALYTICS, ad_ids: '1101', start_date: '2026-07-01' }).status).toBe(400);
    expect(send('GET', 'ads/analytics', { ...ANALYTICS, ad_ids: '1101', columns: 'NOT_A_COLUMN' }).status).toBe(400);
  });

  it('PATCHes statuses from the next day (shown at once); an unknown ad fails alone', () => {
    const { market, ads, send } = setup();
    const answer = send('PATCH', 'ads', undefined, [
      { id: '1102', status: 'PAUSED' },
      { id: '777', status: 'PAUSED' },
    ]);
    const items = (answer.payload as { items: { data: Record<string, unknown> | null; exceptions: unknown[] }[] }).items;
    expect(items[0]?.data).toMatchObject({ id: '1102', status: 'PAUSED' });
    expect(items[1]).toEqual({ data: null, exceptions: [{ code: 2, message: 'Ad not found.' }] });
    const today = market.today(ACCOUNT);
    expect([ads.statusOn('1102', today), ads.statusOn('1102', addDays(today, 1))]).toEqual(['ACTIVE', 'PAUSED']);
    const bad = send('PATCH', 'ads', undefined, [{ id: '1102', status: 'RUNNING' }]);
    expect((bad.payload as { items: unknown[] }).items[0]).toEqual({
      data: null,
      exceptions: [{ code: 1, message: 'status: invalid value.' }],
    });
    expect(send('PATCH', 'ads', undefined, []).status).toBe(400);
  });
});
