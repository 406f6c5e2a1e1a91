/** Contract tests of the LinkedIn ad level: creatives finder, `pivot=CREATIVE` analytics and the `intendedStatus` PARTIAL_UPDATE. */
import { describe, expect, it } from 'vitest';
import type { Ad, AdAccount } from '../../../../lib/model/ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../../../../lib/platforms/errors.ts';
import { createLinkedInConnector } from '../../../../lib/platforms/linkedin/connector.ts';
import { fixedClock } from '../../../../lib/runtime/clock.ts';
import { type Answer, fixture, routeFetch } from './fixture-fetch.ts';

const ACCOUNT: AdAccount = { platform: 'linkedin', accountId: '512345678', name: 'Acme', currency: 'EUR', timezone: 'UTC' };

function connector(routes: Record<string, readonly (Answer | string)[]>) {
  const { fetch, calls } = routeFetch(routes);
  const linkedin = createLinkedInConnector({
    accessToken: 'li-unit-token',
    version: '202601',
    fetch,
    clock: fixedClock('2026-10-15T22:00:00Z'),
    sleep: async () => {},
    random: () => 0.5,
    maxAttempts: 2,
  });
  return { linkedin, calls };
}

const creative = (id: number, status: string, name?: string) => ({
  id: `urn:li:sponsoredCreative:${id}`,
  account: 'urn:li:sponsoredAccount:512345678',
  campaign: 'urn:li:sponsoredCampaign:1001',
  intendedStatus: status,
  ...(name ? { name } : {}),
  isServing: status === 'ACTIVE',
});
const creatives = (...elements: unknown[]) => JSON.stringify({ elements, metadata: {} });
const campaignRoutes = { 'GET /adCampaigns': [fixture('campaigns-page-1.json'), fixture('campaigns-page-2.json')] };

function element(id: number, day: number, extra: Record<string, unknown> = {}) {
  const d = { year: 2026, month: 10, day };
  return {
    dateRange: { start: d, end: d },
    pivotValues: [`urn:li:sponsoredCreative:${id}`],
    impressions: 1000,
    clicks: 50,
    costInLocalCurrency: '10.00',
    externalWebsiteConversions: 3,
    conversionValueInLocalCurrency: '120.00',
    ...extra,
  };
}

describe('LinkedIn ad level contract', () => {
  it('finds creatives by URN list (q=criteria), with the campaign as ad set and its group as campaign', async () => {
    const { linkedin, calls } = connector({
      ...campaignRoutes,
      'GET /creatives': [creatives(creative(501, 'ACTIVE', 'Creative <A>'), creative(502, 'CANCELED'))],
    });
    expect(await linkedin.getAds(ACCOUNT, ['501', '502', '501', 'x'])).toEqual([
      {
        platform: 'linkedin',
        accountId: '512345678',
        adId: '501',
        adsetId: '1001',
        campaignId: '9001',
        name: 'Creative <A>',
        status: 'ACTIVE',
      },
      { platform: 'linkedin', accountId: '512345678', adId: '502', adsetId: '1001', campaignId: '9001', name: '', status: 'ARCHIVED' },
    ]);
    expect(calls[0]?.url).toBe(
      'https://api.linkedin.com/rest/adAccounts/512345678/creatives?q=criteria&creatives=List(urn%3Ali%3AsponsoredCreative%3A501,urn%3Ali%3AsponsoredCreative%3A502)&pageSize=500',
    );
  });

  it('reads pivot=CREATIVE analytics per creative per day, money as decimal strings', async () => {
    const { linkedin, calls } = connector({
      ...campaignRoutes,
      'GET /creatives': [creatives(creative(501, 'ACTIVE'))],
      'GET /adAnalytics': [JSON.stringify({ elements: [element(501, 1), element(501, 2, { costInLocalCurrency: '0.005' })] })],
    });
    const base = {
      platform: 'linkedin',
      accountId: '512345678',
      adId: '501',
      adsetId: '1001',
      campaignId: '9001',
      currency: 'EUR',
      impressions: 1000,
      clicks: 50,
      conversions: 3,
      revenueMicros: 120_000_000,
    };
    expect(await linkedin.fetchAdDailyMetrics(ACCOUNT, ['501'], '2026-10-01', '2026-10-02')).toEqual([
      { ...base, date: '2026-10-01', spendMicros: 10_000_000 },
      { ...base, date: '2026-10-02', spendMicros: 5_000 },
    ]);
    const analytics = calls.find((c) => c.url.includes('/adAnalytics'));
    expect(analytics?.url).toBe(
      'https://api.linkedin.com/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange=(start:(year:2026,month:10,day:1),end:(year:2026,month:10,day:2))&accounts=List(urn%3Ali%3AsponsoredAccount%3A512345678)&creatives=List(urn%3Ali%3AsponsoredCreative%3A501)&fields=dateRange,pivotValues,impressions,clicks,costInLocalCurrency,externalWebsiteConversions,conversionValueInLocalCurrency',
    );
  });

  it.each([
    ['elements[0].costInLocalCurrency', { costInLocalCurrency: 12.5 }],
    ['elements[0].pivotValues[0]', { pivotValues: ['urn:li:sponsoredCreative:999'] }],
  ])('a malformed creative element is a MalformedResponseError naming %s', async (field, extra) => {
    const { linkedin } = connector({
      ...campaignRoutes,
      'GET /creatives': [creatives(creative(501, 'ACTIVE'))],
      'GET /adAnalytics': [JSON.stringify({ elements: [element(501, 1, extra)] })],
    });
    const error = await linkedin.fetchAdDailyMetrics(ACCOUNT, ['501'], '2026-10-01', '2026-10-02').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe(field);
  });

  const AD: Ad = {
    platform: 'linkedin',
    accountId: '512345678',
    adId: '501',
    adsetId: '1001',
    campaignId: '9001',
    name: '',
    status: 'ACTIVE',
  };

  it('pauses a creative with a PARTIAL_UPDATE of intendedStatus and reads it back', async () => {
    const { linkedin, calls } = connector({
      'POST /creatives/urn%3Ali%3AsponsoredCreative%3A501': [{ status: 204, body: '' }],
      'GET /creatives/urn%3Ali%3AsponsoredCreative%3A501': [JSON.stringify(creative(501, 'PAUSED'))],
    });
    expect(await linkedin.setAdStatus(AD, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: 'https://api.linkedin.com/rest/adAccounts/512345678/creatives/urn%3Ali%3AsponsoredCreative%3A501',
      body: JSON.stringify({ patch: { $set: { intendedStatus: 'PAUSED' } } }),
    });
    expect(calls[0]?.headers['x-restli-method']).toBe('PARTIAL_UPDATE');
  });

  it('a read-back that differs is a PlatformRequestError naming the creative and both statuses', async () => {
    const { linkedin } = connector({
      'POST /creatives/urn%3Ali%3AsponsoredCreative%3A501': [{ status: 204, body: '' }],
      'GET /creatives/urn%3Ali%3AsponsoredCreative%3A501': [JSON.stringify(creative(501, 'ACTIVE'))],
    });
    const error = await linkedin.setAdStatus(AD, 'PAUSED').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toContain('creative 501 was set to PAUSED but reads back ACTIVE');
  });
});
