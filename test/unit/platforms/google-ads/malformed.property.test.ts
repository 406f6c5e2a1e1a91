/**
 * Property: whatever is wrong in a searchStream page (a field of the wrong type, a value that cannot be read
 * exactly, a missing field, a cut body), the metrics read fails with a MalformedResponseError naming the row
 * or field; it never returns rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdAccount } from '../../../../lib/model/ads.ts';
import { MalformedResponseError } from '../../../../lib/platforms/errors.ts';
import { createGoogleAdsConnector } from '../../../../lib/platforms/google-ads/connector.ts';
import { fixture, fixtureFetch, gaql } from './fixture-fetch.ts';

const ACCOUNT: AdAccount = { platform: 'google-ads', accountId: '1234567890', name: 'Acme', currency: 'USD', timezone: 'America/New_York' };
const VALID = fixture('metrics.json').trim();
const DELETE = Symbol('delete');

const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.object(), fc.array(fc.integer(), { maxLength: 3 }));
const notInt64 = fc.oneof(
  junk,
  fc.integer(),
  fc.double(),
  fc.string().filter((s) => !/^\d+$/.test(s)),
  fc.constantFrom('-1', '1.5', '1e3', ' 12', '99999999999999999999'),
);
const notDouble = fc.oneof(junk, fc.string(), fc.double({ max: -Number.MIN_VALUE, noNaN: true }));
const notDate = fc.oneof(
  junk,
  fc.integer(),
  fc.string().filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
  fc.constantFrom('2026-09-30', '2026-10-03', '1999-01-01', '2026-13-45'),
);
const notId = fc.oneof(
  junk,
  fc.integer(),
  fc.string().filter((s) => !/^\d+$/.test(s)),
);

/** A corruption: which row, which field, and the value put there (or DELETE). */
const corruption = fc.record({
  batch: fc.integer({ min: 0, max: 1 }),
  row: fc.integer({ min: 0, max: 1 }),
  change: fc.oneof(
    fc.record({ path: fc.constantFrom('metrics.impressions', 'metrics.clicks', 'metrics.costMicros'), value: notInt64 }),
    fc.record({ path: fc.constantFrom('metrics.conversions', 'metrics.conversionsValue'), value: notDouble }),
    fc.record({ path: fc.constant('segments.date'), value: notDate }),
    fc.record({ path: fc.constant('campaign.id'), value: notId }),
    fc.record({ path: fc.constantFrom('campaign', 'metrics', 'segments'), value: fc.oneof(fc.constant(null), fc.string(), fc.integer()) }),
    fc.record({
      path: fc.constantFrom(
        'metrics.impressions',
        'metrics.clicks',
        'metrics.costMicros',
        'metrics.conversions',
        'metrics.conversionsValue',
        'segments.date',
        'campaign.id',
      ),
      value: fc.constant(DELETE),
    }),
  ),
});

function corrupt(body: string, batch: number, row: number, path: string, value: unknown): string {
  const payload = JSON.parse(body) as { results: Record<string, unknown>[] }[];
  const target = payload[batch]?.results[row];
  if (!target) throw new Error('fixture changed');
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let node: Record<string, unknown> = target;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return JSON.stringify(payload);
}

async function read(body: string): Promise<unknown> {
  const { fetch } = fixtureFetch([gaql('segments.date', { body })]);
  const google = createGoogleAdsConnector({ apiVersion: 'v26', accessToken: 'ya29.property', fetch, maxAttempts: 1 });
  try {
    return await google.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-02');
  } catch (error) {
    return error;
  }
}

describe('Google Ads metrics: malformed pages (property)', () => {
  it('the valid fixture reads (the corruptions below are what makes each case fail)', async () => {
    expect(await read(VALID)).toHaveLength(4);
  });

  it('a field corrupted anywhere fails the read with MalformedResponseError naming that row', async () => {
    await fc.assert(
      fc.asyncProperty(corruption, async ({ batch, row, change }) => {
        const outcome = await read(corrupt(VALID, batch, row, change.path, change.value));
        expect(outcome).toBeInstanceOf(MalformedResponseError);
        const error = outcome as MalformedResponseError;
        expect(error.platform).toBe('google-ads');
        expect(error.field.startsWith(`[${batch}].results[${row}]`)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('a body cut anywhere fails the read as invalid JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: VALID.length - 1 }), async (cut) => {
        const outcome = await read(VALID.slice(0, cut));
        expect(outcome).toBeInstanceOf(MalformedResponseError);
        expect((outcome as MalformedResponseError).field).toBe('(body)');
      }),
      { numRuns: 300 },
    );
  });
});
