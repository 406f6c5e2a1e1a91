/**
 * The fake X Ads API's ad routes without sockets: promoted tweets listed from SimAds (filters, paging, deleted line
 * items), PROMOTED_TWEET stats carrying exactly SimAds' rows, and the status PUT applied through SimAds.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../lib/model/dates.ts';
import { percentEncode } from '../../../../lib/platforms/x-ads/oauth1.ts';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { SimAds } from '../../../../lib/sim/ads.ts';
import { promotedTweetJson, tweetIdOf } from '../../../../lib/sim/x-ads/ads.ts';
import { FakeXAdsApi, type XAdsResponse } from '../../../../lib/sim/x-ads/api.ts';
import { X_US_ACCOUNT, xAdsMarket } from '../../../../lib/sim/x-ads/sample-market.ts';

const NOW = '2026-11-02T07:00:00Z';

function setup() {
  const clock = new ManualClock(NOW);
  const market = xAdsMarket(clock);
  const ads = new SimAds(market);
  // No credentials: this file is about the ad routes, not OAuth (api.test.ts covers it).
  const api = new FakeXAdsApi({ market, ads });
  let index = 0;
  const send = (method: string, path: string, params: Record<string, string> = {}): XAdsResponse => {
    const url = new URL(`http://127.0.0.1:1234${path}`);
    url.search = Object.entries(params)
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&');
    return api.handle({ method, url, authorization: undefined, index: ++index });
  };
  return { market, ads, send };
}

const BASE = `/12/accounts/${X_US_ACCOUNT}`;
type Page = { data: Record<string, unknown>[]; next_cursor: string | null };

describe('promoted tweets', () => {
  it('lists the ads of the account by id and by line item, paged by count and cursor', () => {
    const { ads, send } = setup();
    const all = ads.ads(X_US_ACCOUNT);
    const first = send('GET', `${BASE}/promoted_tweets`, { count: '4' }).payload as Page;
    expect(first.data).toEqual(all.slice(0, 4).map(promotedTweetJson));
    const second = send('GET', `${BASE}/promoted_tweets`, { count: '4', cursor: first.next_cursor ?? '' }).payload as Page;
    expect(second.data).toEqual(all.slice(4, 8).map(promotedTweetJson));
    const ids = send('GET', `${BASE}/promoted_tweets`, { promoted_tweet_ids: '9cqi001,nope' }).payload as Page;
    expect(ids.data).toEqual([
      {
        id: '9cqi001',
        line_item_id: '9cqi0',
        tweet_id: tweetIdOf('9cqi001'),
        entity_status: 'ACTIVE',
        approval_status: 'ACCEPTED',
        created_at: '2026-01-05T10:00:00Z',
        updated_at: '2026-01-05T10:00:00Z',
        deleted: false,
      },
    ]);
    expect(tweetIdOf('9cqi001')).toMatch(/^\d{19}$/);
    const byLineItem = send('GET', `${BASE}/promoted_tweets`, { line_item_ids: '9cqi1' }).payload as Page;
    expect(byLineItem.data.map((d) => d.id)).toEqual(['9cqi101', '9cqi102']);
    const tooMany = send('GET', `${BASE}/promoted_tweets`, {
      promoted_tweet_ids: Array.from({ length: 201 }, (_, i) => `a${i}`).join(','),
    });
    expect(tooMany.status).toBe(400);
  });

  it('hides the ads of a deleted line item unless with_deleted=true', () => {
    const { market, send } = setup();
    market.setStatus('9cqi3', 'DELETED', new Date('2026-10-20T12:00:00Z'));
    const plain = send('GET', `${BASE}/promoted_tweets`, { line_item_ids: '9cqi3' }).payload as Page;
    expect(plain.data).toEqual([]);
    const all = send('GET', `${BASE}/promoted_tweets`, { line_item_ids: '9cqi3', with_deleted: 'true' }).payload as Page;
    expect(all.data.map((d) => d.id)).toEqual(['9cqi301', '9cqi302']);
  });

  it('serves PROMOTED_TWEET DAY stats from SimAds rows, null where an ad served nothing', () => {
    const { ads, send } = setup();
    const answer = send('GET', `/12/stats/accounts/${X_US_ACCOUNT}`, {
      entity: 'PROMOTED_TWEET',
      entity_ids: '9cqi001,9cqi201',
      start_time: '2026-10-30T08:00:00Z',
      end_time: '2026-11-01T08:00:00Z',
      granularity: 'DAY',
      placement: 'ALL_ON_TWITTER',
      metric_groups: 'BILLING',
    });
    expect(answer.status).toBe(200);
    const truth = ads.reportedResults(X_US_ACCOUNT, ['9cqi001'], '2026-10-30', '2026-10-31');
    const spend = ['2026-10-30', '2026-10-31'].map((d) => truth.find((r) => r.date === d)?.spendMicros ?? null);
    const data = (answer.payload as { data: { id: string; id_data: { metrics: Record<string, unknown> }[] }[] }).data;
    expect(data.map((d) => [d.id, d.id_data[0]?.metrics.billed_charge_local_micro])).toEqual([
      ['9cqi001', spend],
      // 9cqi2 is a paused line item: its ads served nothing.
      ['9cqi201', null],
    ]);
  });

  it('PUT entity_status applies from the next account-local day and shows at once; unknown ads are 404', () => {
    const { market, ads, send } = setup();
    const put = send('PUT', `${BASE}/promoted_tweets/9cqi002`, { entity_status: 'PAUSED' });
    expect((put.payload as { data: Record<string, unknown> }).data).toMatchObject({ id: '9cqi002', entity_status: 'PAUSED' });
    const today = market.today(X_US_ACCOUNT);
    expect([ads.statusOn('9cqi002', today), ads.statusOn('9cqi002', addDays(today, 1))]).toEqual(['ACTIVE', 'PAUSED']);
    const bad = send('PUT', `${BASE}/promoted_tweets/9cqi002`, { entity_status: 'ARCHIVED' });
    expect([bad.status, (bad.payload as { errors: { code: string }[] }).errors[0]?.code]).toEqual([400, 'INVALID_PARAMETER']);
    const missing = send('PUT', `${BASE}/promoted_tweets/zz01`, { entity_status: 'PAUSED' });
    expect([missing.status, (missing.payload as { errors: { code: string }[] }).errors[0]?.code]).toEqual([404, 'NOT_FOUND']);
  });
});
