import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../../lib/local/dynamo.ts';
import type { Ad, AdDailyMetric } from '../../../lib/model/ads.ts';
import { DynamoStore } from '../../../lib/store/dynamo-store.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  store = new DynamoStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => dynamo.close());

const ad = (adId: string, status: Ad['status'] = 'ACTIVE'): Ad => ({
  platform: 'meta',
  accountId: 'act_1',
  adId,
  adsetId: 'as1',
  campaignId: 'c1',
  name: `Creative ${adId} <b>&</b>`,
  status,
});

const row = (adId: string, date: string, conversions: number): AdDailyMetric => ({
  platform: 'meta',
  accountId: 'act_1',
  adsetId: 'as1',
  campaignId: 'c1',
  adId,
  date,
  currency: 'EUR',
  spendMicros: 12_340_000,
  revenueMicros: conversions * 50_000_000,
  impressions: 1000,
  clicks: 20,
  conversions,
});

describe('DynamoStore ads of test arms', () => {
  it('upserts ads, writing only those that changed', async () => {
    expect(await store.upsertAds([ad('a1'), ad('a2')])).toEqual({ written: 2, unchanged: 0 });
    expect(await store.upsertAds([ad('a1'), ad('a2', 'PAUSED')])).toEqual({ written: 1, unchanged: 1 });
    expect(await store.getAd('meta', 'a2')).toEqual(ad('a2', 'PAUSED'));
    expect(await store.getAd('tiktok', 'a2')).toBeUndefined();
  });

  it('stores one row per ad and date, rewrites only restated rows, and reads a range back by date', async () => {
    const first = [row('a1', '2026-11-18', 3), row('a1', '2026-11-19', 2), row('a2', '2026-11-19', 1)];
    expect(await store.putAdMetrics(first, new Date('2026-11-20T05:00:00Z'))).toEqual({ written: 3, unchanged: 0 });
    // A day later: the 19th matured (one more conversion), the 20th arrived.
    const second = [row('a1', '2026-11-19', 3), row('a1', '2026-11-20', 4), row('a1', '2026-11-18', 3)];
    expect(await store.putAdMetrics(second, new Date('2026-11-21T05:00:00Z'))).toEqual({ written: 2, unchanged: 1 });
    expect(await store.metricsForAd('meta', 'a1', '2026-11-19', '2026-11-20')).toEqual([
      { ...row('a1', '2026-11-19', 3), fetchedAt: '2026-11-21T05:00:00.000Z' },
      { ...row('a1', '2026-11-20', 4), fetchedAt: '2026-11-21T05:00:00.000Z' },
    ]);
    expect(await store.metricsForAd('meta', 'a2', '2026-01-01', '2026-12-31')).toEqual([
      { ...row('a2', '2026-11-19', 1), fetchedAt: '2026-11-20T05:00:00.000Z' },
    ]);
    await expect(store.putAdMetrics([row('a1', '2026-11-22', 1), row('a1', '2026-11-22', 2)], new Date())).rejects.toThrow(
      /duplicate ad row in one write: meta a1 2026-11-22/,
    );
    expect(await store.metricsForAd('meta', 'a1', '2026-11-22', '2026-11-22')).toEqual([]);
  });
});
