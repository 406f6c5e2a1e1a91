import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AdSetFacts, checkGuardrails, type GuardrailLimits } from '../../../lib/allocation/guardrails.ts';
import type { PlannedChange } from '../../../lib/store/records.ts';

const limits: GuardrailLimits = {
  dailyTotalMicros: 1_000_000_000,
  maxChangePct: 20,
  minDailyMicros: 5_000_000,
  cooldownHours: 72,
  frozenAdsetIds: ['frozen'],
};
const now = new Date('2026-11-26T06:00:00Z');

function change(adsetId: string, before: number, after: number): PlannedChange {
  return {
    changeId: `c-${adsetId}`,
    platform: 'meta',
    accountId: 'act_1',
    adsetId,
    adsetName: adsetId,
    campaignId: 'c',
    budgetLevel: 'adset',
    currency: 'EUR',
    beforeMicros: before,
    afterMicros: after,
    reason: 'test',
  };
}

describe('checkGuardrails', () => {
  it('passes a change inside every limit', () => {
    const verdicts = checkGuardrails([change('a', 100_000_000, 120_000_000)], { limits, facts: new Map(), unchangedTotalMicros: 0, now });
    expect(verdicts).toEqual([{ kind: 'pass', change: change('a', 100_000_000, 120_000_000) }]);
  });

  it('rejects with a plain reason: step, minimum, frozen, learning, cooldown', () => {
    const facts = new Map<string, AdSetFacts>([
      ['learning', { adsetId: 'learning', learning: true, lastChangedAt: null }],
      ['cooling', { adsetId: 'cooling', learning: false, lastChangedAt: '2026-11-25T06:00:00Z' }],
    ]);
    const verdicts = checkGuardrails(
      [
        change('big', 100_000_000, 130_000_000),
        change('tiny', 5_500_000, 4_500_000),
        change('frozen', 100_000_000, 110_000_000),
        change('learning', 100_000_000, 110_000_000),
        change('cooling', 100_000_000, 110_000_000),
      ],
      { limits, facts, unchangedTotalMicros: 0, now },
    );
    expect(verdicts.map((v) => (v.kind === 'reject' ? v.reason : 'pass'))).toEqual([
      'a 30.0% step exceeds the 20% limit',
      'below the minimum daily budget',
      'the ad set is frozen by config',
      'the ad set is in its learning phase',
      'changed 24 h ago; cooldown is 72 h',
    ]);
  });

  it('never lets the portfolio exceed the daily cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 5_000_000, max: 400_000_000 }), fc.double({ min: -0.3, max: 0.3, noNaN: true })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 0, max: 600_000_000 }),
        (rows, unchanged) => {
          const changes = rows.map(([before, step], i) => change(`s${i}`, before, Math.round(before * (1 + step))));
          const verdicts = checkGuardrails(changes, { limits, facts: new Map(), unchangedTotalMicros: unchanged, now });
          const before = unchanged + changes.reduce((s, c) => s + c.beforeMicros, 0);
          const after = unchanged + verdicts.reduce((s, v) => s + (v.kind === 'pass' ? v.change.afterMicros : v.change.beforeMicros), 0);
          // Either the result is within the cap, or it only shrinks a portfolio that was already above it.
          expect(after <= limits.dailyTotalMicros || after <= before).toBe(true);
          for (const v of verdicts) {
            if (v.kind === 'pass')
              expect(Math.abs(v.change.afterMicros - v.change.beforeMicros)).toBeLessThanOrEqual(v.change.beforeMicros * 0.2 + 1);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('checkGuardrails: Meta allows 4 budget changes per ad set per hour', () => {
  it('rejects the change that would be the fifth within the hour, with a plain reason', () => {
    const facts = new Map<string, AdSetFacts>([
      [
        'busy',
        {
          adsetId: 'busy',
          learning: false,
          lastChangedAt: null,
          changedAt: ['2026-11-26T05:10:00Z', '2026-11-26T05:20:00Z', '2026-11-26T05:30:00Z', '2026-11-26T05:40:00Z'],
        },
      ],
      ['older', { adsetId: 'older', learning: false, lastChangedAt: null, changedAt: ['2026-11-26T04:59:59Z', '2026-11-26T04:00:00Z'] }],
    ]);
    const verdicts = checkGuardrails([change('busy', 100_000_000, 110_000_000), change('older', 100_000_000, 110_000_000)], {
      limits: { ...limits, cooldownHours: 0 },
      facts,
      unchangedTotalMicros: 0,
      now,
    });
    expect(verdicts).toEqual([
      { kind: 'reject', change: change('busy', 100_000_000, 110_000_000), reason: '4 budget changes in the last hour; meta allows 4' },
      { kind: 'pass', change: change('older', 100_000_000, 110_000_000) },
    ]);
  });

  it('never lets an ad set pass 4 writes in the last hour, counting the log and the batch (property)', () => {
    const minute = 60_000;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            adset: fc.constantFrom('a', 'b', 'c'),
            platform: fc.constantFrom('meta' as const, 'tiktok' as const),
            step: fc.integer({ min: -25, max: 25 }),
          }),
          { maxLength: 12 },
        ),
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.array(fc.integer({ min: 0, max: 180 }), { maxLength: 8 })),
        (batch, history) => {
          const facts = new Map<string, AdSetFacts>(
            Object.entries(history).map(([id, ages]) => [
              id,
              {
                adsetId: id,
                learning: false,
                lastChangedAt: null,
                changedAt: ages.map((m) => new Date(now.getTime() - m * minute).toISOString()),
              },
            ]),
          );
          const changes = batch.map((b, i) => ({
            ...change(b.adset, 100_000_000, 100_000_000 + b.step * 1_000_000),
            changeId: `c${i}`,
            platform: b.platform,
          }));
          const verdicts = checkGuardrails(changes, {
            limits: { ...limits, cooldownHours: 0, dailyTotalMicros: Number.MAX_SAFE_INTEGER },
            facts,
            unchangedTotalMicros: 0,
            now,
          });
          for (const id of ['a', 'b', 'c']) {
            const logged = (history[id] ?? []).filter((m) => m < 60).length;
            const passedMeta = verdicts.filter((v) => v.kind === 'pass' && v.change.adsetId === id && v.change.platform === 'meta').length;
            const askedMeta = changes.filter(
              (c) => c.adsetId === id && c.platform === 'meta' && Math.abs(c.afterMicros - c.beforeMicros) <= 20_000_000,
            ).length;
            // Never past the limit, and nothing valid refused while there was room.
            expect(passedMeta === 0 || logged + passedMeta <= 4).toBe(true);
            expect(passedMeta).toBe(Math.min(askedMeta, Math.max(0, 4 - logged)));
          }
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
