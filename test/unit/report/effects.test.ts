import { describe, expect, it } from 'vitest';
import { makeConverter } from '../../../lib/report/currency.ts';
import { dailyEffect, expectedAt } from '../../../lib/report/effects.ts';
import { effectText, moveEffectText } from '../../../lib/report/format.ts';
import { weekMoves } from '../../../lib/report/moves.ts';
import type { BudgetChangeRecord } from '../../../lib/store/records.ts';

const EUR = 1_000_000;
const curve = { beta: 100, kappa: 100 };

function change(
  changeId: string,
  before: number,
  after: number,
  appliedAt: string,
  extra: Partial<BudgetChangeRecord> = {},
): BudgetChangeRecord {
  return {
    changeId,
    planId: 'plan',
    platform: 'meta',
    accountId: 'act_1',
    adsetId: 'A1',
    adsetName: 'Prospecting',
    campaignId: 'C1',
    budgetLevel: 'adset',
    currency: 'EUR',
    beforeMicros: before,
    afterMicros: after,
    reason: 'r',
    appliedAt,
    outcome: 'applied',
    readBackMicros: after,
    error: null,
    revertsChangeId: null,
    ...extra,
  };
}

describe('estimated effect of budget moves', () => {
  it('reads the saturating curve in major units of spend', () => {
    expect(expectedAt(curve, 100 * EUR)).toBe(50);
    expect(expectedAt(curve, 0)).toBe(0);
    expect(dailyEffect(curve, 100 * EUR, 120 * EUR)).toBeCloseTo((100 * 120) / 220 - 50, 12);
  });

  it('gives each move its daily effect in reporting micros and the week the effect of the days each was in force', () => {
    const { convert } = makeConverter('EUR', {}, ['EUR']);
    const changes = [
      change('up', 100 * EUR, 120 * EUR, '2026-03-03T07:05:00.000Z'),
      change('down', 120 * EUR, 100 * EUR, '2026-03-05T07:05:00.000Z', { outcome: 'reverted', revertsChangeId: 'up' }),
      change('failed', 100 * EUR, 80 * EUR, '2026-03-06T07:05:00.000Z', { outcome: 'failed' }),
    ];
    const curves = new Map(changes.map((c) => [c.changeId, curve]));
    const out = weekMoves(changes, convert, { objective: 'revenue', curves, timezone: 'Europe/Paris', weekTo: '2026-03-08' });
    const up = Math.round(((100 * 120) / 220 - 50) * EUR);
    expect(out.moves.map((m) => [m.changeId, m.estimatedDailyEffect])).toEqual([
      ['up', up],
      ['down', -up],
      ['failed', Math.round(((100 * 80) / 180 - 50) * EUR)],
    ]);
    // Tuesday to Sunday is 6 days; the revert from Thursday takes 4 of them back; the failed move never ran.
    expect(out.estimatedEffect).toEqual({ total: up * 6 - up * 4, moves: 2 });
  });

  it('leaves moves without a planned curve unestimated, and the week without an estimate when none has one', () => {
    const { convert } = makeConverter('EUR', {}, ['EUR']);
    const out = weekMoves([change('up', 100 * EUR, 120 * EUR, '2026-03-03T07:05:00.000Z')], convert, {
      objective: 'revenue',
      curves: new Map(),
      timezone: 'Europe/Paris',
      weekTo: '2026-03-08',
    });
    expect(out.moves[0]?.estimatedDailyEffect).toBeUndefined();
    expect(out.estimatedEffect).toBeUndefined();
  });

  it('says it in words a marketer reads, for revenue and for conversions', () => {
    expect(effectText({ objective: 'revenue', currency: 'EUR' }, 4_545_455)).toBe('+€4.55 revenue');
    expect(effectText({ objective: 'conversions', currency: 'EUR' }, -1.26)).toBe('−1.3 conversions');
    const { convert } = makeConverter('EUR', {}, ['EUR']);
    const [move] = weekMoves([change('up', 100 * EUR, 120 * EUR, '2026-03-03T07:05:00.000Z')], convert, {
      objective: 'revenue',
      curves: new Map([['up', curve]]),
      timezone: 'Europe/Paris',
      weekTo: '2026-03-08',
    }).moves;
    expect(move && moveEffectText({ objective: 'revenue', currency: 'EUR' }, move)).toBe('Expected: +€4.55 revenue a day (response model)');
  });
});
