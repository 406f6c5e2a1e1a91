import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../../lib/local/dynamo.ts';
import type { HourlyMetric } from '../../../lib/platforms/hourly.ts';
import { DynamoStore } from '../../../lib/store/dynamo-store.ts';
import { HOURLY_RETENTION_DAYS, hourlyExpiresAt } from '../../../lib/store/hourly.ts';
import { keys } from '../../../lib/store/keys.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  store = new DynamoStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => dynamo.close());

const hour = (adsetId: string, date: string, h: number, spendMicros: number, accountId = 'act_1'): HourlyMetric => ({
  platform: 'meta',
  accountId,
  adsetId,
  date,
  hour: h,
  spendMicros,
  impressions: 100 + h,
  clicks: h,
  currency: 'EUR',
});

describe('DynamoStore hourly rows', () => {
  it('stores one row per ad set, date and hour, rewrites only the hours that changed, and reads a date range back', async () => {
    const first = [hour('a', '2026-11-20', 9, 1_000_000), hour('a', '2026-11-20', 10, 2_000_000), hour('b', '2026-11-20', 10, 3_000_000)];
    expect(await store.putHourlyMetrics(first, new Date('2026-11-20T10:05:00Z'))).toEqual({ written: 3, unchanged: 0 });

    // The next run: hour 10 of `a` grew (the platform was still counting it), a new hour 11 arrived.
    const second = [hour('a', '2026-11-20', 9, 1_000_000), hour('a', '2026-11-20', 10, 2_500_000), hour('a', '2026-11-20', 11, 700_000)];
    expect(await store.putHourlyMetrics(second, new Date('2026-11-20T11:05:00Z'), { exclusive: true })).toEqual({
      written: 2,
      unchanged: 1,
    });

    // Other dates and accounts stay out of the range.
    await store.putHourlyMetrics([hour('a', '2026-11-19', 23, 9_000_000), hour('a', '2026-11-21', 0, 1)], new Date('2026-11-21T00:05:00Z'));
    await store.putHourlyMetrics([hour('z', '2026-11-20', 10, 5, 'act_2')], new Date('2026-11-20T11:05:00Z'));

    const stored = await store.hourlyMetricsForAccount('meta', 'act_1', '2026-11-20', '2026-11-20');
    expect(stored).toEqual([
      { ...hour('a', '2026-11-20', 9, 1_000_000), fetchedAt: '2026-11-20T10:05:00.000Z' },
      { ...hour('a', '2026-11-20', 10, 2_500_000), fetchedAt: '2026-11-20T11:05:00.000Z' },
      { ...hour('a', '2026-11-20', 11, 700_000), fetchedAt: '2026-11-20T11:05:00.000Z' },
      { ...hour('b', '2026-11-20', 10, 3_000_000), fetchedAt: '2026-11-20T10:05:00.000Z' },
    ]);
    expect((await store.hourlyMetricsForAccount('meta', 'act_1', '2026-11-19', '2026-11-21')).length).toBe(6);
  });

  it('gives every hourly item a TTL a fixed number of days after its date', async () => {
    await store.putHourlyMetrics([hour('c', '2026-11-20', 14, 4_000_000)], new Date('2026-11-20T15:05:00Z'));
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const { Item } = await doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: keys.hourly('meta', 'act_1', 'c', '2026-11-20', 14) }),
    );
    // 2026-11-20T00:00Z plus the retention and one day for the date itself.
    const expected = Date.UTC(2026, 10, 20) / 1000 + (HOURLY_RETENTION_DAYS + 1) * 86_400;
    expect(hourlyExpiresAt('2026-11-20')).toBe(expected);
    expect(Item).toEqual({
      pk: 'HOUR#meta#act_1',
      sk: 'D#2026-11-20#c#H14',
      kind: 'hourly',
      version: 1,
      expiresAt: expected,
      ...hour('c', '2026-11-20', 14, 4_000_000),
      fetchedAt: '2026-11-20T15:05:00.000Z',
    });
  });

  it('refuses the same hour twice in one write and a malformed row, writing nothing', async () => {
    const twice = [hour('d', '2026-11-20', 3, 1), hour('d', '2026-11-20', 3, 2)];
    await expect(store.putHourlyMetrics(twice, new Date('2026-11-20T04:00:00Z'))).rejects.toThrow(
      'duplicate hourly row in one write: meta d 2026-11-20 hour 3',
    );
    await expect(store.putHourlyMetrics([hour('d', '2026-11-20', 24, 1)], new Date('2026-11-20T04:00:00Z'))).rejects.toThrow();
    expect(await store.hourlyMetricsForAccount('meta', 'act_1', '2026-11-20', '2026-11-20')).not.toContainEqual(
      expect.objectContaining({ adsetId: 'd' }),
    );
  });
});
