/** Contract tests of the Meta connector's ad level: `/act_{id}/ads`, insights at `level=ad` and `POST /{ad_id}`. */
import { describe, expect, it } from 'vitest';
import type { Ad, AdAccount } from '../../../../lib/model/ads.ts';
import { hasAdLevel } from '../../../../lib/platforms/ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../../../../lib/platforms/errors.ts';
import { adStatus } from '../../../../lib/platforms/meta/ads.ts';
import { createMetaConnector } from '../../../../lib/platforms/meta/connector.ts';
import { idChunks } from '../../../../lib/platforms/slices.ts';
import { exposedText, FIXTURE_TOKEN, fixtureFetch, type Route } from './fixture-fetch.ts';

const ACCOUNT: AdAccount = { platform: 'meta', accountId: 'act_123', name: 'Acme', currency: 'EUR', timezone: 'Europe/Paris' };
const AD: Ad = {
  platform: 'meta',
  accountId: 'act_123',
  adId: '2385000000000101',
  adsetId: '23850000000001',
  campaignId: '2385000000',
  name: 'Broad – Creative A',
  status: 'ACTIVE',
};
const json = (value: unknown) => ({ body: JSON.stringify(value) });
const adNode = (over: Record<string, unknown> = {}) => ({
  id: AD.adId,
  name: AD.name,
  adset_id: AD.adsetId,
  campaign_id: AD.campaignId,
  status: 'ACTIVE',
  effective_status: 'ACTIVE',
  ...over,
});
const insightsRow = (day: string, over: Record<string, unknown> = {}) => ({
  account_currency: 'EUR',
  campaign_id: AD.campaignId,
  adset_id: AD.adsetId,
  ad_id: AD.adId,
  date_start: day,
  date_stop: day,
  spend: '12.5',
  impressions: '1500',
  clicks: '30',
  actions: [{ action_type: 'omni_purchase', value: '3' }],
  action_values: [{ action_type: 'omni_purchase', value: '180.40' }],
  ...over,
});

function connector(routes: readonly Route[]) {
  const { fetch, calls } = fixtureFetch(routes);
  const meta = createMetaConnector({
    apiVersion: 'v25.0',
    accessToken: FIXTURE_TOKEN,
    purchaseActionType: 'omni_purchase',
    fetch,
    sleep: async () => {},
    random: () => 0.5,
    maxAttempts: 2,
  });
  return { meta, calls };
}
const params = (url: URL | undefined) => {
  const q = Object.fromEntries(url?.searchParams ?? []);
  delete q.access_token;
  return q;
};

describe('Meta ad level', () => {
  it('has the ad-level capability', () => {
    expect(hasAdLevel(connector([]).meta)).toBe(true);
  });

  it('getAds reads /act_{id}/ads filtered on id; unknown ids are absent', async () => {
    const { meta, calls } = connector([
      { path: '/v25.0/act_123/ads', reply: json({ data: [adNode({ status: 'PAUSED', effective_status: 'PAUSED' })] }) },
    ]);
    expect(await meta.getAds(ACCOUNT, [AD.adId, '999'])).toEqual([{ ...AD, status: 'PAUSED' }]);
    expect(params(calls[0]?.url)).toEqual({
      fields: 'id,name,adset_id,campaign_id,status,effective_status',
      filtering: JSON.stringify([{ field: 'id', operator: 'IN', value: [AD.adId, '999'] }]),
      limit: '500',
    });
  });

  it('asks at most 50 ids per call and maps an ad stopped by its ad set or campaign to PAUSED', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => String(3_000_000 + i));
    const { meta, calls } = connector([{ path: '/v25.0/act_123/ads', reply: json({ data: [] }) }]);
    expect(await meta.getAds(ACCOUNT, ids)).toEqual([]);
    const sizes = calls.map((c) => (JSON.parse(c.url.searchParams.get('filtering') ?? '[]') as { value: string[] }[])[0]?.value.length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(idChunks(['1', '1', '2'], 1)).toEqual([['1'], ['2']]);
    expect([
      adStatus({ status: 'ACTIVE', effective_status: 'ADSET_PAUSED' }),
      adStatus({ status: 'ACTIVE', effective_status: 'CAMPAIGN_PAUSED' }),
      adStatus({ status: 'ACTIVE' }),
    ]).toEqual(['PAUSED', 'PAUSED', 'ACTIVE']);
  });

  it('fetchAdDailyMetrics reads insights at level=ad filtered on ad.id, spend in major units, the configured purchase type', async () => {
    const { meta, calls } = connector([
      {
        path: '/v25.0/act_123/insights',
        reply: json({
          data: [insightsRow('2026-10-01'), insightsRow('2026-10-02', { spend: '0', actions: undefined, action_values: undefined })],
        }),
      },
    ]);
    const base = {
      platform: 'meta',
      accountId: 'act_123',
      adId: AD.adId,
      adsetId: AD.adsetId,
      campaignId: AD.campaignId,
      currency: 'EUR',
      impressions: 1500,
      clicks: 30,
    };
    expect(await meta.fetchAdDailyMetrics(ACCOUNT, [AD.adId], '2026-10-01', '2026-10-02')).toEqual([
      { ...base, date: '2026-10-01', spendMicros: 12_500_000, revenueMicros: 180_400_000, conversions: 3 },
      { ...base, date: '2026-10-02', spendMicros: 0, revenueMicros: 0, conversions: 0 },
    ]);
    expect(params(calls[0]?.url)).toEqual({
      level: 'ad',
      time_increment: '1',
      filtering: JSON.stringify([{ field: 'ad.id', operator: 'IN', value: [AD.adId] }]),
      fields: 'account_currency,campaign_id,adset_id,ad_id,date_start,date_stop,spend,impressions,clicks,actions,action_values',
      time_range: JSON.stringify({ since: '2026-10-01', until: '2026-10-02' }),
      limit: '500',
    });
  });

  it('a range longer than 31 days goes to async report runs with the same level=ad params', async () => {
    const { meta, calls } = connector([
      { method: 'POST', path: '/v25.0/act_123/insights', reply: json({ report_run_id: '6001' }) },
      { path: '/v25.0/6001', reply: json({ id: '6001', async_status: 'Job Completed', async_percent_completion: 100 }) },
      { path: '/v25.0/6001/insights', reply: json({ data: [insightsRow('2026-08-15')] }) },
    ]);
    const rows = await meta.fetchAdDailyMetrics(ACCOUNT, [AD.adId], '2026-08-01', '2026-10-01');
    expect(rows.map((r) => [r.adId, r.date])).toEqual([[AD.adId, '2026-08-15']]);
    const created = JSON.parse(calls[0]?.body ?? '{}') as Record<string, string>;
    expect([calls[0]?.method, created.level, created.filtering]).toEqual([
      'POST',
      'ad',
      JSON.stringify([{ field: 'ad.id', operator: 'IN', value: [AD.adId] }]),
    ]);
  });

  it('a malformed ad row is a MalformedResponseError naming the field', async () => {
    const { meta } = connector([
      { path: '/v25.0/act_123/insights', reply: json({ data: [insightsRow('2026-10-01', { spend: '12,5' })] }) },
    ]);
    const error = await meta.fetchAdDailyMetrics(ACCOUNT, [AD.adId], '2026-10-01', '2026-10-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe('data[0].spend');
    const missing = connector([
      { path: '/v25.0/act_123/insights', reply: json({ data: [insightsRow('2026-10-01', { ad_id: undefined })] }) },
    ]);
    const e2 = await missing.meta.fetchAdDailyMetrics(ACCOUNT, [AD.adId], '2026-10-01', '2026-10-01').catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(MalformedResponseError);
    expect((e2 as MalformedResponseError).field).toBe('data[0].ad_id');
  });

  it('setAdStatus posts the status to the ad node and reads it back', async () => {
    const { meta, calls } = connector([
      { method: 'POST', path: `/v25.0/${AD.adId}`, reply: json({ success: true }) },
      { path: `/v25.0/${AD.adId}`, reply: json({ id: AD.adId, status: 'PAUSED', effective_status: 'PAUSED' }) },
    ]);
    expect(await meta.setAdStatus(AD, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect([calls[0]?.method, calls[0]?.body, params(calls[1]?.url)]).toEqual([
      'POST',
      '{"status":"PAUSED"}',
      { fields: 'id,status,effective_status' },
    ]);
  });

  it('a read-back that differs is a PlatformRequestError naming the ad and both statuses, without the token', async () => {
    const { meta } = connector([
      { method: 'POST', path: `/v25.0/${AD.adId}`, reply: json({ success: true }) },
      { path: `/v25.0/${AD.adId}`, reply: json({ id: AD.adId, status: 'ACTIVE', effective_status: 'ADSET_PAUSED' }) },
    ]);
    const error = await meta.setAdStatus(AD, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toBe(
      `Meta ad ${AD.adId}: wrote status ACTIVE but read back PAUSED (status ACTIVE, effective_status ADSET_PAUSED)`,
    );
    expect(exposedText(error)).not.toContain(FIXTURE_TOKEN);
  });
});
