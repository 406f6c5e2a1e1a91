/**
 * Property: whatever is wrong in a report page (a wrong type, a value that cannot be read exactly, a missing
 * field, a cut body), the read fails with a MalformedResponseError naming the field and returns nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdAccount } from '../../../../lib/model/ads.ts';
import { MalformedResponseError } from '../../../../lib/platforms/errors.ts';
import { createTikTokConnector } from '../../../../lib/platforms/tiktok/connector.ts';
import { fixture, routeFetch } from './fixture-fetch.ts';

const ACCOUNT: AdAccount = {
  platform: 'tiktok',
  accountId: '7000000000000000001',
  name: 'Acme',
  currency: 'USD',
  timezone: 'America/New_York',
};
const VALID = fixture('report-page.json');
const DELETE = Symbol('delete');

const junk = fc.oneof(fc.constant(true), fc.object(), fc.array(fc.integer(), { maxLength: 3 }));
const notMoney = fc.oneof(
  junk,
  // Finite only: JSON turns ±Infinity into null, which TikTok documents as a valid empty metric (read as 0).
  fc.double({ max: -0.001, noNaN: true, noDefaultInfinity: true }),
  fc.string().filter((s) => !/^\s*(\d+(\.\d{0,6}0*)?|-)\s*$/.test(s)),
  fc.constantFrom('1.2345678', '-5', '1e3'),
);
const notCount = fc.oneof(
  junk,
  fc.constantFrom('12.5', '-1', 'x', 1.5, -2),
  fc.string().filter((s) => !/^\s*(\d+(\.0+)?|-)\s*$/.test(s)),
);
const notId = fc.oneof(
  junk,
  fc.constant(null),
  fc.integer(),
  fc.string().filter((s) => !/^\d+$/.test(s)),
);
const notDay = fc.oneof(
  junk,
  fc.constant(null),
  fc.integer(),
  fc.constantFrom('2026-09-30 00:00:00', '2026-10-03', '2026/10/01', '2026-10-01T00:00:00Z'),
);

const corruption = fc.record({
  row: fc.integer({ min: 0, max: 1 }),
  change: fc.oneof(
    fc.record({ path: fc.constantFrom('metrics.spend', 'metrics.total_complete_payment_rate'), value: notMoney }),
    fc.record({ path: fc.constantFrom('metrics.impressions', 'metrics.clicks', 'metrics.complete_payment'), value: notCount }),
    fc.record({ path: fc.constantFrom('dimensions.adgroup_id', 'metrics.campaign_id'), value: notId }),
    fc.record({ path: fc.constant('dimensions.stat_time_day'), value: notDay }),
    fc.record({ path: fc.constantFrom('dimensions', 'metrics'), value: fc.oneof(fc.constant(null), fc.string(), fc.integer()) }),
    fc.record({
      path: fc.constantFrom('dimensions.adgroup_id', 'dimensions.stat_time_day', 'metrics.campaign_id', 'metrics', 'dimensions'),
      value: fc.constant(DELETE),
    }),
  ),
});

function corrupt(row: number, path: string, value: unknown): string {
  const payload = JSON.parse(VALID) as { data: { list: Record<string, unknown>[] } };
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let node = payload.data.list[row] as Record<string, unknown>;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return JSON.stringify(payload);
}

async function read(body: string): Promise<unknown> {
  const { fetch } = routeFetch({ 'report/integrated/get': [body] });
  const tiktok = createTikTokConnector({ accessToken: 'tt-property', fetch, maxAttempts: 1 });
  try {
    return await tiktok.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-02');
  } catch (error) {
    return error;
  }
}

describe('malformed TikTok report pages', () => {
  it('the valid page reads', async () => {
    expect(await read(VALID)).toHaveLength(2);
  });

  it('every corrupted field is a MalformedResponseError naming that row, and nothing is returned', async () => {
    await fc.assert(
      fc.asyncProperty(corruption, async ({ row, change }) => {
        const result = await read(corrupt(row, change.path, change.value));
        expect(result).toBeInstanceOf(MalformedResponseError);
        const error = result as MalformedResponseError;
        expect(error.platform).toBe('tiktok');
        expect(error.field.startsWith(`data.list[${row}].${change.path.split('.')[0]}`)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('a body cut anywhere is a MalformedResponseError on (body) or a named field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: VALID.trim().length - 1 }), async (cut) => {
        const result = await read(VALID.trim().slice(0, cut));
        expect(result).toBeInstanceOf(MalformedResponseError);
      }),
      { numRuns: 200 },
    );
  });
});
