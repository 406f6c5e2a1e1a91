/**
 * Contract tests of the Pinterest connector's ad level: `GET …/ads` by `ad_ids` (≤250 per call), `ads/analytics`
 * rows per ad and day with the ad's ad group and campaign (missing columns 0, int64 strings), a bad row named by
 * field, ranges past the synchronous reach refused, and the batch `PATCH …/ads` status write read back.
 */
import { describe, expect, it } from 'vitest';
import type { Ad, AdAccount } from '../../../../lib/model/ads.ts';
import { hasAdLevel } from '../../../../lib/platforms/ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../../../../lib/platforms/errors.ts';
import { createPinterestConnector } from '../../../../lib/platforms/pinterest/connector.ts';
import { fixedClock } from '../../../../lib/runtime/clock.ts';
import { type Handler, routeFetch } from './route-fetch.ts';

const ACCOUNT = '549755885175';
const TOKEN = 'pina_unit-ads-secret';
const account: AdAccount = { platform: 'pinterest', accountId: ACCOUNT, name: 'Acme', currency: 'USD', timezone: 'UTC' };
const ADS = `/v5/ad_accounts/${ACCOUNT}/ads`;

function connector(routes: Record<string, Handler>) {
  const { fetch, calls } = routeFetch(routes);
  const pinterest = createPinterestConnector({
    credentials: { accessToken: TOKEN },
    fetch,
    clock: fixedClock('2026-05-03T12:00:00Z'),
    sleep: async () => {},
    random: () => 0.5,
    maxAttempts: 2,
  });
  return { pinterest, calls };
}

/** An AdResponse as Pinterest's reference shows one. */
function adItem(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    ad_group_id: '2680060704746',
    ad_account_id: ACCOUNT,
    campaign_id: '626736533506',
    name: `Pin ${id}`,
    status: 'ACTIVE',
    summary_status: 'APPROVED',
    creative_type: 'REGULAR',
    pin_id: '394205773611545468',
    type: 'pinpromotion',
    created_time: 1476477189,
    updated_time: 1476477189,
    ...extra,
  };
}

const AD: Ad = {
  platform: 'pinterest',
  accountId: ACCOUNT,
  adId: '687195134316',
  adsetId: '2680060704746',
  campaignId: '626736533506',
  name: 'Pin 687195134316',
  status: 'ACTIVE',
};
const listing =
  (items: unknown[]): Handler =>
  () => ({ body: { items, bookmark: null } });

describe('Pinterest ad level', () => {
  it('has the capability and lists ads by ad_ids in chunks of 250, each with its own status', async () => {
    const ids = Array.from({ length: 251 }, (_, i) => String(687195134316 + i));
    const { pinterest, calls } = connector({
      [`GET ${ADS}`]: (_call, n) => ({
        body: { items: n === 1 ? [adItem(AD.adId), adItem('687195134317', { status: 'PAUSED' })] : [], bookmark: null },
      }),
    });
    expect(hasAdLevel(pinterest)).toBe(true);
    expect(await pinterest.getAds(account, ids)).toEqual([AD, { ...AD, adId: '687195134317', name: 'Pin 687195134317', status: 'PAUSED' }]);
    expect(calls.map((c) => c.url.searchParams.get('ad_ids')?.split(',').length)).toEqual([250, 1]);
    expect(calls[0]?.url.searchParams.get('entity_statuses')).toBe('ACTIVE,PAUSED,ARCHIVED');
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('an ad without ad_group_id is a MalformedResponseError naming the field', async () => {
    const { pinterest } = connector({ [`GET ${ADS}`]: listing([{ ...adItem(AD.adId), ad_group_id: undefined }]) });
    const error = await pinterest.getAds(account, [AD.adId]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toContain('ad_group_id');
  });

  it('reads ads/analytics per ad and day with the ad group and campaign of the listing', async () => {
    const { pinterest, calls } = connector({
      [`GET ${ADS}`]: listing([adItem(AD.adId)]),
      [`GET ${ADS}/analytics`]: () => ({
        body: [
          {
            AD_ID: AD.adId,
            DATE: '2026-05-01',
            SPEND_IN_MICRO_DOLLAR: 30000000,
            IMPRESSION_1: 5120,
            CLICKTHROUGH_1: 216,
            TOTAL_CHECKOUT: 3,
            TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR: '149970000',
          },
          { AD_ID: AD.adId, DATE: '2026-05-02', SPEND_IN_MICRO_DOLLAR: 28000000, IMPRESSION_1: 4800, CLICKTHROUGH_1: 190 },
        ],
      }),
    });
    const rows = await pinterest.fetchAdDailyMetrics(account, [AD.adId, '999'], '2026-05-01', '2026-05-02');
    const base = {
      platform: 'pinterest',
      accountId: ACCOUNT,
      adId: AD.adId,
      adsetId: AD.adsetId,
      campaignId: AD.campaignId,
      currency: 'USD',
    };
    expect(rows).toEqual([
      { ...base, date: '2026-05-01', spendMicros: 30_000_000, revenueMicros: 149_970_000, impressions: 5120, clicks: 216, conversions: 3 },
      { ...base, date: '2026-05-02', spendMicros: 28_000_000, revenueMicros: 0, impressions: 4800, clicks: 190, conversions: 0 },
    ]);
    const analytics = calls.find((c) => c.url.pathname.endsWith('/analytics'));
    expect(Object.fromEntries(analytics?.url.searchParams ?? [])).toEqual({
      start_date: '2026-05-01',
      end_date: '2026-05-02',
      ad_ids: AD.adId,
      columns: 'SPEND_IN_MICRO_DOLLAR,IMPRESSION_1,CLICKTHROUGH_1,TOTAL_CHECKOUT,TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR',
      granularity: 'DAY',
      click_window_days: '30',
      view_window_days: '1',
      conversion_report_time: 'TIME_OF_AD_ACTION',
    });
  });

  it('reads the whole reach (90 days) in one request; a bad value or an ad not asked for is malformed; past 89 days back is refused', async () => {
    const { pinterest, calls } = connector({ [`GET ${ADS}`]: listing([adItem(AD.adId)]), [`GET ${ADS}/analytics`]: () => ({ body: [] }) });
    expect(await pinterest.fetchAdDailyMetrics(account, [AD.adId], '2026-02-04', '2026-05-03')).toEqual([]);
    const slices = calls
      .filter((c) => c.url.pathname.endsWith('/analytics'))
      .map((c) => [c.url.searchParams.get('start_date'), c.url.searchParams.get('end_date')]);
    expect(slices).toEqual([['2026-02-04', '2026-05-03']]);
    const bad = connector({
      [`GET ${ADS}`]: listing([adItem(AD.adId)]),
      [`GET ${ADS}/analytics`]: () => ({ body: [{ AD_ID: AD.adId, DATE: '2026-05-01', SPEND_IN_MICRO_DOLLAR: 1.5 }] }),
    });
    const error = await bad.pinterest.fetchAdDailyMetrics(account, [AD.adId], '2026-05-01', '2026-05-02').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toContain('SPEND_IN_MICRO_DOLLAR');
    const stranger = connector({
      [`GET ${ADS}`]: listing([adItem(AD.adId)]),
      [`GET ${ADS}/analytics`]: () => ({ body: [{ AD_ID: '123', DATE: '2026-05-01' }] }),
    });
    const strange = await stranger.pinterest.fetchAdDailyMetrics(account, [AD.adId], '2026-05-01', '2026-05-02').catch((e: unknown) => e);
    expect((strange as Error).message).toContain('[0].AD_ID');
    const old = await pinterest.fetchAdDailyMetrics(account, [AD.adId], '2026-02-02', '2026-05-03').catch((e: unknown) => e);
    expect(old).toBeInstanceOf(PlatformRequestError);
  });

  it('PATCHes [{id, status}] on ads and reads it back; a refused item or another read-back is a PlatformRequestError', async () => {
    const patched =
      (status: string): Handler =>
      () => ({ body: { items: [{ data: adItem(AD.adId, { status }), exceptions: [] }] } });
    const { pinterest, calls } = connector({
      [`PATCH ${ADS}`]: patched('PAUSED'),
      [`GET ${ADS}`]: listing([adItem(AD.adId, { status: 'PAUSED' })]),
    });
    expect(await pinterest.setAdStatus(AD, 'PAUSED')).toEqual({ readBack: 'PAUSED' });
    expect(calls[0]?.method).toBe('PATCH');
    expect(calls[0]?.body).toEqual([{ id: AD.adId, status: 'PAUSED' }]);

    const stuck = connector({ [`PATCH ${ADS}`]: patched('ACTIVE'), [`GET ${ADS}`]: listing([adItem(AD.adId, { status: 'PAUSED' })]) });
    const error = await stuck.pinterest.setAdStatus(AD, 'ACTIVE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect((error as Error).message).toMatch(/ad 687195134316 was set to ACTIVE but reads back PAUSED/);

    const refused = connector({
      [`PATCH ${ADS}`]: () => ({ body: { items: [{ data: null, exceptions: [{ code: 2, message: 'Ad not found.' }] }] } }),
    });
    const refusal = await refused.pinterest.setAdStatus(AD, 'PAUSED').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(PlatformRequestError);
    expect((refusal as Error).message).toContain('Ad not found.');
  });
});
