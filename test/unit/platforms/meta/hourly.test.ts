import { describe, expect, it } from 'vitest';
import type { AdAccount } from '../../../../lib/model/ads.ts';
import { MalformedResponseError } from '../../../../lib/platforms/errors.ts';
import { type HourlyMetric, hasHourlyMetrics } from '../../../../lib/platforms/hourly.ts';
import { createMetaConnector } from '../../../../lib/platforms/meta/connector.ts';
import { createTikTokConnector } from '../../../../lib/platforms/tiktok/connector.ts';
import { fixtureFetch, type Route, recordingSleep } from './fixture-fetch.ts';

const TOKEN = 'EAAB-hourly-secret';
const ACCOUNT: AdAccount = { platform: 'meta', accountId: 'act_1234567890', name: 'Acme EU', currency: 'EUR', timezone: 'Europe/Paris' };
const PATH = '/v25.0/act_1234567890/insights';
const BREAKDOWN = 'hourly_stats_aggregated_by_advertiser_time_zone';

/** A row as Graph writes it with the hourly breakdown (PLATFORM_APIS.md §1 insights row, plus the breakdown column). */
const row = (adsetId: string, slot: string, spend: string, extra: Record<string, unknown> = {}) => ({
  account_currency: 'EUR',
  campaign_id: '23850000000100',
  adset_id: adsetId,
  date_start: '2026-11-20',
  date_stop: '2026-11-20',
  spend,
  impressions: '1200',
  clicks: '31',
  [BREAKDOWN]: slot,
  ...extra,
});

const page = (data: unknown[], next?: string) =>
  JSON.stringify({ data, paging: { cursors: { before: 'QQ', after: 'Qg' }, ...(next ? { next } : {}) } });

function connector(routes: readonly Route[]) {
  const { fetch, calls } = fixtureFetch(routes);
  const meta = createMetaConnector({
    apiVersion: 'v25.0',
    accessToken: TOKEN,
    purchaseActionType: 'omni_purchase',
    fetch,
    sleep: recordingSleep().sleep,
    maxAttempts: 1,
  });
  return { meta, calls };
}

const hour = (adsetId: string, h: number, spendMicros: number): HourlyMetric => ({
  platform: 'meta',
  accountId: 'act_1234567890',
  adsetId,
  date: '2026-11-20',
  hour: h,
  spendMicros,
  impressions: 1200,
  clicks: 31,
  currency: 'EUR',
});

describe('Meta hourly insights', () => {
  it('asks one day at ad-set level by hour of the account time zone, follows paging, and parses every page', async () => {
    const { meta, calls } = connector([
      {
        path: PATH,
        when: (u) => !u.searchParams.has('after'),
        reply: {
          body: page(
            [row('23850000000001', '00:00:00 - 00:59:59', '0.42'), row('23850000000001', '14:00:00 - 14:59:59', '12.5')],
            `https://graph.facebook.com/v25.0/act_1234567890/insights?after=Qg&limit=500`,
          ),
        },
      },
      {
        path: PATH,
        when: (u) => u.searchParams.get('after') === 'Qg',
        reply: { body: page([row('23850000000002', '23:00:00 - 23:59:59', '3')]) },
      },
    ]);
    expect(hasHourlyMetrics(meta)).toBe(true);
    expect(await meta.fetchHourlyMetrics(ACCOUNT, '2026-11-20')).toEqual([
      hour('23850000000001', 0, 420_000),
      hour('23850000000001', 14, 12_500_000),
      hour('23850000000002', 23, 3_000_000),
    ]);
    const first = calls[0]?.url;
    expect(Object.fromEntries([...(first?.searchParams ?? [])].filter(([k]) => k !== 'access_token'))).toEqual({
      level: 'adset',
      time_increment: '1',
      breakdowns: BREAKDOWN,
      time_range: '{"since":"2026-11-20","until":"2026-11-20"}',
      fields: 'account_currency,campaign_id,adset_id,date_start,date_stop,spend,impressions,clicks',
      limit: '500',
    });
    expect(calls.length).toBe(2);
  });

  it('returns no rows for a day without delivery', async () => {
    const { meta } = connector([{ path: PATH, reply: { body: page([]) } }]);
    expect(await meta.fetchHourlyMetrics(ACCOUNT, '2026-11-20')).toEqual([]);
  });

  it.each([
    ['an hour that is not one', { [BREAKDOWN]: '14:00:00 - 15:59:59' }, `data[1].${BREAKDOWN}`],
    ['an hour past 23', { [BREAKDOWN]: '24:00:00 - 24:59:59' }, `data[1].${BREAKDOWN}`],
    ['a row of another day', { date_start: '2026-11-19', date_stop: '2026-11-19' }, 'data[1].date_start'],
    ['another currency', { account_currency: 'USD' }, 'data[1].account_currency'],
  ])('rejects %s, naming the field', async (_what, corrupt, field) => {
    const { meta } = connector([
      { path: PATH, reply: { body: page([row('1', '09:00:00 - 09:59:59', '1'), row('2', '14:00:00 - 14:59:59', '1', corrupt)]) } },
    ]);
    const error = await meta.fetchHourlyMetrics(ACCOUNT, '2026-11-20').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe(field);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('rejects a missing breakdown column and a spend that is not an exact amount through the zod schema', async () => {
    const { [BREAKDOWN]: _dropped, ...noHour } = row('1', '09:00:00 - 09:59:59', '1');
    for (const bad of [noHour, row('1', '09:00:00 - 09:59:59', '1e3')]) {
      const { meta } = connector([{ path: PATH, reply: { body: page([bad]) } }]);
      await expect(meta.fetchHourlyMetrics(ACCOUNT, '2026-11-20')).rejects.toBeInstanceOf(MalformedResponseError);
    }
  });

  it('is a capability of the Meta connector only: other connectors do not claim it', () => {
    const tiktok = createTikTokConnector({ accessToken: 'tt-token', fetch: fixtureFetch([]).fetch });
    expect(hasHourlyMetrics(tiktok)).toBe(false);
  });
});
