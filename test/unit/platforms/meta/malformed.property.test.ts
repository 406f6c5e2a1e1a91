/**
 * Property: whatever is wrong in an insights or ad-sets page of the Graph API (a wrong type, a missing required field,
 * a negative or NaN-like number written as a string, extra nesting, a cut body, a bad cursor), on the first page or a
 * later one, the read ends in a MalformedResponseError naming the field, and the connector returns nothing partial.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdAccount } from '../../../../lib/model/ads.ts';
import { MalformedResponseError } from '../../../../lib/platforms/errors.ts';
import { createMetaConnector } from '../../../../lib/platforms/meta/connector.ts';
import { fixtureFetch } from './fixture-fetch.ts';

const ACCOUNT: AdAccount = { platform: 'meta', accountId: 'act_1234567890', name: 'Acme', currency: 'EUR', timezone: 'Europe/Paris' };
const DELETE = Symbol('delete');
const NEXT = 'https:\\/\\/graph.facebook.com\\/v25.0\\/act_1234567890\\/EDGE?limit=3&after=UDI=';

const insightsRow = (adset: string, date: string) => ({
  account_id: '1234567890',
  account_currency: 'EUR',
  campaign_id: '2385000000101',
  adset_id: adset,
  date_start: date,
  date_stop: date,
  spend: '53.40',
  impressions: '4211',
  clicks: '61',
  actions: [
    { action_type: 'link_click', value: '50' },
    { action_type: 'omni_purchase', value: '3' },
  ],
  action_values: [{ action_type: 'omni_purchase', value: '189.90' }],
});
const adsetRow = (id: string) => ({
  id,
  name: `ad set ${id}`,
  campaign_id: '2385000000101',
  campaign: { id: '2385000000101', name: 'Prospecting', daily_budget: '75000', lifetime_budget: '0' },
  status: 'ACTIVE',
  effective_status: 'ACTIVE',
  daily_budget: '5000',
  lifetime_budget: '0',
  learning_stage_info: { status: 'LEARNING', conversions: 12, last_sig_edit_ts: 1_790_000_000, attribution_windows: ['7d_click'] },
});

type Edge = 'insights' | 'adsets';
const PAGES: Record<Edge, Record<string, unknown>[][]> = {
  insights: [
    [insightsRow('1', '2026-10-01'), insightsRow('2', '2026-10-01'), insightsRow('1', '2026-10-02')],
    [insightsRow('2', '2026-10-02'), insightsRow('3', '2026-10-02')],
  ],
  adsets: [
    [adsetRow('1'), adsetRow('2'), adsetRow('3')],
    [adsetRow('4'), adsetRow('5')],
  ],
};

/** The two pages of an edge as Graph writes them: page 1 points at page 2 with `paging.next`. */
function pageBodies(edge: Edge): [Record<string, unknown>, Record<string, unknown>] {
  const [first = [], second = []] = structuredClone(PAGES[edge]);
  return [
    { data: first, paging: { cursors: { before: 'UDA=', after: 'UDI=' }, next: JSON.parse(`"${NEXT.replace('EDGE', edge)}"`) } },
    { data: second, paging: { cursors: { before: 'UDM=', after: 'UDQ=' } } },
  ];
}

async function read(edge: Edge, bodies: readonly [string, string]): Promise<unknown> {
  const path = `/v25.0/act_1234567890/${edge}`;
  const { fetch } = fixtureFetch([
    { path, when: (u) => !u.searchParams.has('after'), reply: { body: bodies[0] } },
    { path, when: (u) => u.searchParams.get('after') === 'UDI=', reply: { body: bodies[1] } },
  ]);
  const meta = createMetaConnector({
    apiVersion: 'v25.0',
    accessToken: 'prop-token',
    purchaseActionType: 'omni_purchase',
    fetch,
    maxAttempts: 1,
  });
  try {
    return edge === 'insights' ? await meta.fetchDailyMetrics(ACCOUNT, '2026-10-01', '2026-10-02') : await meta.listAdSets(ACCOUNT);
  } catch (error) {
    return error;
  }
}

const junk = fc.oneof(fc.constant(true), fc.constant(null), fc.object({ maxDepth: 1 }), fc.array(fc.integer(), { maxLength: 3 }));
const notString = fc.oneof(junk, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const badNumberText = fc.constantFrom(
  '-5',
  '-0.01',
  'NaN',
  '-NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '0x1F',
  '1,000',
  ' 12',
  '12 ',
  '',
  '.5',
  '5.',
  '+3',
);
const notDecimal = fc.oneof(
  notString,
  badNumberText,
  fc.string({ maxLength: 8 }).filter((s) => !/^\d+(\.\d+)?$/.test(s)),
);
const notCount = fc.oneof(
  notString,
  badNumberText,
  fc.constantFrom('12.5', '1.0'),
  fc.string({ maxLength: 8 }).filter((s) => !/^\d+$/.test(s)),
);
const notId = fc.oneof(notString, fc.constant(''));
const notDay = fc.oneof(notString, fc.constantFrom('2026-10-1', '2026/10/01', '01-10-2026', '2026-10-01T00:00:00Z', ''));
const notCurrency = fc.oneof(notString, fc.constantFrom('eur', 'EURO', '€', '', 'E1R'));
const nested = (inner: unknown) => fc.constantFrom({ value: inner }, [inner], { [String(inner)]: inner });

/** A field of a row, what to put there, and the field path the error must start with. */
interface Change {
  readonly path: readonly string[];
  readonly value: unknown;
}
const change = (paths: readonly (readonly string[])[], value: fc.Arbitrary<unknown>): fc.Arbitrary<Change> =>
  fc.record({ path: fc.constantFrom(...paths), value });

const insightsChanges = fc.oneof(
  change([['spend'], ['action_values', '0', 'value'], ['actions', '1', 'value']], notDecimal),
  change([['impressions'], ['clicks']], notCount),
  change([['campaign_id'], ['adset_id']], notId),
  change([['date_start'], ['date_stop']], notDay),
  change([['account_currency']], notCurrency),
  change([['actions'], ['action_values']], fc.oneof(fc.constant(true), fc.integer(), fc.string(), fc.constant({ omni_purchase: '3' }))),
  change([['actions', '1', 'action_type']], fc.oneof(notString, fc.constant(''))),
  change([['spend']], nested('53.40')),
  change([['impressions']], nested('4211')),
  change(
    [['account_currency'], ['campaign_id'], ['adset_id'], ['date_start'], ['date_stop'], ['spend'], ['impressions'], ['clicks']],
    fc.constant(DELETE),
  ),
);
const adsetChanges = fc.oneof(
  change([['id'], ['campaign_id']], notId),
  change([['name']], notString),
  change([['status']], fc.oneof(notString, fc.constantFrom('active', 'RUNNING', ''))),
  change([['daily_budget'], ['lifetime_budget'], ['campaign', 'daily_budget']], notCount),
  change([['campaign']], fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.constant([]))),
  change([['learning_stage_info']], fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.constant([]))),
  change([['learning_stage_info', 'status']], fc.oneof(notString, fc.constant(''))),
  change([['learning_stage_info', 'conversions']], fc.oneof(fc.constantFrom(-1, 1.5, '12', null))),
  change([['daily_budget']], nested('5000')),
  change([['id'], ['name'], ['campaign_id'], ['status']], fc.constant(DELETE)),
);

/** Sets (or deletes) `path` in `row`. */
function apply(row: Record<string, unknown>, { path, value }: Change): void {
  let node: Record<string, unknown> = row;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1) ?? '';
  if (value === DELETE) delete node[last];
  else node[last] = value;
}

/** `data[1].actions[0].value` from a row index and a path. */
function fieldOf(row: number, path: readonly string[]): string {
  return `data[${row}]` + path.map((key) => (/^\d+$/.test(key) ? `[${key}]` : `.${key}`)).join('');
}

const fieldCase = (edge: Edge, changes: fc.Arbitrary<Change>) =>
  fc.record({ edge: fc.constant(edge), page: fc.integer({ min: 0, max: 1 }), row: fc.integer({ min: 0, max: 1 }), change: changes });

describe('malformed Meta pages', () => {
  it('the valid pages read', async () => {
    for (const edge of ['insights', 'adsets'] as const) {
      const bodies = pageBodies(edge);
      expect(await read(edge, [JSON.stringify(bodies[0]), JSON.stringify(bodies[1])])).toHaveLength(5);
    }
  });

  it('a corrupted field on any page is a MalformedResponseError naming it, and nothing is returned', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fieldCase('insights', insightsChanges), fieldCase('adsets', adsetChanges)),
        async ({ edge, page, row, change: c }) => {
          const bodies = pageBodies(edge);
          const rows = (bodies[page]?.data ?? []) as Record<string, unknown>[];
          const target = rows[row] ?? {};
          apply(target, c);
          const result = await read(edge, [JSON.stringify(bodies[0]), JSON.stringify(bodies[1])]);
          expect(result).toBeInstanceOf(MalformedResponseError);
          const error = result as MalformedResponseError;
          expect(error.platform).toBe('meta');
          expect(error.endpoint).toBe(`GET /v25.0/act_1234567890/${edge}`);
          // The field named is the corrupted one (or a key inside it, when the value's shape is wrong).
          expect(error.field.startsWith(fieldOf(row, c.path))).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a body cut anywhere, on either page, is a MalformedResponseError on (body)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Edge>('insights', 'adsets'),
        fc.integer({ min: 0, max: 1 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (edge, page, at) => {
          const bodies = pageBodies(edge).map((b) => JSON.stringify(b)) as [string, string];
          const whole = bodies[page] ?? '';
          bodies[page] = whole.slice(0, Math.floor(at * whole.length));
          const result = await read(edge, bodies);
          expect(result).toBeInstanceOf(MalformedResponseError);
          expect((result as MalformedResponseError).field).toBe('(body)');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a bad cursor (paging.next or paging.cursors) is a MalformedResponseError on paging', async () => {
    const badNext = fc.oneof(
      notString.filter((v) => v !== null),
      fc.constantFrom('not a url', '/v25.0/act_1/insights?after=x', 'https://graph.facebook.com/elsewhere?after=x', 'mailto:x'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Edge>('insights', 'adsets'),
        fc.oneof(
          fc.record({ key: fc.constant('next'), value: badNext }),
          fc.record({ key: fc.constantFrom('before', 'after'), value: notString }),
        ),
        async (edge, { key, value }) => {
          const bodies = pageBodies(edge);
          const paging = bodies[0].paging as { cursors: Record<string, unknown>; next: unknown };
          if (key === 'next') paging.next = value;
          else paging.cursors[key] = value;
          const result = await read(edge, [JSON.stringify(bodies[0]), JSON.stringify(bodies[1])]);
          expect(result).toBeInstanceOf(MalformedResponseError);
          expect((result as MalformedResponseError).field.startsWith(key === 'next' ? 'paging.next' : 'paging.cursors')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
