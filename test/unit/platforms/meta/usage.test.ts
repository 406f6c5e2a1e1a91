import { describe, expect, it } from 'vitest';
import type { AdAccount } from '../../../../lib/model/ads.ts';
import { createMetaConnector } from '../../../../lib/platforms/meta/connector.ts';
import { usageHits, usagePauseMs } from '../../../../lib/platforms/meta/usage.ts';
import { fixtureFetch, type Reply, recordingSleep } from './fixture-fetch.ts';

const ACCOUNT_BODY = JSON.stringify({ id: 'act_1', name: 'A', currency: 'EUR', timezone_name: 'Europe/Paris' });
const headers = (values: Record<string, unknown>) =>
  new Headers(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));

describe('Meta usage headers', () => {
  it('finds every figure at or above the threshold, with the wait its header implies', () => {
    const h = headers({
      'x-app-usage': { call_count: 91, total_cputime: 10, total_time: 12 },
      'x-business-use-case-usage': {
        '1': [
          { type: 'ads_insights', call_count: 20, total_cputime: 95, total_time: 30, estimated_time_to_regain_access: 3 },
          { type: 'ads_management', call_count: 50, total_cputime: 5, total_time: 7, estimated_time_to_regain_access: 0 },
        ],
      },
      'x-ad-account-usage': { acc_id_util_pct: 90, reset_time_duration: 240, ads_api_access_tier: 'standard_access' },
      'x-fb-ads-insights-throttle': { app_id_util_pct: 0, acc_id_util_pct: 92.5 },
    });
    expect(usageHits(h, 90)).toEqual([
      { header: 'x-app-usage', pct: 91, waitMs: 60_000 },
      { header: 'x-business-use-case-usage', pct: 95, waitMs: 180_000 },
      { header: 'x-ad-account-usage', pct: 90, waitMs: 240_000 },
      { header: 'x-fb-ads-insights-throttle', pct: 92.5, waitMs: 60_000 },
    ]);
    expect(usagePauseMs(h, 90)).toBe(240_000);
    expect(usagePauseMs(h, 96)).toBe(0);
  });

  it('ignores missing and unreadable headers (they are advisory)', () => {
    expect(usagePauseMs(new Headers())).toBe(0);
    expect(usagePauseMs(headers({ 'x-app-usage': '{"call_count":', 'x-ad-account-usage': { acc_id_util_pct: 'high' } }))).toBe(0);
  });
});

describe('Meta connector slows down before Meta does', () => {
  function metaWith(replies: readonly Reply[], options: { usagePausePct?: number; maxRetryWaitMs?: number } = {}) {
    const { fetch, calls } = fixtureFetch([{ path: '/v25.0/act_1', reply: replies }]);
    const { sleep, delays } = recordingSleep();
    const meta = createMetaConnector({
      apiVersion: 'v25.0',
      accessToken: 't',
      purchaseActionType: 'omni_purchase',
      fetch,
      sleep,
      ...options,
    });
    return { meta, calls, delays };
  }
  const high = (h: Record<string, unknown>): Reply => ({ body: ACCOUNT_BODY, headers: Object.fromEntries(new Headers(headers(h))) });
  const expected: AdAccount = { platform: 'meta', accountId: 'act_1', name: 'A', currency: 'EUR', timezone: 'Europe/Paris' };

  it('pauses before the next request when the last answer reported 90% or more, and only then', async () => {
    const { meta, delays } = metaWith([
      high({ 'x-app-usage': { call_count: 89 } }),
      high({ 'x-business-use-case-usage': { '1': [{ type: 'ads_management', call_count: 93, estimated_time_to_regain_access: 0 }] } }),
      high({ 'x-ad-account-usage': { acc_id_util_pct: 97, reset_time_duration: 90 } }),
      high({}),
      high({}),
    ]);
    for (let i = 0; i < 5; i++) expect(await meta.getAccount('act_1')).toEqual(expected);
    // after 89%: none; after 93% BUC: a minute; after 97% of the account: its 90 s reset; then nothing
    expect(delays).toEqual([60_000, 90_000]);
  });

  it('caps a pause at maxRetryWaitMs and honours a custom threshold', async () => {
    const { meta, delays } = metaWith([high({ 'x-ad-account-usage': { acc_id_util_pct: 80, reset_time_duration: 3_000 } }), high({})], {
      usagePausePct: 75,
      maxRetryWaitMs: 300_000,
    });
    await meta.getAccount('act_1');
    await meta.getAccount('act_1');
    expect(delays).toEqual([300_000]);
  });

  it('does not add a usage pause on top of a throttle’s own wait', async () => {
    const throttle: Reply = {
      status: 400,
      body: JSON.stringify({ error: { message: '(#80004) too many calls', code: 80004, error_subcode: 2446079 } }),
      headers: Object.fromEntries(
        headers({
          'x-business-use-case-usage': { '1': [{ type: 'ads_management', call_count: 100, estimated_time_to_regain_access: 1 }] },
        }),
      ),
    };
    const { meta, delays, calls } = metaWith([throttle, high({})]);
    expect(await meta.getAccount('act_1')).toEqual(expected);
    expect(delays).toEqual([60_000]);
    expect(calls).toHaveLength(2);
  });
});
