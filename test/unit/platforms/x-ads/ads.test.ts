/**
 * Contract tests of the X Ads connector's ad level (promoted tweets): the listing and stats requests on the wire,
 * PROMOTED_TWEET stats folded per ad and day with the ad's line item and campaign, a bad promoted tweet named by
 * field, and the status PUT read back.
 */
import { describe, expect, it } from 'vitest';
import type { Ad } from '../../../../lib/model/ads.ts';
import { hasAdLevel } from '../../../../lib/platforms/ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../../../../lib/platforms/errors.ts';
import { createXAdsConnector } from '../../../../lib/platforms/x-ads/connector.ts';
import { fixedClock } from '../../../../lib/runtime/clock.ts';
import { ACCOUNT_ID, type Answer, campaignsPage, DOCS_METRICS_8U94T, lineItem, routeFetch, statsAnswer } from './fixtures.ts';

const CREDENTIALS = { consumerKey: 'ck-unit', consumerSecret: 'cs-unit', accessToken: 'at-unit', accessTokenSecret: 'ats-unit' };
const NOW = '2026-05-20T12:00:00Z';
const US = { platform: 'x-ads' as const, accountId: ACCOUNT_ID, name: 'Acme', currency: 'USD', timezone: 'America/Los_Angeles' };
const BASE = `https://ads-api.x.com/12/accounts/${ACCOUNT_ID}`;

function connector(routes: Record<string, readonly Answer[]>) {
  const { fetch, calls } = routeFetch(routes);
  const x = createXAdsConnector({ ...CREDENTIALS, fetch, clock: fixedClock(NOW), nonce: () => 'n', sleep: async () => {}, maxAttempts: 2 });
  return { x, calls };
}

/** A promoted tweet as X's reference shows one. */
function promotedTweet(id: string, lineItemId: string, overrides: Record<string, unknown> = {}) {
  return {
    approval_status: 'ACCEPTED',
    created_at: '2018-02-21T07:14:14Z',
    deleted: false,
    entity_status: 'ACTIVE',
    id,
    line_item_id: lineItemId,
    tweet_id: '966209425806626821',
    updated_at: '2018-02-21T07:14:15Z',
    ...overrides,
  };
}

const ENTITY_ROUTES = {
  'GET /promoted_tweets': [
    { body: campaignsPage([promotedTweet('1efwlo', '8u94t'), promotedTweet('1efwlp', '8u94t', { entity_status: 'PAUSED' })]) },
  ],
  'GET /line_items': [{ body: campaignsPage([lineItem('8u94t', '8wku2')]) }],
};
const AD: Ad = {
  platform: 'x-ads',
  accountId: ACCOUNT_ID,
  adId: '1efwlo',
  adsetId: '8u94t',
  campaignId: '8wku2',
  name: 'Promoted tweet 966209425806626821',
  status: 'ACTIVE',
};

describe('X Ads ad level', () => {
  it('has the capability and lists promoted tweets by id with their line item and campaign', async () => {
    const { x, calls } = connector(ENTITY_ROUTES);
    expect(hasAdLevel(x)).toBe(true);
    expect(await x.getAds(US, ['1efwlo', '1efwlp', '1efwlo'])).toEqual([AD, { ...AD, adId: '1efwlp', status: 'PAUSED' }]);
    expect(calls.map((c) => `${c.method} ${c.url.toString()}`)).toEqual([
      `GET ${BASE}/promoted_tweets?promoted_tweet_ids=1efwlo%2C1efwlp&with_deleted=true&count=200`,
      `GET ${BASE}/line_items?line_item_ids=8u94t&with_deleted=true&count=200`,
    ]);
  });

  it('asks for at most 200 promoted tweet ids per call; a deleted one reads DELETED', async () => {
    const ids = Array.from({ length: 201 }, (_, i) => `a${i}`);
    const { x, calls } = connector({
      ...ENTITY_ROUTES,
      'GET /promoted_tweets': [{ body: campaignsPage([promotedTweet('a0', '8u94t', { deleted: true })]) }, { body: campaignsPage([]) }],
    });
    expect(await x.getAds(US, ids)).toEqual([{ ...AD, adId: 'a0', status: 'DELETED' }]);
    const lists = calls.filter((c) => c.url.pathname.endsWith('/promoted_tweets'));
    expect(lists.map((c) => c.url.searchParams.get('promoted_tweet_ids')?.split(',').length)).toEqual([200, 1]);
  });

  it('a promoted tweet without line_item_id is a MalformedResponseError naming the field', async () => {
    const { x } = connector({
      ...ENTITY_ROUTES,
      'GET /promoted_tweets': [{ body: campaignsPage([{ ...promotedTweet('1efwlo', '8u94t'), line_item_id: undefined }]) }],
    });
    const error = await x.getAds(US, ['1efwlo']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).message).toContain('line_item_id');
  });

  it('reads PROMOTED_TWEET DAY stats per ad and day, with the line item and campaign of the ad', async () => {
    const stats = statsAnswer([{ id: '1efwlo', id_data: [{ segment: null, metrics: DOCS_METRICS_8U94T }] }]);
    const { x, calls } = connector({ ...ENTITY_ROUTES, 'GET /stats/accounts/18ce54d4x5t': [{ body: stats }] });
    const rows = await x.fetchAdDailyMetrics(US, ['1efwlo', '1efwlp'], '2026-05-19', '2026-05-20');
    const base = { platform: 'x-ads', accountId: ACCOUNT_ID, adId: '1efwlo', adsetId: '8u94t', campaignId: '8wku2', currency: 'USD' };
    expect(rows).toEqual([
      { ...base, date: '2026-05-19', spendMicros: 2_500_000, revenueMicros: 5998, impressions: 1233, clicks: 58, conversions: 2 },
      { ...base, date: '2026-05-20', spendMicros: 1_900_000, revenueMicros: 0, impressions: 980, clicks: 40, conversions: 0 },
    ]);
    const wire = calls.filter((c) => c.url.pathname.includes('/stats/'));
    expect(wire.map((c) => c.url.search)).toEqual(
      ['ENGAGEMENT', 'BILLING', 'WEB_CONVERSION'].map(
        (group) =>
          '?entity=PROMOTED_TWEET&entity_ids=1efwlo%2C1efwlp&start_time=2026-05-19T07%3A00%3A00Z&end_time=2026-05-21T07%3A00%3A00Z' +
          `&granularity=DAY&placement=ALL_ON_TWITTER&metric_groups=${group}`,
      ),
    );
  });

  it('a malformed ad stats row is a MalformedResponseError naming the field; ids that do not exist ask for no stats', async () => {
    const bad = statsAnswer([{ id: '1efwlo', id_data: [{ segment: null, metrics: { ...DOCS_METRICS_8U94T, impressions: [1.5, 2] } }] }]);
    const { x } = connector({ ...ENTITY_ROUTES, 'GET /stats/accounts/18ce54d4x5t': [{ body: bad }] });
    const error = await x.fetchAdDailyMetrics(US, ['1efwlo', '1efwlp'], '2026-05-19', '2026-05-20').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).message).toContain('impressions');
    const none = connector({ ...ENTITY_ROUTES, 'GET /promoted_tweets': [{ body: campaignsPage([]) }] });
    expect(await none.x.fetchAdDailyMetrics(US, ['zzz'], '2026-05-19', '2026-05-20')).toEqual([]);
    expect(none.calls.some((c) => c.url.pathname.includes('/stats/'))).toBe(false);
  });

  it('PUTs entity_status on the promoted tweet and reads it back; another read-back names the ad and both statuses', async () => {
    const put = (status: string) => ({
      body: { request: { params: {} }, data: promotedTweet('1efwlo', '8u94t', { entity_status: status }) },
    });
    const paused = campaignsPage([promotedTweet('1efwlo', '8u94t', { entity_status: 'PAUSED' })]);
    const { x, calls } = connector({
      ...ENTITY_ROUTES,
      'PUT /promoted_tweets/1efwlo': [put('PAUSED')],
      'GET /promoted_tweets': [{ body: paused }],
    });
    expect(await x.setAdStatus(AD, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls[0] && `${calls[0].method} ${calls[0].url.toString()}`).toBe(`PUT ${BASE}/promoted_tweets/1efwlo?entity_status=PAUSED`);

    const stuck = connector({
      ...ENTITY_ROUTES,
      'PUT /promoted_tweets/1efwlo': [put('PAUSED')],
      'GET /promoted_tweets': [{ body: paused }],
    });
    const error = await stuck.x.setAdStatus(AD, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toMatch(/1efwlo was set to ACTIVE but reads back PAUSED/);
  });
});
