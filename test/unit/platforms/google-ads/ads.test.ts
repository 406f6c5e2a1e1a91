/** Contract tests of the Google Ads ad level on payloads shaped like the documented ones (PLATFORM_APIS.md §2: FROM ad_group_ad). */
import { describe, expect, it } from 'vitest';
import type { Ad, AdAccount } from '../../../../lib/model/ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../../../../lib/platforms/errors.ts';
import { createGoogleAdsConnector } from '../../../../lib/platforms/google-ads/connector.ts';
import { adDailyMetricsQuery, MAX_AD_IDS_PER_QUERY } from '../../../../lib/platforms/google-ads/gaql.ts';
import { fixtureFetch, gaql, type Route, rejection } from './fixture-fetch.ts';

const ACCOUNT: AdAccount = {
  platform: 'google-ads',
  accountId: '1234567890',
  name: 'Acme',
  currency: 'USD',
  timezone: 'America/Los_Angeles',
};
const C = 'customers/1234567890';

function adRow(adId: string, status: string, name?: string) {
  return {
    adGroupAd: {
      resourceName: `${C}/adGroupAds/222~${adId}`,
      status,
      ad: { resourceName: `${C}/ads/${adId}`, id: adId, ...(name ? { name } : {}) },
    },
    adGroup: { resourceName: `${C}/adGroups/222`, id: '222' },
    campaign: { resourceName: `${C}/campaigns/111`, id: '111' },
  };
}

const stream = (results: unknown[]) => JSON.stringify([{ results, fieldMask: 'adGroupAd.ad.id', requestId: 'r1' }]);

function metricRow(adId: string, date: string, metrics: Record<string, unknown> = {}) {
  return {
    adGroupAd: { resourceName: `${C}/adGroupAds/222~${adId}`, ad: { resourceName: `${C}/ads/${adId}`, id: adId } },
    campaign: { resourceName: `${C}/campaigns/111`, id: '111' },
    segments: { date },
    metrics: { impressions: '1000', clicks: '50', costMicros: '12340000', conversions: 2.0, conversionsValue: 150.5, ...metrics },
  };
}

function connector(routes: Route[]) {
  const { fetch, calls } = fixtureFetch(routes);
  const google = createGoogleAdsConnector({
    apiVersion: 'v26',
    accessToken: 'ya29.unit',
    fetch,
    sleep: async () => {},
    random: () => 0.5,
    maxAttempts: 2,
  });
  return { google, calls };
}

describe('Google Ads ad level contract', () => {
  it('lists ads FROM ad_group_ad by id, names optional, statuses mapped, the campaign as ad set', async () => {
    const { google, calls } = connector([
      gaql('FROM ad_group_ad', { body: stream([adRow('333', 'ENABLED', 'Creative <A> & "B"'), adRow('334', 'REMOVED')]) }),
    ]);
    expect(await google.getAds(ACCOUNT, ['333', '334', '333', 'abc'])).toEqual([
      {
        platform: 'google-ads',
        accountId: '1234567890',
        adId: '333',
        adsetId: '111',
        campaignId: '111',
        name: 'Creative <A> & "B"',
        status: 'ACTIVE',
      },
      { platform: 'google-ads', accountId: '1234567890', adId: '334', adsetId: '111', campaignId: '111', name: '', status: 'DELETED' },
    ]);
    expect(calls.map((c) => [c.url.pathname, c.body])).toEqual([
      [
        '/v26/customers/1234567890/googleAds:searchStream',
        {
          query:
            'SELECT ad_group_ad.ad.id, ad_group_ad.ad.name, ad_group_ad.status, ad_group.id, campaign.id FROM ad_group_ad WHERE ad_group_ad.ad.id IN (333, 334)',
        },
      ],
    ]);
  });

  it('asks no more than the id limit per query', async () => {
    const ids = Array.from({ length: MAX_AD_IDS_PER_QUERY + 1 }, (_, i) => String(1000 + i));
    const { google, calls } = connector([gaql('FROM ad_group_ad', { body: stream([]) })]);
    expect(await google.getAds(ACCOUNT, ids)).toEqual([]);
    const counts = calls.map((c) => String(c.body.query).split(',').length - 4);
    expect(counts).toEqual([MAX_AD_IDS_PER_QUERY, 1]);
  });

  it('reads ad metric rows: int64 strings, doubles, micros, per ad per date', async () => {
    const { google, calls } = connector([
      gaql('segments.date', {
        body: stream([metricRow('333', '2026-10-01'), metricRow('334', '2026-10-01', { conversions: 0.5, conversionsValue: 0.1 })]),
      }),
    ]);
    expect(await google.fetchAdDailyMetrics(ACCOUNT, ['333', '334'], '2026-10-01', '2026-10-07')).toEqual([
      {
        platform: 'google-ads',
        accountId: '1234567890',
        adId: '333',
        adsetId: '111',
        campaignId: '111',
        date: '2026-10-01',
        currency: 'USD',
        spendMicros: 12_340_000,
        revenueMicros: 150_500_000,
        impressions: 1000,
        clicks: 50,
        conversions: 2,
      },
      {
        platform: 'google-ads',
        accountId: '1234567890',
        adId: '334',
        adsetId: '111',
        campaignId: '111',
        date: '2026-10-01',
        currency: 'USD',
        spendMicros: 12_340_000,
        revenueMicros: 100_000,
        impressions: 1000,
        clicks: 50,
        conversions: 0,
      },
    ]);
    expect(calls[0]?.body.query).toBe(adDailyMetricsQuery(['333', '334'], '2026-10-01', '2026-10-07'));
    expect(calls[0]?.body.query).toBe(
      "SELECT ad_group_ad.ad.id, campaign.id, segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM ad_group_ad WHERE segments.date BETWEEN '2026-10-01' AND '2026-10-07' AND ad_group_ad.ad.id IN (333, 334)",
    );
  });

  it.each([
    ['[0].results[0].metrics.costMicros', { costMicros: 12.5 }],
    ['[0].results[0].metrics.impressions', { impressions: '-3' }],
  ])('a malformed ad row is a MalformedResponseError naming %s', async (field, metrics) => {
    const { google } = connector([gaql('segments.date', { body: stream([metricRow('333', '2026-10-01', metrics)]) })]);
    const error = await rejection(google.fetchAdDailyMetrics(ACCOUNT, ['333'], '2026-10-01', '2026-10-02'));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe(field);
  });

  it('a row of an ad not asked for, or a repeated ad day, is malformed', async () => {
    const other = connector([gaql('segments.date', { body: stream([metricRow('999', '2026-10-01')]) })]);
    const e1 = await rejection(other.google.fetchAdDailyMetrics(ACCOUNT, ['333'], '2026-10-01', '2026-10-02'));
    expect((e1 as MalformedResponseError).field).toBe('[0].results[0].adGroupAd.ad.id');
    const twice = connector([gaql('segments.date', { body: stream([metricRow('333', '2026-10-01'), metricRow('333', '2026-10-01')]) })]);
    const e2 = await rejection(twice.google.fetchAdDailyMetrics(ACCOUNT, ['333'], '2026-10-01', '2026-10-02'));
    expect(e2).toBeInstanceOf(MalformedResponseError);
    expect((e2 as MalformedResponseError).field).toBe('[0].results[1]');
  });

  const AD: Ad = {
    platform: 'google-ads',
    accountId: '1234567890',
    adId: '333',
    adsetId: '111',
    campaignId: '111',
    name: '',
    status: 'ACTIVE',
  };

  it('pauses an ad with adGroupAds:mutate on its ad group ad and reads the status back', async () => {
    const { google, calls } = connector([
      gaql('FROM ad_group_ad', [{ body: stream([adRow('333', 'ENABLED')]) }, { body: stream([adRow('333', 'PAUSED')]) }]),
      { method: 'adGroupAds:mutate', reply: { body: JSON.stringify({ results: [{ resourceName: `${C}/adGroupAds/222~333` }] }) } },
    ]);
    expect(await google.setAdStatus(AD, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls[1]?.url.pathname).toBe('/v26/customers/1234567890/adGroupAds:mutate');
    expect(calls[1]?.body).toEqual({
      operations: [{ updateMask: 'status', update: { resourceName: `${C}/adGroupAds/222~333`, status: 'PAUSED' } }],
      partialFailure: false,
      validateOnly: false,
    });
  });

  it('a read-back that differs is a PlatformRequestError naming the ad and both statuses', async () => {
    const { google } = connector([
      gaql('FROM ad_group_ad', { body: stream([adRow('333', 'ENABLED')]) }),
      { method: 'adGroupAds:mutate', reply: { body: JSON.stringify({ results: [{ resourceName: `${C}/adGroupAds/222~333` }] }) } },
    ]);
    const error = await rejection(google.setAdStatus(AD, 'PAUSED'));
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toBe('Google Ads ad 333: wrote status PAUSED (PAUSED) but read back ACTIVE (ENABLED)');
  });

  it('an ad that is not found is refused before any write', async () => {
    const { google, calls } = connector([gaql('FROM ad_group_ad', { body: stream([]) })]);
    expect(await rejection(google.setAdStatus(AD, 'PAUSED'))).toBeInstanceOf(PlatformRequestError);
    expect(calls.every((c) => c.url.pathname.endsWith('searchStream'))).toBe(true);
  });
});
