/**
 * Property: an ingest run that meets a malformed insights page (any page of the window: a field of the wrong type,
 * an amount that cannot be read exactly, a missing field, a broken `data` or `paging`, a cut body) for an account
 * that already has data throws a typed MalformedResponseError, sends not one write to the store (the table stays
 * byte-identical: nothing written for the bad page, nor for the good pages before it, nothing else lost), and
 * announces `Ingestion Failed` with the reason.
 *
 * The fake Meta API answers through an injected `fetch` (no socket), the store is DynamoStore on dynalite.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/model/dates.ts';
import { MalformedResponseError } from '../../../lib/platforms/errors.ts';
import { createMetaConnector } from '../../../lib/platforms/meta/connector.ts';
import type { Fetch } from '../../../lib/platforms/port.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { MarketSimulator } from '../../../lib/sim/market.ts';
import { FakeGraphApi } from '../../../lib/sim/meta/api.ts';
import { graphJson } from '../../../lib/sim/meta/wire.ts';
import { SAMPLE_ACCOUNT_ID, sampleMarketConfig } from '../../../lib/sim/sample-market.ts';
import { ingestAccount } from '../../../lib/usecases/ingest.ts';
import { type IngestTestContext, risingMaturity, startIngestContext } from './harness.ts';

const BASE_URL = 'http://graph.fake.test';
const RESTATEMENT_DAYS = 7;
const TOKEN = 'property-token';
const DELETE = Symbol('delete');
/** A date moved by `days`: still a valid date, but no longer the row's day. */
class DateShift {
  constructor(readonly days: number) {}
}

/** What is done to the chosen insights page. */
type Corruption =
  | { readonly kind: 'cut'; readonly at: number }
  | { readonly kind: 'row'; readonly row: number; readonly field: string; readonly value: unknown }
  | { readonly kind: 'page'; readonly field: 'data' | 'paging'; readonly value: unknown };

interface Case {
  readonly page: number;
  readonly corruption: Corruption;
}

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const notDecimal = fc.oneof(
  junk,
  fc.string().filter((s) => !/^\d+(\.\d+)?$/.test(s)),
  // Readable as a decimal but not exactly in micros, or past a safe integer.
  fc.tuple(fc.nat(99_999), fc.integer({ min: 1, max: 9 })).map(([whole, digit]) => `${whole}.000000${digit}`),
  fc.integer({ min: 20, max: 30 }).map((n) => '9'.repeat(n)),
);
const notCount = fc.oneof(
  junk,
  fc.string().filter((s) => !/^\d+$/.test(s)),
  fc.integer({ min: 17, max: 30 }).map((n) => '9'.repeat(n)),
);
const notId = fc.oneof(junk, fc.constant(''));
const notCurrency = fc.oneof(
  junk,
  fc.string().filter((s) => s !== 'EUR'),
);
/** A date field set to anything else: junk, or another valid date (the row then spans two days). */
const otherDate = fc.oneof(
  junk,
  fc.string().filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
  fc.integer({ min: 1, max: 400 }).map((days) => new DateShift(days)),
);
const purchaseStats = fc.oneof(
  junk.filter((v) => !Array.isArray(v)),
  notDecimal.map((value) => [{ action_type: 'omni_purchase', value }]),
  fc.constant([{ action_type: '', value: '1' }]),
);
const REQUIRED = ['account_currency', 'campaign_id', 'adset_id', 'date_start', 'date_stop', 'spend', 'impressions', 'clicks'];

const rowCorruption = fc.oneof(
  fc.record({ field: fc.constant('spend'), value: notDecimal }),
  fc.record({ field: fc.constantFrom('impressions', 'clicks'), value: notCount }),
  fc.record({ field: fc.constantFrom('campaign_id', 'adset_id'), value: notId }),
  fc.record({ field: fc.constant('account_currency'), value: notCurrency }),
  fc.record({ field: fc.constantFrom('date_start', 'date_stop'), value: otherDate }),
  fc.record({ field: fc.constantFrom('actions', 'action_values'), value: purchaseStats }),
  fc.record({ field: fc.constantFrom(...REQUIRED), value: fc.constant<unknown>(DELETE) }),
);

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.nat(), rowCorruption).map(([row, c]) => ({ kind: 'row' as const, row, ...c })) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }).map((at) => ({ kind: 'cut' as const, at })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.record({
          field: fc.constant('data' as const),
          value: fc.oneof(
            junk.filter((v) => !Array.isArray(v)),
            fc.constant<unknown>(DELETE),
          ),
        }),
        fc.record({
          field: fc.constant('paging' as const),
          value: fc.constantFrom<unknown>('not a url', '', 42, true, { next: 'not a url' }, { next: 7 }, { cursors: 'x' }),
        }),
      )
      .map((c) => ({ kind: 'page' as const, ...c })),
  },
);

/** The page with the corruption applied. */
function corrupt(text: string, corruption: Corruption): string {
  if (corruption.kind === 'cut') return text.slice(0, Math.floor(corruption.at * text.length));
  const page = JSON.parse(text) as Record<string, unknown>;
  if (corruption.kind === 'page') {
    if (corruption.value === DELETE) delete page[corruption.field];
    else page[corruption.field] = corruption.value;
    return graphJson(page);
  }
  const data = page.data as Record<string, unknown>[];
  const row = data[corruption.row % data.length];
  if (!row) throw new Error('an insights page without rows');
  const { field, value } = corruption;
  if (value === DELETE) delete row[field];
  else if (value instanceof DateShift) row[field] = addDays(String(row[field]), value.days);
  else row[field] = value;
  return graphJson(page);
}

/**
 * A `fetch` answered by the fake Graph API in process; the `current` case breaks its insights page on every try.
 * Answers are memoized per instant and URL (the fake is a pure function of the market at that instant), which
 * keeps a thousand runs fast on a loaded machine.
 */
function inProcessFetch(api: FakeGraphApi, clock: ManualClock, current: () => Case | undefined, insightsPages: string[]): Fetch {
  const answers = new Map<string, { status: number; headers: Record<string, string>; text: string }>();
  let index = 0;
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = init?.method ?? 'GET';
    const key = `${clock.now().toISOString()} ${method} ${url.href}`;
    let answer = answers.get(key);
    if (!answer) {
      index += 1;
      const response = api.handle({ method, url, params: Object.fromEntries(url.searchParams), index });
      answer = { status: response.status, headers: response.headers, text: response.text ?? graphJson(response.payload) };
      answers.set(key, answer);
    }
    let text = answer.text;
    if (answer.status === 200 && url.pathname.endsWith('/insights')) {
      // Pages are told apart by their URL (cursor included), so a retried page is broken the same way.
      if (!insightsPages.includes(url.search)) insightsPages.push(url.search);
      const broken = current();
      if (broken && insightsPages.indexOf(url.search) === broken.page) text = corrupt(text, broken.corruption);
    }
    return new Response(text, { status: answer.status, headers: answer.headers });
  };
  return impl as Fetch;
}

describe('ingesting a malformed Meta insights page', () => {
  const clock = new ManualClock('2026-11-02T05:00:00Z');
  const market = new MarketSimulator({ ...sampleMarketConfig(7), clock, maturity: risingMaturity });
  const api = new FakeGraphApi({ market, accessToken: TOKEN, pageSize: 10 });
  let current: Case | undefined;
  const pages: string[] = [];
  let ingest: IngestTestContext;

  beforeAll(async () => {
    const fetch = inProcessFetch(api, clock, () => current, pages);
    ingest = await startIngestContext({
      clock,
      // A week's window (6 ad sets × 8 days in 5 pages) keeps a thousand runs fast.
      configPatch: { meta: { accounts: [SAMPLE_ACCOUNT_ID], restatementDays: RESTATEMENT_DAYS } },
      connector: async () =>
        createMetaConnector({
          baseUrl: BASE_URL,
          apiVersion: 'v25.0',
          accessToken: TOKEN,
          purchaseActionType: 'omni_purchase',
          fetch,
          sleep: async () => {},
          maxAttempts: 2,
        }),
    });
  });
  afterAll(async () => {
    await ingest.close();
  });

  it('throws a MalformedResponseError, writes nothing, loses nothing, and announces the failure', async () => {
    // The account already has data; a day later the platform has restated some of it and reports a new day.
    await ingestAccount(ingest.ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, window: 'full' });
    clock.advance(24 * 3_600_000);
    pages.length = 0;
    const probe = inProcessFetch(api, clock, () => undefined, pages);
    await createMetaConnector({
      baseUrl: BASE_URL,
      apiVersion: 'v25.0',
      accessToken: TOKEN,
      purchaseActionType: 'omni_purchase',
      fetch: probe,
    }).fetchDailyMetrics(
      market.account(SAMPLE_ACCOUNT_ID),
      addDays(market.today(SAMPLE_ACCOUNT_ID), -RESTATEMENT_DAYS),
      market.today(SAMPLE_ACCOUNT_ID),
    );
    const pageCount = pages.length;
    expect(pageCount).toBeGreaterThan(3);
    const before = await ingest.snapshot();
    let runs = 0;

    await fc.assert(
      fc.asyncProperty(fc.nat({ max: pageCount - 1 }), corruption, async (page, broken) => {
        current = { page, corruption: broken };
        pages.length = 0;
        const writes = ingest.writes.length;
        const published = ingest.events.events.length;
        const error = await ingestAccount(ingest.ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, window: 'full' }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(MalformedResponseError);
        const malformed = error as MalformedResponseError;
        expect(malformed.platform).toBe('meta');
        expect(malformed.field).not.toBe('');
        expect(ingest.writes.slice(writes)).toEqual([]);
        expect(ingest.events.events.slice(published).map((e) => ({ type: e.detailType, ...e.detail }))).toEqual([
          expect.objectContaining({
            type: 'Ingestion Failed',
            platform: 'meta',
            accountId: SAMPLE_ACCOUNT_ID,
            reason: malformed.message,
            errorName: 'MalformedResponseError',
            retryable: true,
          }),
        ]);
        runs += 1;
        // The whole table, byte for byte, every hundred runs (the write log above covers every run).
        if (runs % 100 === 0) expect(await ingest.snapshot()).toEqual(before);
      }),
      { numRuns: 1_000 },
    );
    expect(runs).toBe(1_000);
    expect(await ingest.snapshot()).toEqual(before);

    // The same run with a clean page would have written: the property above was not vacuous.
    current = undefined;
    const clean = await ingestAccount(ingest.ctx, { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, window: 'full' });
    expect(clean.rowsWritten).toBeGreaterThan(0);
    expect(await ingest.snapshot()).not.toEqual(before);
  }, 240_000);
});
