/** Contract tests of the LinkedIn connector on payloads shaped like the documented ones (PLATFORM_APIS.md §4). */
import { describe, expect, it } from 'vitest';
import type { AdAccount, AdSet } from '../../../../lib/model/ads.ts';
import {
  MalformedResponseError,
  PlatformRequestError,
  RateLimitedError,
  TransientPlatformError,
} from '../../../../lib/platforms/errors.ts';
import { createLinkedInConnector } from '../../../../lib/platforms/linkedin/connector.ts';
import { fixedClock } from '../../../../lib/runtime/clock.ts';
import { type Answer, fixture, routeFetch } from './fixture-fetch.ts';

const ACCOUNT: AdAccount = { platform: 'linkedin', accountId: '512345678', name: 'Acme', currency: 'EUR', timezone: 'UTC' };
const TOKEN = 'li-unit-token';

function connector(routes: Record<string, readonly (Answer | string)[]>, options: { maxElements?: number } = {}) {
  const { fetch, calls } = routeFetch(routes);
  const delays: number[] = [];
  const linkedin = createLinkedInConnector({
    accessToken: TOKEN,
    version: '202601',
    fetch,
    clock: fixedClock('2026-10-15T22:00:00Z'),
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    maxAttempts: 3,
    ...options,
  });
  return { linkedin, calls, delays };
}

const campaignRoutes = {
  'GET /adCampaigns': [fixture('campaigns-page-1.json'), fixture('campaigns-page-2.json')],
  'GET /adCampaignGroups': [fixture('campaign-groups.json')],
};

describe('LinkedIn accounts and campaigns contract', () => {
  it('reads an ad account: currency, name as text, UTC, with the version and Rest.li headers and the bearer token', async () => {
    const { linkedin, calls } = connector({ 'GET /adAccounts/512345678': [fixture('ad-account.json')] });
    expect(await linkedin.getAccount('512345678')).toEqual({
      platform: 'linkedin',
      accountId: '512345678',
      name: 'Acme <B2B> & "Co"',
      currency: 'EUR',
      timezone: 'UTC',
    });
    expect(calls).toEqual([
      {
        method: 'GET',
        url: 'https://api.linkedin.com/rest/adAccounts/512345678',
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${TOKEN}`,
          'linkedin-version': '202601',
          'x-restli-protocol-version': '2.0.0',
        },
        body: undefined,
      },
    ]);
  });

  it('lists campaigns over pageToken pages as ad sets, groups as campaigns, lifetime-only budgets as null', async () => {
    const { linkedin, calls } = connector(campaignRoutes);
    const adsets = await linkedin.listAdSets(ACCOUNT);
    const base = { platform: 'linkedin', accountId: '512345678', currency: 'EUR', budgetLevel: 'adset', learning: false } as const;
    expect(adsets).toEqual([
      {
        ...base,
        adsetId: '1001',
        campaignId: '9001',
        name: '<script>alert(1)</script> DACH',
        campaignName: 'Brand – EMEA',
        status: 'ACTIVE',
        dailyBudgetMicros: 100_000_000,
      },
      {
        ...base,
        adsetId: '1002',
        campaignId: '9001',
        name: 'Lifetime only',
        campaignName: 'Brand – EMEA',
        status: 'ARCHIVED',
        dailyBudgetMicros: null,
      },
      {
        ...base,
        adsetId: '1003',
        campaignId: '9002',
        name: 'Paused',
        campaignName: 'Leads',
        status: 'PAUSED',
        dailyBudgetMicros: 55_500_000,
      },
    ] satisfies AdSet[]);
    const pages = calls.filter((c) => new URL(c.url).pathname.endsWith('/adCampaigns')).map((c) => new URL(c.url).search);
    expect(pages).toEqual([
      '?q=search&search=(status:(values:List(ACTIVE,PAUSED,ARCHIVED,COMPLETED,CANCELED,PENDING_DELETION,REMOVED)))&pageSize=500',
      '?q=search&search=(status:(values:List(ACTIVE,PAUSED,ARCHIVED,COMPLETED,CANCELED,PENDING_DELETION,REMOVED)))&pageSize=500&pageToken=token-page-2',
    ]);
  });

  it('a page token that comes back again is a MalformedResponseError rather than an endless loop', async () => {
    const { linkedin } = connector({ ...campaignRoutes, 'GET /adCampaigns': [fixture('campaigns-page-1.json')] });
    const error = await linkedin.listAdSets(ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('metadata.nextPageToken');
  });

  it('a campaign of another account is a MalformedResponseError naming the field', async () => {
    const other = fixture('campaigns-page-2.json').replaceAll('sponsoredAccount:512345678', 'sponsoredAccount:1');
    const { linkedin } = connector({ ...campaignRoutes, 'GET /adCampaigns': [fixture('campaigns-page-1.json'), other] });
    const error = await linkedin.listAdSets(ACCOUNT).catch((e: unknown) => e);
    expect((error as MalformedResponseError).field).toBe('elements[0] (page 2).account');
  });
});

describe('LinkedIn adAnalytics contract', () => {
  it('reads the documented element: decimal strings, counts, missing conversion fields as 0, sub-micro cost rounded', async () => {
    const { linkedin, calls } = connector({ ...campaignRoutes, 'GET /adAnalytics': [fixture('analytics.json')] });
    const row = { platform: 'linkedin', accountId: '512345678', currency: 'EUR' } as const;
    expect(await linkedin.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-02')).toEqual([
      {
        ...row,
        adsetId: '1001',
        campaignId: '9001',
        date: '2026-10-01',
        spendMicros: 10_000_000,
        revenueMicros: 120_000_000,
        impressions: 1000,
        clicks: 50,
        conversions: 3,
      },
      {
        ...row,
        adsetId: '1003',
        campaignId: '9002',
        date: '2026-10-02',
        spendMicros: 37_102_541,
        revenueMicros: 0,
        impressions: 420,
        clicks: 0,
        conversions: 0,
      },
    ]);
    const analytics = calls.filter((c) => new URL(c.url).pathname.endsWith('/adAnalytics'));
    expect(analytics.map((c) => new URL(c.url).search)).toEqual([
      '?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY' +
        '&dateRange=(start:(year:2026,month:10,day:1),end:(year:2026,month:10,day:2))' +
        '&accounts=List(urn%3Ali%3AsponsoredAccount%3A512345678)' +
        '&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A1001,urn%3Ali%3AsponsoredCampaign%3A1002,urn%3Ali%3AsponsoredCampaign%3A1003)' +
        '&fields=dateRange,pivotValues,impressions,clicks,costInLocalCurrency,externalWebsiteConversions,conversionValueInLocalCurrency',
    ]);
  });

  it('slices dates × campaigns under the element cap: 3 campaigns, cap 4 → one-day requests of ≤ 3 campaigns', async () => {
    const { linkedin, calls } = connector({ ...campaignRoutes, 'GET /adAnalytics': ['{"elements":[]}'] }, { maxElements: 4 });
    expect(await linkedin.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-03')).toEqual([]);
    const ranges = calls
      .filter((c) => new URL(c.url).pathname.endsWith('/adAnalytics'))
      .map((c) => new URL(c.url).searchParams.get('dateRange'));
    expect(ranges).toEqual([
      '(start:(year:2026,month:10,day:1),end:(year:2026,month:10,day:1))',
      '(start:(year:2026,month:10,day:2),end:(year:2026,month:10,day:2))',
      '(start:(year:2026,month:10,day:3),end:(year:2026,month:10,day:3))',
    ]);
  });

  type Element = Record<string, unknown> & { dateRange: { start: { day: number }; end: { day: number } } };
  const edit = (change: (elements: Element[]) => void) => (text: string) => {
    const body = JSON.parse(text) as { elements: Element[] };
    change(body.elements);
    return JSON.stringify(body);
  };
  const first = (patch: Record<string, unknown>) => edit((e) => Object.assign(e[0] ?? {}, patch));
  it.each([
    ['a campaign not asked for', first({ pivotValues: ['urn:li:sponsoredCampaign:7'] }), 'elements[0].pivotValues[0]'],
    [
      'a date outside the range',
      edit((e) => {
        const second = e[1];
        if (second)
          second.dateRange = { start: { year: 2026, month: 10, day: 9 }, end: { year: 2026, month: 10, day: 9 } } as Element['dateRange'];
      }),
      'elements[1].dateRange.start',
    ],
    [
      'a multi-day element',
      edit((e) => {
        const one = e[0];
        if (one)
          one.dateRange = { start: { year: 2026, month: 10, day: 1 }, end: { year: 2026, month: 10, day: 2 } } as Element['dateRange'];
      }),
      'elements[0].dateRange',
    ],
    ['a cost as a number', first({ costInLocalCurrency: 10 }), 'elements[0].costInLocalCurrency'],
    ['a fractional conversion count', first({ externalWebsiteConversions: '2.5' }), 'elements[0].externalWebsiteConversions'],
    ['a negative impression count', first({ impressions: -1 }), 'elements[0].impressions'],
  ])('%s is a MalformedResponseError naming the field, after retrying', async (_name, corrupt, field) => {
    const { linkedin, calls } = connector({ ...campaignRoutes, 'GET /adAnalytics': [corrupt(fixture('analytics.json'))] });
    const error = await linkedin.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-02').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe(field);
    expect(calls.filter((c) => c.url.includes('/adAnalytics')).length).toBe(3);
  });

  it('a repeated campaign-day is a MalformedResponseError', async () => {
    const body = JSON.parse(fixture('analytics.json')) as { elements: unknown[] };
    const repeated = JSON.stringify({ elements: [body.elements[0], body.elements[0]] });
    const { linkedin } = connector({ ...campaignRoutes, 'GET /adAnalytics': [repeated] });
    const error = await linkedin.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-02').catch((e: unknown) => e);
    expect((error as MalformedResponseError).field).toBe('elements');
  });
});

describe('LinkedIn budget and status writes contract', () => {
  const adset: AdSet = {
    platform: 'linkedin',
    accountId: '512345678',
    adsetId: '1001',
    campaignId: '9001',
    name: 'DACH',
    campaignName: '',
    status: 'ACTIVE',
    currency: 'EUR',
    dailyBudgetMicros: 100_000_000,
    budgetLevel: 'adset',
    learning: false,
  };
  const campaign = (patch: Record<string, unknown>, drop?: string) => {
    const body = { ...(JSON.parse(fixture('campaign-1001.json')) as Record<string, unknown>), ...patch };
    if (drop) delete body[drop];
    return JSON.stringify(body);
  };
  const after = campaign({ dailyBudget: { amount: '150.45', currencyCode: 'EUR' } });

  it('writes {"patch":{"$set":{"dailyBudget":…}}} with PARTIAL_UPDATE, rounded down, and reads it back', async () => {
    const { linkedin, calls } = connector({
      'GET /adCampaigns/1001': [fixture('campaign-1001.json'), after],
      'POST /adCampaigns/1001': [{ status: 204, body: '' }],
    });
    expect(await linkedin.setDailyBudget(adset, 150_459_999)).toEqual({ appliedMicros: 150_450_000, readBackMicros: 150_450_000 });
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe('https://api.linkedin.com/rest/adAccounts/512345678/adCampaigns/1001');
    expect(post?.headers['x-restli-method']).toBe('PARTIAL_UPDATE');
    expect(JSON.parse(post?.body ?? '')).toEqual({ patch: { $set: { dailyBudget: { amount: '150.45', currencyCode: 'EUR' } } } });
  });

  it('refuses a campaign with a lifetime budget only, another currency, or a negative amount, before writing', async () => {
    const lifetime = campaign({ totalBudget: { amount: '900.00', currencyCode: 'EUR' } }, 'dailyBudget');
    const usd = campaign({ dailyBudget: { amount: '100.00', currencyCode: 'USD' } });
    for (const body of [lifetime, usd]) {
      const { linkedin, calls } = connector({ 'GET /adCampaigns/1001': [body] });
      await expect(linkedin.setDailyBudget(adset, 50_000_000)).rejects.toBeInstanceOf(PlatformRequestError);
      expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    }
    const { linkedin, calls } = connector({ 'GET /adCampaigns/1001': [fixture('campaign-1001.json')] });
    await expect(linkedin.setDailyBudget(adset, -1)).rejects.toBeInstanceOf(PlatformRequestError);
    expect(calls).toEqual([]);
  });

  it('a 429 naming the daily limit is thrown at once with the wait until midnight UTC', async () => {
    const daily = {
      status: 429,
      body: '{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS","message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}',
    };
    const { linkedin, calls, delays } = connector({ 'GET /adCampaigns/1001': [daily] });
    const error = await linkedin.getDailyBudget(adset).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(2 * 3_600_000);
    expect(calls.length).toBe(1);
    expect(delays).toEqual([]);
  });

  it('pauses with {"patch":{"$set":{"status":"PAUSED"}}} (PARTIAL_UPDATE), then GETs the campaign and maps its status back', async () => {
    const { linkedin, calls } = connector({
      'GET /adCampaigns/1001': [campaign({ status: 'PAUSED' })],
      'POST /adCampaigns/1001': [{ status: 204, body: '' }],
    });
    expect(await linkedin.setStatus(adset, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    const headers = {
      accept: 'application/json',
      authorization: `Bearer ${TOKEN}`,
      'linkedin-version': '202601',
      'x-restli-protocol-version': '2.0.0',
    };
    const url = 'https://api.linkedin.com/rest/adAccounts/512345678/adCampaigns/1001';
    expect(calls).toEqual([
      {
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': 'application/json', 'x-restli-method': 'PARTIAL_UPDATE' },
        body: '{"patch":{"$set":{"status":"PAUSED"}}}',
      },
      { method: 'GET', url, headers, body: undefined },
    ]);
  });

  it('re-activates with {"status":"ACTIVE"}; a 500 on the write is retried and the same absolute write sent again', async () => {
    const { linkedin, calls, delays } = connector({
      'GET /adCampaigns/1001': [fixture('campaign-1001.json')],
      'POST /adCampaigns/1001': [
        { status: 500, body: '{"status":500,"message":"Internal Server Error"}' },
        { status: 204, body: '' },
      ],
    });
    expect(await linkedin.setStatus({ ...adset, status: 'PAUSED' }, 'ACTIVE')).toEqual({ readBack: 'ACTIVE' });
    expect(calls.map((c) => `${c.method} ${c.body ?? ''}`)).toEqual([
      'POST {"patch":{"$set":{"status":"ACTIVE"}}}',
      'POST {"patch":{"$set":{"status":"ACTIVE"}}}',
      'GET ',
    ]);
    expect(delays.length).toBe(1);
  });

  it('a read-back other than the status written is a PlatformRequestError naming the campaign and both statuses', async () => {
    for (const [readStatus, shown] of [
      ['ACTIVE', 'ACTIVE'],
      ['COMPLETED', 'COMPLETED (ARCHIVED)'],
    ] as const) {
      const { linkedin } = connector({
        'GET /adCampaigns/1001': [campaign({ status: readStatus })],
        'POST /adCampaigns/1001': [{ status: 204, body: '' }],
      });
      const error = await linkedin.setStatus(adset, 'PAUSED').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformRequestError);
      expect((error as Error).message).toBe(
        `LinkedIn POST /rest/adAccounts/512345678/adCampaigns/1001: campaign 1001 was set to PAUSED but reads back ${shown}`,
      );
    }
  });

  it("LinkedIn's refusal (a REMOVED campaign, a 400) is a PlatformRequestError, not retried, with no read-back", async () => {
    const refusal = {
      status: 400,
      body: '{"status":400,"code":"INVALID_STATUS_TRANSITION","message":"Campaign 1001 is REMOVED; its status cannot be changed"}',
    };
    const { linkedin, calls } = connector({ 'POST /adCampaigns/1001': [refusal] });
    const error = await linkedin.setStatus({ ...adset, status: 'DELETED' }, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error).not.toBeInstanceOf(TransientPlatformError);
    expect({ status: (error as PlatformRequestError).status, code: (error as PlatformRequestError).code }).toEqual({
      status: 400,
      code: 'INVALID_STATUS_TRANSITION',
    });
    expect((error as Error).message).not.toContain(TOKEN);
    expect(calls.map((c) => c.method)).toEqual(['POST']);
  });

  it('refuses an ad set of another platform or a status adpilot does not write, sending nothing', async () => {
    const { linkedin, calls } = connector({});
    await expect(linkedin.setStatus({ ...adset, platform: 'meta' }, 'PAUSED')).rejects.toBeInstanceOf(PlatformRequestError);
    await expect(linkedin.setStatus(adset, 'ARCHIVED' as 'PAUSED')).rejects.toBeInstanceOf(PlatformRequestError);
    expect(calls).toEqual([]);
  });
});
