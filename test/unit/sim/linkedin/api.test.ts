/** The fake LinkedIn API without sockets: routes, Rest.li parsing, documented limits and LinkedIn's error bodies. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../lib/runtime/clock.ts';
import { SimulationError } from '../../../../lib/sim/errors.ts';
import { FakeLinkedInApi, type FakeLinkedInApiOptions, type LinkedInRequest } from '../../../../lib/sim/linkedin/api.ts';
import { RestliSyntaxError } from '../../../../lib/sim/linkedin/errors.ts';
import { parseRestli, rawQueryParams } from '../../../../lib/sim/linkedin/wire.ts';
import { MarketSimulator } from '../../../../lib/sim/market.ts';

const UNIT = 1_000_000;
const TOKEN = 'li-fake-unit';

function market(timezone = 'UTC') {
  const adset = {
    platform: 'linkedin',
    accountId: '100',
    campaignId: '900',
    campaignName: 'Group',
    cpmMicros: 20 * UNIT,
    ctr: 0.01,
  } as const;
  const curve = { beta: 10, alpha: 1, kappa: 100 };
  return new MarketSimulator({
    seed: 3,
    clock: new ManualClock('2026-11-02T07:00:00Z'),
    startDate: '2026-10-01',
    accounts: [{ platform: 'linkedin', accountId: '100', name: 'B2B', currency: 'USD', timezone }],
    adsets: [
      { ...adset, adsetId: '501', name: 'One', dailyBudgetMicros: 100 * UNIT, curve, averageOrderValueMicros: 200 * UNIT },
      { ...adset, adsetId: '502', name: 'Two', dailyBudgetMicros: 50 * UNIT, curve, averageOrderValueMicros: 200 * UNIT },
      {
        ...adset,
        adsetId: '503',
        name: 'Three',
        status: 'PAUSED',
        dailyBudgetMicros: 50 * UNIT,
        curve,
        averageOrderValueMicros: 200 * UNIT,
      },
    ],
  });
}

function api(options: Partial<Omit<FakeLinkedInApiOptions, 'market'>> = {}, m = market()) {
  return { api: new FakeLinkedInApi({ market: m, accessToken: TOKEN, ...options }), market: m };
}

let index = 0;
function request(
  path: string,
  rawQuery = '',
  extra: Partial<LinkedInRequest> & { headers?: Record<string, string | undefined> } = {},
): LinkedInRequest {
  index += 1;
  return {
    method: 'GET',
    path,
    rawQuery,
    body: undefined,
    index,
    ...extra,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'linkedin-version': '202601',
      'x-restli-protocol-version': '2.0.0',
      ...extra.headers,
    },
  };
}

const ANALYTICS =
  'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2026,month:10,day:1),end:(year:2026,month:10,day:3))' +
  '&accounts=List(urn%3Ali%3AsponsoredAccount%3A100)&fields=dateRange,pivotValues,impressions,clicks,costInLocalCurrency,externalWebsiteConversions,conversionValueInLocalCurrency';

describe('Rest.li 2.0 wire', () => {
  it('parses records and lists, decoding primitives', () => {
    expect(parseRestli('(start:(year:2026,month:10,day:1),end:(year:2026,month:10,day:7))')).toEqual({
      start: { year: '2026', month: '10', day: '1' },
      end: { year: '2026', month: '10', day: '7' },
    });
    expect(parseRestli('List(urn%3Ali%3AsponsoredCampaign%3A1,urn%3Ali%3AsponsoredCampaign%3A2)')).toEqual([
      'urn:li:sponsoredCampaign:1',
      'urn:li:sponsoredCampaign:2',
    ]);
    expect(parseRestli('(status:(values:List(ACTIVE,PAUSED)))')).toEqual({ status: { values: ['ACTIVE', 'PAUSED'] } });
  });

  it('refuses URNs whose colons were not encoded, and unbalanced syntax', () => {
    expect(() => parseRestli('List(urn:li:sponsoredCampaign:1)')).toThrow(RestliSyntaxError);
    expect(() => parseRestli('(start:(year:2026)')).toThrow(RestliSyntaxError);
    expect(() => rawQueryParams('a=1&a=2')).toThrow(RestliSyntaxError);
  });
});

describe('fake LinkedIn API', () => {
  it('serves an ad account and refuses accounts the token cannot see with 403 ACCESS_DENIED', () => {
    const { api: fake } = api();
    expect(fake.handle(request('/rest/adAccounts/100'))).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json', 'x-restli-protocol-version': '2.0.0' },
      payload: {
        id: 100,
        name: 'B2B',
        currency: 'USD',
        status: 'ACTIVE',
        type: 'BUSINESS',
        reference: 'urn:li:organization:100',
        servingStatuses: ['RUNNABLE'],
        test: false,
        version: { versionTag: '1' },
      },
    });
    expect(fake.handle(request('/rest/adAccounts/999')).payload).toEqual({
      status: 403,
      serviceErrorCode: 100,
      code: 'ACCESS_DENIED',
      message: 'Not enough permissions to access: adAccounts.GET.999',
    });
  });

  it('answers LinkedIn-style auth, version and protocol errors', () => {
    const { api: fake } = api({ activeVersions: ['202601'] });
    const status = (r: LinkedInRequest) => {
      const answer = fake.handle(r);
      return [answer.status, (answer.payload as { code?: string }).code];
    };
    expect(status(request('/rest/adAccounts/100', '', { headers: { authorization: undefined } }))).toEqual([401, undefined]);
    expect(status(request('/rest/adAccounts/100', '', { headers: { authorization: 'Bearer nope' } }))).toEqual([
      401,
      'INVALID_ACCESS_TOKEN',
    ]);
    expect(status(request('/rest/adAccounts/100', '', { headers: { 'linkedin-version': undefined } }))).toEqual([400, 'VERSION_MISSING']);
    expect(status(request('/rest/adAccounts/100', '', { headers: { 'linkedin-version': '202502' } }))).toEqual([
      426,
      'NONEXISTENT_VERSION',
    ]);
    expect(status(request('/rest/adAnalytics', ANALYTICS, { headers: { 'x-restli-protocol-version': undefined } }))).toEqual([
      400,
      'ILLEGAL_ARGUMENT',
    ]);
    expect(
      status(request('/rest/adAnalytics', ANALYTICS.replace('urn%3Ali%3AsponsoredAccount%3A100', 'urn:li:sponsoredAccount:100'))),
    ).toEqual([400, 'ILLEGAL_ARGUMENT']);
    expect(fake.handle(request('/rest/adAnalytics', `${ANALYTICS}${'&x=1'.repeat(3_000)}`)).status).toBe(414);
  });

  it('serves daily analytics elements from the market truth, projected on `fields`', () => {
    const { api: fake, market: m } = api();
    const truth = m.reportedResults('100', '2026-10-01', '2026-10-03');
    const answer = fake.handle(request('/rest/adAnalytics', ANALYTICS));
    const first = truth[0];
    if (!first) throw new Error('no truth');
    const elements = (answer.payload as { elements: unknown[] }).elements;
    expect(elements.length).toBe(truth.length);
    expect(elements[0]).toEqual({
      dateRange: { start: { year: 2026, month: 10, day: 1 }, end: { year: 2026, month: 10, day: 1 } },
      pivotValues: [`urn:li:sponsoredCampaign:${first.adsetId}`],
      impressions: first.impressions,
      clicks: first.clicks,
      costInLocalCurrency: (first.spendMicros / UNIT).toFixed(2),
      externalWebsiteConversions: first.conversions,
      conversionValueInLocalCurrency: (first.revenueMicros / UNIT).toFixed(2),
    });
    // Without `fields`, impressions and clicks only.
    const bare = fake.handle(request('/rest/adAnalytics', ANALYTICS.replace(/&fields=.*$/, '')));
    expect((bare.payload as { elements: unknown[] }).elements[0]).toEqual({ impressions: first.impressions, clicks: first.clicks });
  });

  it('cuts an analytics answer at the cap silently, filters by campaigns, and rejects what LinkedIn rejects', () => {
    const { api: fake } = api({ maxElements: 4 });
    const cut = fake.handle(request('/rest/adAnalytics', ANALYTICS));
    expect(cut.status).toBe(200);
    expect((cut.payload as { elements: unknown[] }).elements.length).toBe(4);
    const one = fake.handle(request('/rest/adAnalytics', `${ANALYTICS}&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A502)`));
    expect(
      (one.payload as { elements: { pivotValues: string[] }[] }).elements.every((e) => e.pivotValues[0] === 'urn:li:sponsoredCampaign:502'),
    ).toBe(true);
    const metrics = Array.from(
      { length: 21 },
      (_, i) =>
        [
          'impressions',
          'clicks',
          'likes',
          'shares',
          'comments',
          'follows',
          'sends',
          'opens',
          'reactions',
          'videoViews',
          'videoCompletions',
          'oneClickLeads',
          'totalEngagements',
          'landingPageClicks',
          'costInUsd',
          'costInLocalCurrency',
          'externalWebsiteConversions',
          'externalWebsitePostClickConversions',
          'externalWebsitePostViewConversions',
          'conversionValueInLocalCurrency',
          'approximateMemberReach',
        ][i],
    );
    const reject = (query: string) => fake.handle(request('/rest/adAnalytics', query)).status;
    expect(reject(ANALYTICS.replace(/fields=.*$/, `fields=${metrics.join(',')}`))).toBe(400);
    expect(reject(ANALYTICS.replace(/fields=.*$/, 'fields=impressions,spend'))).toBe(400);
    expect(reject(ANALYTICS.replace('&accounts=List(urn%3Ali%3AsponsoredAccount%3A100)', ''))).toBe(400);
    expect(reject(ANALYTICS.replace('pivot=CAMPAIGN', 'pivot=COMPANY'))).toBe(400);
    expect(reject(ANALYTICS.replace('day:3', 'day:32'))).toBe(400);
    // No access and no activity look alike: an empty answer.
    const other = fake.handle(request('/rest/adAnalytics', ANALYTICS.replace('sponsoredAccount%3A100', 'sponsoredAccount%3A7')));
    expect(other.payload).toEqual({ elements: [], paging: { count: 10, start: 0, links: [] } });
  });

  it('pages the campaign finder with pageToken and metadata.nextPageToken, filtered by status', () => {
    const { api: fake } = api();
    const search = 'q=search&search=(status:(values:List(ACTIVE)))&pageSize=1';
    const first = fake.handle(request('/rest/adAccounts/100/adCampaigns', search)).payload as {
      elements: { id: number }[];
      metadata: { nextPageToken?: string };
    };
    expect(first.elements.map((e) => e.id)).toEqual([501]);
    const token = first.metadata.nextPageToken ?? '';
    const second = fake.handle(request('/rest/adAccounts/100/adCampaigns', `${search}&pageToken=${token}`)).payload;
    expect(second).toEqual({
      elements: [
        {
          id: 502,
          name: 'Two',
          account: 'urn:li:sponsoredAccount:100',
          campaignGroup: 'urn:li:sponsoredCampaignGroup:900',
          status: 'ACTIVE',
          type: 'SPONSORED_UPDATES',
          costType: 'CPM',
          objectiveType: 'WEBSITE_CONVERSION',
          dailyBudget: { amount: '50.00', currencyCode: 'USD' },
          version: { versionTag: '1' },
        },
      ],
      metadata: {},
    });
    expect(fake.handle(request('/rest/adAccounts/100/adCampaigns', 'q=search&pageSize=1001')).status).toBe(400);
    expect(fake.handle(request('/rest/adAccounts/100/adCampaigns', 'q=search&pageToken=bogus')).status).toBe(400);
  });

  it('applies a PARTIAL_UPDATE of dailyBudget and status from the next day; refuses a wrong currency or too many decimals whole', () => {
    const { api: fake, market: m } = api();
    const post = (set: unknown, method = 'PARTIAL_UPDATE') =>
      fake.handle(
        request('/rest/adAccounts/100/adCampaigns/501', '', {
          method: 'POST',
          body: { patch: { $set: set } },
          headers: { 'x-restli-method': method },
        }),
      );
    expect(post({ dailyBudget: { amount: '80.00', currencyCode: 'EUR' }, status: 'PAUSED' }).status).toBe(422);
    expect(post({ dailyBudget: { amount: '80.001', currencyCode: 'USD' } }).status).toBe(422);
    expect(post({ dailyBudget: { amount: '80.00', currencyCode: 'USD' } }, 'UPDATE').status).toBe(400);
    expect(m.adset('501')).toMatchObject({ dailyBudgetMicros: 100 * UNIT, status: 'ACTIVE' });
    expect(post({ dailyBudget: { amount: '80.50', currencyCode: 'USD' }, status: 'PAUSED' })).toEqual({
      status: 204,
      headers: { 'x-restli-protocol-version': '2.0.0' },
      text: '',
    });
    expect(m.budgetOn('501', '2026-11-03')).toBe(80_500_000);
    expect(m.statusOn('501', '2026-11-03')).toBe('PAUSED');
    expect(m.budgetOn('501', '2026-11-02')).toBe(100 * UNIT);
  });

  it('pauses and re-activates with a status-only PARTIAL_UPDATE: GET shows it at once, the market from the next day', () => {
    const { api: fake, market: m } = api();
    const post = (set: unknown) =>
      fake.handle(
        request('/rest/adAccounts/100/adCampaigns/501', '', {
          method: 'POST',
          body: { patch: { $set: set } },
          headers: { 'x-restli-method': 'PARTIAL_UPDATE' },
        }),
      );
    const statusOf = () => (fake.handle(request('/rest/adAccounts/100/adCampaigns/501')).payload as { status: string }).status;
    expect(post({ status: 'PAUSED' })).toEqual({ status: 204, headers: { 'x-restli-protocol-version': '2.0.0' }, text: '' });
    expect(statusOf()).toBe('PAUSED');
    expect([m.statusOn('501', '2026-11-02'), m.statusOn('501', '2026-11-03')]).toEqual(['ACTIVE', 'PAUSED']);
    // Writing the status it already has is accepted.
    expect(post({ status: 'PAUSED' }).status).toBe(204);
    expect(post({ status: 'ACTIVE' }).status).toBe(204);
    expect([statusOf(), m.statusOn('501', '2026-11-03')]).toEqual(['ACTIVE', 'ACTIVE']);
    expect(m.adset('501').dailyBudgetMicros).toBe(100 * UNIT);
  });

  it('refuses a status LinkedIn does not take (422) and any status change of a REMOVED campaign (400), changing nothing', () => {
    const { api: fake, market: m } = api();
    const post = (id: string, set: unknown) =>
      fake.handle(
        request(`/rest/adAccounts/100/adCampaigns/${id}`, '', {
          method: 'POST',
          body: { patch: { $set: set } },
          headers: { 'x-restli-method': 'PARTIAL_UPDATE' },
        }),
      );
    expect(post('501', { status: 'ENABLED' }).payload).toEqual({
      status: 422,
      code: 'INVALID_VALUE',
      message: 'status: ENABLED cannot be set',
    });
    m.setStatus('503', 'DELETED');
    expect(post('503', { status: 'ACTIVE' }).payload).toEqual({
      status: 400,
      code: 'INVALID_STATUS_TRANSITION',
      message: 'Campaign 503 is REMOVED; its status cannot be changed',
    });
    expect([m.adset('501').status, m.adset('503').status]).toEqual(['ACTIVE', 'DELETED']);
  });

  it('answers the APPLICATION DAY 429 past the daily quota', () => {
    const { api: fake } = api({ dailyQuota: 1 });
    expect(fake.handle(request('/rest/adAccounts/100')).status).toBe(200);
    expect(fake.handle(request('/rest/adAccounts/100')).payload).toEqual({
      status: 429,
      serviceErrorCode: 101,
      code: 'TOO_MANY_REQUESTS',
      message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
    });
  });

  it('requires LinkedIn accounts on UTC, as LinkedIn reports UTC days', () => {
    expect(() => api({}, market('Europe/Paris'))).toThrow(SimulationError);
  });
});
