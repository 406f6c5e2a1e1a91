import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import type { ClientConfig } from '../../../lib/config/schema.ts';
import type { Ad, AdSet } from '../../../lib/model/ads.ts';
import type { TestEvaluationRecord } from '../../../lib/store/records.ts';
import { type ConcludedTest, steerConcludedTests } from '../../../lib/usecases/test-actions.ts';

const EUR = 1_000_000;

function config(onConclusion: 'none' | 'shift-budget' | 'pause-loser', extra: Record<string, unknown> = {}): ClientConfig {
  return parseClientConfig(
    {
      client: 'acme',
      timezone: 'Europe/Paris',
      currency: 'EUR',
      budget: { dailyTotal: '1000.00', maxChangePct: 20, minDaily: '10.00', ...extra },
      platforms: { meta: { accounts: ['act_1'] } },
      report: { recipients: ['lead@acme.example'] },
      tests: [
        {
          id: 'creative-b',
          arms: [
            { platform: 'meta', adsetId: 'a' },
            { platform: 'meta', adsetId: 'b' },
          ],
          onConclusion,
        },
      ],
    },
    'test',
  );
}

function adset(adsetId: string, budget: number | null, extra: Partial<AdSet> = {}): AdSet {
  return {
    platform: 'meta',
    accountId: 'act_1',
    adsetId,
    campaignId: 'c1',
    name: `Ad set ${adsetId.toUpperCase()}`,
    campaignName: 'C',
    status: 'ACTIVE',
    currency: 'EUR',
    dailyBudgetMicros: budget,
    budgetLevel: 'adset',
    learning: false,
    ...extra,
  };
}

function concluded(cfg: ClientConfig, winner: string | null, decision: TestEvaluationRecord['decision'] = 'winner'): ConcludedTest[] {
  const test = cfg.tests[0];
  if (!test) throw new Error('no test');
  return [
    {
      test,
      conclusion: {
        testId: test.id,
        date: '2026-11-20',
        decision,
        summary: '',
        result: { winnerAdsetId: winner },
        evaluatedAt: '2026-11-20T06:00:00Z',
      },
    },
  ];
}

describe('steerConcludedTests', () => {
  it('moves one step of budget from the loser to the winner, keeping the pair total', () => {
    const cfg = config('shift-budget');
    const out = steerConcludedTests({
      planId: 'p1',
      config: cfg,
      adsets: [adset('a', 100 * EUR), adset('b', 200 * EUR), adset('c', 700 * EUR)],
      concluded: concluded(cfg, 'b'),
      coolingDownAdsetIds: new Set(),
      pausedBeforeIds: new Set(),
    });
    expect(out.changes).toEqual([
      expect.objectContaining({ changeId: 'p1-meta-b', adsetId: 'b', beforeMicros: 200 * EUR, afterMicros: 220 * EUR }),
      expect.objectContaining({ changeId: 'p1-meta-a', adsetId: 'a', beforeMicros: 100 * EUR, afterMicros: 80 * EUR }),
    ]);
    expect(out.changes[0]?.reason).toBe('+10%: test creative-b concluded: Ad set B won; budget moves to it from the other arms');
    expect(out.changes[1]?.reason).toBe('-20%: test creative-b concluded: Ad set B won; this arm lost, its budget moves to the winner');
    expect(out.holds).toEqual([]);
    expect([...out.steeredAdsetIds].sort()).toEqual(['a', 'b']);
  });

  it('stops at the minimum daily budget and then holds with a plain reason', () => {
    const cfg = config('shift-budget');
    const near = steerConcludedTests({
      planId: 'p2',
      config: cfg,
      adsets: [adset('a', 12 * EUR), adset('b', 200 * EUR)],
      concluded: concluded(cfg, 'b'),
      coolingDownAdsetIds: new Set(),
      pausedBeforeIds: new Set(),
    });
    expect(near.changes.map((c) => [c.adsetId, c.afterMicros])).toEqual([
      ['b', 202 * EUR],
      ['a', 10 * EUR],
    ]);
    const done = steerConcludedTests({
      planId: 'p3',
      config: cfg,
      adsets: [adset('a', 10 * EUR), adset('b', 202 * EUR)],
      concluded: concluded(cfg, 'b'),
      coolingDownAdsetIds: new Set(),
      pausedBeforeIds: new Set(),
    });
    expect(done.changes).toEqual([]);
    expect(done.holds.map((h) => h.reason)).toEqual([
      expect.stringMatching(/nothing left to move/),
      expect.stringMatching(/nothing left to move/),
    ]);
  });

  it.each([
    ['cooling down', { cooling: ['a'] }, /Ad set A changed within the cooldown/],
    ['learning', { learning: 'b' }, /Ad set B is in its learning phase/],
    ['frozen', { frozen: ['a'] }, /Ad set A is frozen in the client config/],
  ])('holds both arms when one is %s', (_label, when, reason) => {
    const cfg = config('shift-budget', 'frozen' in when ? { frozen: when.frozen } : {});
    const out = steerConcludedTests({
      planId: 'p4',
      config: cfg,
      adsets: [adset('a', 100 * EUR), adset('b', 200 * EUR, 'learning' in when ? { learning: true } : {})],
      concluded: concluded(cfg, 'b'),
      coolingDownAdsetIds: new Set('cooling' in when ? when.cooling : []),
      pausedBeforeIds: new Set(),
    });
    expect(out.changes).toEqual([]);
    expect(out.holds).toHaveLength(2);
    for (const h of out.holds) expect(h.reason).toMatch(reason);
  });

  it('does nothing for tests without an action, without a winner, or concluded as futile', () => {
    for (const [cfg, winner, decision] of [
      [config('none'), 'b', 'winner'],
      [config('shift-budget'), null, 'futility'],
      [config('shift-budget'), 'b', 'continue'],
    ] as const) {
      const out = steerConcludedTests({
        planId: 'p5',
        config: cfg,
        adsets: [adset('a', 100 * EUR), adset('b', 200 * EUR)],
        concluded: concluded(cfg, winner, decision),
        coolingDownAdsetIds: new Set(),
        pausedBeforeIds: new Set(),
      });
      expect(out).toEqual({ changes: [], holds: [], steeredAdsetIds: new Set() });
    }
  });

  it('pauses each losing arm once, keeping its budget, and leaves the winner to the allocator', () => {
    const cfg = config('pause-loser');
    const out = steerConcludedTests({
      planId: 'p6',
      config: cfg,
      adsets: [adset('a', 100 * EUR, { learning: true }), adset('b', 200 * EUR), adset('c', 700 * EUR)],
      concluded: concluded(cfg, 'b'),
      // Cooldown and learning hold budget moves, not a pause: a losing arm stops either way.
      coolingDownAdsetIds: new Set(['a']),
      pausedBeforeIds: new Set(),
    });
    expect(out).toEqual({
      changes: [
        {
          changeId: 'p6-meta-a',
          platform: 'meta',
          accountId: 'act_1',
          adsetId: 'a',
          adsetName: 'Ad set A',
          campaignId: 'c1',
          budgetLevel: 'adset',
          currency: 'EUR',
          beforeMicros: 100 * EUR,
          afterMicros: 100 * EUR,
          reason: 'paused: test creative-b concluded: Ad set B won; this arm lost',
          action: 'pause',
        },
      ],
      holds: [],
      steeredAdsetIds: new Set(['a']),
    });
  });

  it('holds the arms of a running test, leaving the rest to the allocator, unless the test does not hold budgets', () => {
    const cfg = config('none');
    const input = {
      planId: 'p9',
      config: cfg,
      adsets: [adset('a', 100 * EUR), adset('b', 200 * EUR), adset('c', 700 * EUR)],
      concluded: [],
      running: cfg.tests,
      coolingDownAdsetIds: new Set<string>(),
      pausedBeforeIds: new Set<string>(),
    };
    const reason =
      'arm of running test creative-b: budget held until the test concludes, so edits neither restart learning nor tilt the comparison';
    expect(steerConcludedTests(input)).toEqual({
      changes: [],
      holds: [
        { platform: 'meta', adsetId: 'a', adsetName: 'Ad set A', reason },
        { platform: 'meta', adsetId: 'b', adsetName: 'Ad set B', reason },
      ],
      steeredAdsetIds: new Set(['a', 'b']),
    });
    const unheld = steerConcludedTests({ ...input, running: cfg.tests.map((t) => ({ ...t, holdBudgets: false })) });
    expect(unheld).toEqual({ changes: [], holds: [], steeredAdsetIds: new Set() });
  });

  it('does not pause an arm it paused before (an undone pause sticks) nor a frozen one', () => {
    const cfg = config('pause-loser');
    const again = steerConcludedTests({
      planId: 'p7',
      config: cfg,
      adsets: [adset('a', 100 * EUR), adset('b', 200 * EUR)],
      concluded: concluded(cfg, 'b'),
      coolingDownAdsetIds: new Set(),
      pausedBeforeIds: new Set(['a']),
    });
    expect(again).toEqual({ changes: [], holds: [], steeredAdsetIds: new Set() });
    const frozenCfg = config('pause-loser', { frozen: ['a'] });
    const frozen = steerConcludedTests({
      planId: 'p8',
      config: frozenCfg,
      adsets: [adset('a', 100 * EUR), adset('b', 200 * EUR)],
      concluded: concluded(frozenCfg, 'b'),
      coolingDownAdsetIds: new Set(),
      pausedBeforeIds: new Set(),
    });
    expect(frozen.changes).toEqual([]);
    expect(frozen.holds).toEqual([
      {
        platform: 'meta',
        adsetId: 'a',
        adsetName: 'Ad set A',
        reason: 'test creative-b concluded: Ad set B won; Ad set A is frozen in the client config, so it is not paused',
      },
    ]);
  });

  it('pauses the losing ad of an ad-level test, keeps its ad set and budget, and holds ad sets while an ad test runs', () => {
    const cfg = parseClientConfig(
      {
        client: 'acme',
        timezone: 'Europe/Paris',
        currency: 'EUR',
        budget: { dailyTotal: '1000.00', maxChangePct: 20, minDaily: '10.00' },
        platforms: { meta: { accounts: ['act_1'] } },
        report: { recipients: ['lead@acme.example'] },
        tests: [
          {
            id: 'creatives',
            arms: [
              { platform: 'meta', adId: 'ad-a' },
              { platform: 'meta', adId: 'ad-b' },
            ],
            onConclusion: 'pause-loser',
          },
        ],
      },
      'test',
    );
    const ad = (adId: string, name: string): Ad => ({
      platform: 'meta',
      accountId: 'act_1',
      adId,
      adsetId: 'a',
      campaignId: 'c1',
      name,
      status: 'ACTIVE',
    });
    const ads = [ad('ad-a', 'Video 15s'), ad('ad-b', 'Carousel')];
    const adsets = [adset('a', 100 * EUR), adset('c', 700 * EUR)];
    const running = steerConcludedTests({
      planId: 'p10',
      config: cfg,
      adsets,
      concluded: [],
      running: cfg.tests,
      ads,
      coolingDownAdsetIds: new Set(),
      pausedBeforeIds: new Set(),
    });
    expect(running.holds.map((h) => [h.adsetId, h.reason])).toEqual([
      [
        'a',
        'runs an ad of running test creatives: budget held until the test concludes, so edits neither restart learning nor tilt the comparison',
      ],
    ]);
    const test = cfg.tests[0];
    if (!test) throw new Error('no test');
    const conclusion: TestEvaluationRecord = {
      testId: 'creatives',
      date: '2026-11-20',
      decision: 'winner',
      summary: '',
      result: { winnerAdsetId: 'ad-b' },
      evaluatedAt: '2026-11-20T06:00:00Z',
    };
    const out = steerConcludedTests({
      planId: 'p11',
      config: cfg,
      adsets,
      concluded: [{ test, conclusion }],
      ads,
      coolingDownAdsetIds: new Set(['a']),
      pausedBeforeIds: new Set(),
    });
    expect(out).toEqual({
      changes: [
        {
          changeId: 'p11-meta-ad-ad-a',
          platform: 'meta',
          accountId: 'act_1',
          adsetId: 'a',
          adsetName: 'Ad set A',
          campaignId: 'c1',
          budgetLevel: 'adset',
          currency: 'EUR',
          beforeMicros: 100 * EUR,
          afterMicros: 100 * EUR,
          reason: 'ad paused: test creatives concluded: Carousel won; Video 15s lost',
          action: 'pause',
          adId: 'ad-a',
          adName: 'Video 15s',
        },
      ],
      holds: [],
      steeredAdsetIds: new Set(['a']),
    });
    // Paused once (and perhaps re-activated by a person since): not paused again.
    const again = steerConcludedTests({
      planId: 'p12',
      config: cfg,
      adsets,
      concluded: [{ test, conclusion }],
      ads,
      coolingDownAdsetIds: new Set(),
      pausedBeforeIds: new Set(['ad-a']),
    });
    expect(again.changes).toEqual([]);
  });

  it('never changes the pair total, never steps past the limit, never goes below the minimum (property)', () => {
    const cfg = config('shift-budget');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 5000 }), (a, b) => {
        const adsets = [adset('a', a * EUR), adset('b', b * EUR)];
        const out = steerConcludedTests({
          planId: 'p',
          config: cfg,
          adsets,
          concluded: concluded(cfg, 'b'),
          coolingDownAdsetIds: new Set(),
          pausedBeforeIds: new Set(),
        });
        const after = new Map(adsets.map((x) => [x.adsetId, x.dailyBudgetMicros ?? 0]));
        for (const c of out.changes) {
          expect(Math.abs(c.afterMicros - c.beforeMicros)).toBeLessThanOrEqual(Math.floor(c.beforeMicros * 0.2));
          after.set(c.adsetId, c.afterMicros);
        }
        expect((after.get('a') ?? 0) + (after.get('b') ?? 0)).toBe((a + b) * EUR);
        if (out.changes.length > 0) expect(after.get('a')).toBeGreaterThanOrEqual(10 * EUR);
      }),
      { numRuns: 2000 },
    );
  });
});
