/**
 * The `evaluate-tests` Lambda on the local runtime (dynalite, local bus), over daily rows written
 * straight into the store: decisions, exclusions, validity, multiplicity and idempotency.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import type { ClientConfigInput } from '../../../lib/config/schema.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import type { DailyMetric } from '../../../lib/model/ads.ts';
import { addDays, dateRange } from '../../../lib/model/dates.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { DEFAULT_DAY_TUNING, evaluateTest } from '../../../lib/stats/index.ts';
import type { TestEvaluationRecord } from '../../../lib/store/records.ts';
import type { TestEvaluationResult } from '../../../lib/usecases/evaluate-tests.ts';
import { ACCOUNT_ID, adset, clientConfig, dailyRows, seed } from './ab-data.ts';

const START = '2026-09-01';
const clock = new ManualClock('2026-10-20T05:00:00Z');
const NOT_RANDOMIZED =
  'Not randomized: each ad set reaches the audience its own delivery found, so a difference may come from the audience rather than the variant.';
const RANDOMIZED = 'Randomized: a platform split test assigns people to the arms at random.';

let runtime: LocalRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

async function start(tests: NonNullable<ClientConfigInput['tests']>): Promise<LocalRuntime> {
  runtime = await startLocalRuntime({
    config: parseClientConfig(clientConfig(tests)),
    clock,
    retryIntervalMs: 0,
    connector: async () => {
      throw new Error('evaluating tests reads the store only');
    },
  });
  return runtime;
}

async function evaluate(rt: LocalRuntime, date: string): Promise<{ evaluated: number; concluded: number }> {
  return rt.invoke('evaluate-tests', { date, runId: `run-${date}` });
}

async function latest(rt: LocalRuntime, testId: string): Promise<TestEvaluationRecord & { result: TestEvaluationResult }> {
  const records = await rt.ctx.store.testEvaluations(testId);
  const record = records.sort((a, b) => a.date.localeCompare(b.date)).at(-1);
  if (!record) throw new Error(`no evaluation of ${testId}`);
  return record as TestEvaluationRecord & { result: TestEvaluationResult };
}

const events = (rt: LocalRuntime, type: string) => rt.bus.events.filter((e) => e['detail-type'] === type);

describe('evaluate-tests', () => {
  it('declares a true +50% ROAS lift a winner once the minimum runtime is reached, concludes once, and a re-run changes nothing', async () => {
    const rt = await start([
      {
        id: 'lift',
        arms: [
          { platform: 'meta', adsetId: 'a' },
          { platform: 'meta', adsetId: 'b' },
        ],
        metric: 'roas',
        randomized: true,
      },
    ]);
    const last = addDays(START, 24);
    await seed(
      rt.ctx.store,
      [adset('a', 'Creative A'), adset('b', 'Creative B')],
      [...dailyRows('a', START, last, { roas: 2, seed: 1 }), ...dailyRows('b', START, last, { roas: 3, seed: 2 })],
      clock.now(),
    );
    const decisions: [string, string][] = [];
    for (const date of dateRange(addDays(START, 7), last)) {
      await evaluate(rt, date);
      const record = await latest(rt, 'lift');
      if (record.date === date) decisions.push([date, record.decision]);
    }
    const concludedOn = decisions.find(([, d]) => d === 'winner')?.[0];
    expect(concludedOn).toBeDefined();
    // Continue until the conclusion, then nothing more is evaluated for a concluded test.
    expect(decisions.map(([, d]) => d)).toEqual([...decisions.slice(0, -1).map(() => 'continue'), 'winner']);
    const winner = await latest(rt, 'lift');
    expect(winner.date).toBe(concludedOn);
    // The 7-day attribution window leaves the last 7 days out, and the minimum runtime needs 7 clean days.
    expect(winner.result.includedDays.length).toBeGreaterThanOrEqual(7);
    expect(winner.result.period).toEqual({ from: START, through: concludedOn, matureThrough: addDays(concludedOn ?? '', -7) });
    expect(winner.result.winnerAdsetId).toBe('b');
    expect(winner.result.srm?.alarm).toBe(false);
    expect(winner.result.invalidReasons).toEqual([]);
    const [line, excluded, label] = winner.result.lines;
    expect(line).toMatch(/^Creative B beats Creative A on ROAS: \+\d+% \[\+\d+%, \+\d+%\], chance to win \d+\.\d%, \d+ days\.$/);
    expect(excluded).toBe(`Excluded: 7 days not yet mature for attribution (${addDays(concludedOn ?? '', -6)}…${concludedOn}).`);
    expect(label).toBe(RANDOMIZED);
    expect(winner.summary).toBe(winner.result.lines.join(' '));
    const [comparison] = winner.result.comparisons;
    expect(comparison?.kind).toBe('winner');
    // Alone in the day's family, BH leaves the p-value as it is.
    if (comparison?.kind === 'winner') expect(comparison.stats.adjustedPValue).toBe(comparison.stats.pValue);

    const concludedEvents = events(rt, 'AB Test Concluded');
    expect(concludedEvents.map((e) => [e.id, e.detail])).toEqual([
      [
        'ab-test-concluded:lift',
        {
          version: 1,
          id: 'ab-test-concluded:lift',
          client: 'acme',
          testId: 'lift',
          date: concludedOn,
          decision: 'winner',
          summary: winner.summary,
          winnerAdsetId: 'b',
        },
      ],
    ]);
    expect(events(rt, 'AB Test Evaluated').map((e) => e.id)).toEqual(decisions.map(([d]) => `ab-test-evaluated:lift:${d}`));

    // Re-running the conclusion date rewrites the same evaluation and announces nothing new.
    const before = await rt.ctx.store.testEvaluations('lift');
    clock.advance(3_600_000);
    expect(await evaluate(rt, concludedOn ?? '')).toEqual({ evaluated: 1, concluded: 1 });
    const after = await rt.ctx.store.testEvaluations('lift');
    const strip = (records: TestEvaluationRecord[]) => records.map(({ evaluatedAt: _, ...r }) => r);
    expect(strip(after)).toEqual(strip(before));
    expect(events(rt, 'AB Test Concluded')).toHaveLength(1);
    expect(events(rt, 'AB Test Evaluated').at(-1)?.id).toBe(`ab-test-evaluated:lift:${concludedOn}`);
    // A later date skips the concluded test.
    expect(await evaluate(rt, addDays(last, 1))).toEqual({ evaluated: 0, concluded: 0 });
  });

  it('keeps an A/A test running, labelled as not randomized, with the days it still needs', async () => {
    const rt = await start([
      {
        id: 'aa',
        arms: [
          { platform: 'meta', adsetId: 'a' },
          { platform: 'meta', adsetId: 'b' },
        ],
        metric: 'roas',
      },
    ]);
    const last = '2026-10-15';
    await seed(
      rt.ctx.store,
      [adset('a', 'Audience A'), adset('b', 'Audience B')],
      [
        ...dailyRows('a', START, last, { roas: 2, spread: 0.3, seed: 3 }),
        ...dailyRows('b', START, last, { roas: 2, spread: 0.3, seed: 4 }),
      ],
      clock.now(),
    );
    // A look every third day (daily in production) keeps the test quick; each look is stored as history.
    const looks = dateRange(addDays(START, 7), last).filter((_, i) => i % 3 === 0);
    for (const date of looks) await evaluate(rt, date);
    const records = await rt.ctx.store.testEvaluations('aa');
    expect(records.map((r) => r.date)).toEqual(looks);
    expect(records.map((r) => r.decision)).toEqual(records.map(() => 'continue'));
    expect(events(rt, 'AB Test Concluded')).toEqual([]);
    const record = await latest(rt, 'aa');
    expect(record.result.includedDays).toEqual(dateRange(START, addDays('2026-10-14', -7)));
    expect(record.result.randomized).toBe(false);
    expect(record.result.srm).toBeNull();
    expect(record.result.lines[0]).toMatch(
      /^No winner yet between Audience B and Audience A on ROAS: [-+]?\d+(\.\d)?% \[-\d+%, \+\d+%\], chance to win \d+\.\d%, 37 days; (about \d+ more days? to detect a meaningful lift|more than a year more at this volume to detect a meaningful lift)\.$/,
    );
    expect(record.result.lines.at(-1)).toBe(NOT_RANDOMIZED);
    // Every look's own p-value is kept: the sequential p-value is their running minimum.
    const lookPValues = records.flatMap((r) => (r.result as unknown as TestEvaluationResult).lookPValues.b ?? []);
    const [comparison] = record.result.comparisons;
    expect(comparison?.kind).toBe('continue');
    if (comparison?.kind === 'continue') expect(comparison.stats.pValue).toBe(Math.min(...lookPValues));
  });

  it("starts the test period on the configured start date, leaving the arms' earlier days out", async () => {
    const startDate = '2026-09-20';
    const rt = await start([
      {
        id: 'from-20th',
        arms: [
          { platform: 'meta', adsetId: 'a' },
          { platform: 'meta', adsetId: 'b' },
        ],
        metric: 'roas',
        startDate,
      },
    ]);
    await seed(
      rt.ctx.store,
      [adset('a', 'Audience A'), adset('b', 'Audience B')],
      [
        ...dailyRows('a', START, '2026-10-15', { roas: 2, spread: 0.3, seed: 3 }),
        ...dailyRows('b', START, '2026-10-15', { roas: 2, spread: 0.3, seed: 4 }),
      ],
      clock.now(),
    );
    await evaluate(rt, '2026-10-15');
    const record = await latest(rt, 'from-20th');
    expect(record.result.period).toEqual({ from: startDate, through: '2026-10-15', matureThrough: '2026-10-08' });
    expect(record.result.includedDays).toEqual(dateRange(startDate, '2026-10-08'));
    expect(record.result.lines[0]).toMatch(/, 19 days;/);
  });

  it('excludes learning-phase and immature days from every arm and says which and why', async () => {
    const rt = await start([
      {
        id: 'learn',
        arms: [
          { platform: 'meta', adsetId: 'a' },
          { platform: 'meta', adsetId: 'b' },
        ],
      },
    ]);
    const date = '2026-10-05';
    const launchB = addDays(START, 3);
    await seed(
      rt.ctx.store,
      [adset('z', 'Older ad set'), adset('a', 'Creative A'), adset('b', 'Creative B')],
      [
        // Another ad set of the account was already delivering, so b's first day is its launch.
        ...dailyRows('z', START, addDays(date, -1), { roas: 2, seed: 5 }),
        ...dailyRows('a', START, addDays(date, -1), { roas: 2, seed: 6 }),
        ...dailyRows('b', launchB, addDays(date, -1), { roas: 2, seed: 7 }),
      ],
      clock.now(),
    );
    // A budget write by adpilot on a (10:00 UTC is noon in Paris, same local date) restarts its learning.
    await rt.ctx.store.appendChange({
      changeId: 'chg-a-1',
      platform: 'meta',
      accountId: ACCOUNT_ID,
      adsetId: 'a',
      adsetName: 'Creative A',
      campaignId: 'c-1',
      budgetLevel: 'adset',
      currency: 'EUR',
      beforeMicros: 100_000_000,
      afterMicros: 120_000_000,
      reason: 'shift toward better marginal ROAS',
      planId: 'plan-2026-09-20',
      appliedAt: '2026-09-20T10:00:00.000Z',
      outcome: 'applied',
      readBackMicros: 120_000_000,
      error: null,
      revertsChangeId: null,
    });
    expect(await evaluate(rt, date)).toEqual({ evaluated: 1, concluded: 0 });
    const record = await latest(rt, 'learn');
    const learningB = dateRange(launchB, addDays(launchB, 6)).map((d) => ({ date: d, reason: 'learning', arms: ['b'] }));
    const learningA = dateRange('2026-09-20', '2026-09-26').map((d) => ({ date: d, reason: 'learning', arms: ['a'] }));
    const immature = dateRange('2026-09-29', '2026-10-04').map((d) => ({ date: d, reason: 'immature', arms: ['a', 'b'] }));
    expect(record.result.excludedDays).toEqual([...learningB, ...learningA, ...immature]);
    expect(record.result.period).toEqual({ from: launchB, through: date, matureThrough: '2026-09-28' });
    expect(record.result.includedDays).toEqual([...dateRange('2026-09-11', '2026-09-19'), ...dateRange('2026-09-27', '2026-09-28')]);
    expect(record.result.comparisons[0]?.days).toEqual({ control: 11, treatment: 11 });
    expect(record.result.lines.at(-2)).toBe(
      'Excluded: 14 learning-phase days of Creative B, Creative A (2026-09-04…2026-09-10, 2026-09-20…2026-09-26), ' +
        '6 days not yet mature for attribution (2026-09-29…2026-10-04).',
    );
  });

  interface InvalidCase {
    readonly name: string;
    readonly arms?: { platform: 'meta'; adsetId: string }[];
    readonly impressionsB?: number;
    readonly setup: (rt: LocalRuntime) => Promise<void>;
    readonly reasons: unknown[];
    readonly randomized: boolean;
  }
  it.each<InvalidCase>([
    {
      name: 'a paused arm',
      setup: async (rt: LocalRuntime) => {
        await rt.ctx.store.upsertAdSets([adset('b', 'Creative B', { status: 'PAUSED' })]);
      },
      reasons: ['arm Creative B is paused'],
      randomized: false,
    },
    {
      name: 'an arm that was never ingested',
      arms: [
        { platform: 'meta', adsetId: 'a' },
        { platform: 'meta', adsetId: 'ghost' },
      ],
      setup: async () => {},
      reasons: ['arm ghost is missing (no such meta ad set was ingested)'],
      randomized: false,
    },
    {
      name: 'a tracking-breakage anomaly on an arm',
      setup: async (rt: LocalRuntime) => {
        await rt.ctx.store.putAnomalyIfAbsent({
          anomalyId: 'acme:meta:a:2026-09-12:tracking-breakage',
          platform: 'meta',
          accountId: ACCOUNT_ID,
          adsetId: 'a',
          adsetName: 'Creative A',
          date: '2026-09-12',
          faultType: 'tracking-breakage',
          metric: 'conversions',
          observed: 0,
          expectedLow: 3,
          expectedHigh: 9,
          severity: 'high',
          hint: 'conversions stopped while clicks continued',
          detectedAt: '2026-09-13T05:00:00.000Z',
        });
      },
      reasons: ['tracking broke on Creative A (2026-09-12)'],
      randomized: false,
    },
    {
      name: 'a sample-ratio mismatch on a randomized split',
      impressionsB: 9_000,
      setup: async () => {},
      reasons: [
        expect.stringMatching(
          /^sample ratio mismatch: impressions Creative A \d+, Creative B \d+ are not the equal split the test promised \(p = .+\)$/,
        ),
      ],
      randomized: true,
    },
  ])('decides invalid on $name, and never concludes', async ({ arms, setup, reasons, randomized, impressionsB }) => {
    const rt = await start([
      {
        id: 'broken',
        arms: arms ?? [
          { platform: 'meta', adsetId: 'a' },
          { platform: 'meta', adsetId: 'b' },
        ],
        randomized,
      },
    ]);
    const date = '2026-10-10';
    await seed(
      rt.ctx.store,
      [adset('a', 'Creative A'), adset('b', 'Creative B')],
      [
        ...dailyRows('a', START, date, { roas: 2, seed: 8 }),
        ...dailyRows('b', START, date, { roas: 4, seed: 9, ...(impressionsB ? { impressions: impressionsB } : {}) }),
      ],
      clock.now(),
    );
    await setup(rt);
    expect(await evaluate(rt, date)).toEqual({ evaluated: 1, concluded: 0 });
    const record = await latest(rt, 'broken');
    expect(record.decision).toBe('invalid');
    expect(record.result.invalidReasons).toEqual(reasons);
    expect(record.result.comparisons).toEqual([]);
    expect(record.result.lines[0]).toBe(`Invalid: ${record.result.invalidReasons.join('; ')}.`);
    expect(events(rt, 'AB Test Evaluated').map((e) => [e.id, (e.detail as { decision: string }).decision])).toEqual([
      [`ab-test-evaluated:broken:${date}`, 'invalid'],
    ]);
    expect(events(rt, 'AB Test Concluded')).toEqual([]);
  });

  it('finds a tracking break recorded late, and keeps the test invalid on later dates', async () => {
    const rt = await start([
      {
        id: 'track',
        arms: [
          { platform: 'meta', adsetId: 'a' },
          { platform: 'meta', adsetId: 'b' },
        ],
      },
    ]);
    await seed(
      rt.ctx.store,
      [adset('a', 'Creative A'), adset('b', 'Creative B')],
      [...dailyRows('a', START, '2026-10-10', { roas: 2, seed: 13 }), ...dailyRows('b', START, '2026-10-10', { roas: 2, seed: 14 })],
      clock.now(),
    );
    await evaluate(rt, '2026-09-20');
    expect((await latest(rt, 'track')).decision).toBe('continue');
    // Detected after that evaluation, on a day it had already looked at.
    await rt.ctx.store.putAnomalyIfAbsent({
      anomalyId: 'acme:meta:b:2026-09-18:tracking-breakage',
      platform: 'meta',
      accountId: ACCOUNT_ID,
      adsetId: 'b',
      adsetName: 'Creative B',
      date: '2026-09-18',
      faultType: 'tracking-breakage',
      metric: 'conversions',
      observed: 0,
      expectedLow: 3,
      expectedHigh: 9,
      severity: 'high',
      hint: 'conversions stopped while clicks continued',
      detectedAt: '2026-09-21T05:00:00.000Z',
    });
    const reasons = ['tracking broke on Creative B (2026-09-18)'];
    // The last date reads only the days since the one before (and a week more): the break is carried forward.
    for (const date of ['2026-09-23', '2026-10-01', '2026-10-06']) {
      await evaluate(rt, date);
      const record = await latest(rt, 'track');
      expect([record.date, record.decision, record.result.invalidReasons, record.result.trackingBreaks]).toEqual([
        date,
        'invalid',
        reasons,
        [{ adsetId: 'b', date: '2026-09-18' }],
      ]);
    }
  });

  describe('multiplicity across the tests of the day', () => {
    const date = '2026-09-30';
    const matureThrough = addDays(date, -7);
    const control = dailyRows('m1', START, addDays(date, -1), { roas: 2, seed: 10 });
    const treatment = (lift: number) => dailyRows('m2', START, addDays(date, -1), { roas: 2 * (1 + lift), seed: 11 });
    const clean = (rows: DailyMetric[]) => rows.filter((r) => r.date <= matureThrough);
    /** The p-value the first look gives: computed here with the stats module on the same clean days. */
    const pValueOf = (lift: number) => {
      const evaluation = evaluateTest(
        [
          { id: 'm1', days: clean(control) },
          { id: 'm2', days: clean(treatment(lift)) },
        ],
        { metric: 'roas', tuning: DEFAULT_DAY_TUNING, adjustment: 'none' },
      );
      const [c] = evaluation.comparisons;
      if (!c || c.kind === 'insufficient-data' || c.stats.pValue === null) throw new Error('no p-value');
      return c.stats.pValue;
    };
    // A lift whose raw p-value is significant alone (< 0.05) but not once doubled by BH over two comparisons.
    let low = 0;
    let high = 1;
    for (let i = 0; i < 60; i++) {
      const middle = (low + high) / 2;
      if (pValueOf(middle) > 0.035) low = middle;
      else high = middle;
    }
    const lift = high;
    const raw = pValueOf(lift);
    const mild = {
      id: 'mild',
      arms: [
        { platform: 'meta' as const, adsetId: 'm1' },
        { platform: 'meta' as const, adsetId: 'm2' },
      ],
    };
    const same = {
      id: 'same',
      arms: [
        { platform: 'meta' as const, adsetId: 's1' },
        { platform: 'meta' as const, adsetId: 's2' },
      ],
    };
    const adsets = [adset('m1', 'Mild A'), adset('m2', 'Mild B'), adset('s1', 'Same A'), adset('s2', 'Same B')];
    const rows = [
      ...control,
      ...treatment(lift),
      // Identical arms: effect exactly 0, p-value 1.
      ...dailyRows('s1', START, addDays(date, -1), { roas: 2, seed: 12 }),
      ...dailyRows('s2', START, addDays(date, -1), { roas: 2, seed: 12 }),
    ];

    it('a comparison significant alone is declared a winner when it is the only one of the day', async () => {
      expect(raw).toBeGreaterThan(0.025);
      expect(raw).toBeLessThan(0.05);
      const rt = await start([mild]);
      await seed(rt.ctx.store, adsets, rows, clock.now());
      await evaluate(rt, date);
      const record = await latest(rt, 'mild');
      expect(record.decision).toBe('winner');
      expect(record.result.multiplicity).toEqual({ method: 'bh', familySize: 1, discoveries: 1 });
    });

    it('the same comparison continues next to a second test: BH-adjusted p-values, raw and adjusted stored', async () => {
      const rt = await start([mild, same]);
      await seed(rt.ctx.store, adsets, rows, clock.now());
      expect(await evaluate(rt, date)).toEqual({ evaluated: 2, concluded: 0 });
      const record = await latest(rt, 'mild');
      expect(record.decision).toBe('continue');
      expect(record.result.multiplicity).toEqual({ method: 'bh', familySize: 2, discoveries: 0 });
      const [comparison] = record.result.comparisons;
      expect(comparison?.kind).toBe('continue');
      if (comparison?.kind !== 'continue') return;
      // BH over [raw, 1]: the smaller p-value is multiplied by m/rank = 2.
      expect(comparison.stats.pValue).toBeCloseTo(raw, 12);
      expect(comparison.stats.adjustedPValue).toBeCloseTo(2 * raw, 12);
      expect(comparison.reason).toBe('not-significant');
      expect(record.result.lines[0]).toMatch(/\(significant alone, not after correcting for the 2 comparisons decided today\)\.$/);
      const other = await latest(rt, 'same');
      const [zero] = other.result.comparisons;
      expect(zero?.kind === 'insufficient-data' ? null : zero?.stats).toMatchObject({ effect: 0, pValue: 1, adjustedPValue: 1 });
      expect(events(rt, 'AB Test Concluded').map((e) => (e.detail as { testId: string }).testId)).toEqual(
        other.decision === 'futility' ? ['same'] : [],
      );
    });
  });
});
