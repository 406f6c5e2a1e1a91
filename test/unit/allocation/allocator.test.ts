import { describe, expect, it } from 'vitest';
import { planAllocation } from '../../../lib/allocation/allocator.ts';
import { mmResponse } from '../../../lib/allocation/curves.ts';
import { AllocationInputError } from '../../../lib/allocation/errors.ts';
import { pacedDailyTotal } from '../../../lib/allocation/pacing.ts';
import { SeededRandom } from '../../../lib/allocation/random.ts';
import type { AllocationAdSet, AllocationInput } from '../../../lib/allocation/types.ts';
import { addDays } from '../../../lib/model/dates.ts';

const DATE = '2026-03-01';
const EUR = 1_000_000;

function history(curve: { beta: number; kappa: number }, around: number, seed: string) {
  const rng = new SeededRandom(seed);
  return Array.from({ length: 42 }, (_, i) => {
    const spend = around * (0.6 + 0.8 * rng.uniform());
    const revenue = mmResponse(spend, curve);
    return {
      date: addDays(DATE, i - 42),
      spendMicros: Math.round(spend * EUR),
      revenueMicros: Math.round(revenue * EUR),
      conversions: revenue / 50,
    };
  });
}

function adset(id: string, over: Partial<AllocationAdSet> = {}): AllocationAdSet {
  return {
    id,
    platform: 'meta',
    currency: 'EUR',
    campaignId: `c-${id}`,
    budgetLevel: 'adset',
    currentBudgetMicros: 100 * EUR,
    minMicros: 5 * EUR,
    frozen: false,
    learning: false,
    coolingDown: false,
    history: [],
    ...over,
  };
}

// "good" earns ~4x at the margin around 100/day, "poor" ~0.4x.
const good = { beta: 2000, kappa: 400 };
const poor = { beta: 150, kappa: 100 };
const base: AllocationInput = {
  date: DATE,
  objective: 'revenue',
  dailyTotalMicros: 200 * EUR,
  seed: 'acme/2026-03-01',
  adsets: [adset('good', { history: history(good, 100, 'g') }), adset('poor', { history: history(poor, 100, 'p') })],
};

describe('planAllocation', () => {
  it('moves budget to the better marginal return, by at most the step, explaining each change', () => {
    const plan = planAllocation(base);
    const [g, p] = plan.budgets;
    expect(g).toMatchObject({ id: 'good', beforeMicros: 100 * EUR, afterMicros: 120 * EUR, decision: { kind: 'change' } });
    expect(p).toMatchObject({ id: 'poor', beforeMicros: 100 * EUR, afterMicros: 80 * EUR, decision: { kind: 'change' } });
    const m = plan.model.entities;
    expect(g?.reason).toBe(
      `+20%: marginal ROAS ${m[0]?.marginal.toFixed(2)} against ${plan.model.portfolioMarginal.toFixed(2)} for the portfolio`,
    );
    expect(p?.reason).toBe(
      `−20%: marginal ROAS ${m[1]?.marginal.toFixed(2)} against ${plan.model.portfolioMarginal.toFixed(2)} for the portfolio`,
    );
    expect(m[0]?.marginal).toBeGreaterThan(2);
    expect(m[1]?.marginal).toBeLessThan(1);
    expect({ before: plan.totalBeforeMicros, after: plan.totalAfterMicros, target: plan.targetMicros }).toEqual({
      before: 200 * EUR,
      after: 200 * EUR,
      target: 200 * EUR,
    });
  });

  it('holds frozen, learning and cooling-down ad sets, but edits a learning ad set whose learning is broken', () => {
    const plan = planAllocation({
      ...base,
      dailyTotalMicros: 620 * EUR,
      adsets: [
        ...base.adsets,
        adset('frozen', { frozen: true }),
        adset('learning', { learning: true }),
        adset('cooling', { coolingDown: true }),
        adset('broken', { learning: true, learningBroken: true, history: history(good, 100, 'b') }),
      ],
    });
    const byId = new Map(plan.budgets.map((b) => [b.id, b]));
    expect(['frozen', 'learning', 'cooling'].map((id) => ({ id, after: byId.get(id)?.afterMicros, reason: byId.get(id)?.reason }))).toEqual(
      [
        { id: 'frozen', after: 100 * EUR, reason: 'held: frozen by config' },
        { id: 'learning', after: 100 * EUR, reason: 'held: in learning phase' },
        { id: 'cooling', after: 100 * EUR, reason: 'held: cooling down after a recent change' },
      ],
    );
    expect(byId.get('broken')?.afterMicros).toBe(120 * EUR);
    expect(plan.totalAfterMicros).toBe(620 * EUR);
  });

  it('plans a campaign budget once for all its ad sets, from their summed history', () => {
    const plan = planAllocation({
      ...base,
      adsets: [
        adset('good-1', { campaignId: 'cbo', budgetLevel: 'campaign', history: history(good, 50, 'g1') }),
        adset('good-2', { campaignId: 'cbo', budgetLevel: 'campaign', history: history(good, 50, 'g2') }),
        adset('poor', { history: history(poor, 100, 'p') }),
      ],
    });
    expect(plan.budgets.map((b) => ({ id: b.id, level: b.level, adsetIds: b.adsetIds, after: b.afterMicros }))).toEqual([
      { id: 'cbo', level: 'campaign', adsetIds: ['good-1', 'good-2'], after: 120 * EUR },
      { id: 'poor', level: 'adset', adsetIds: ['poor'], after: 80 * EUR },
    ]);
  });

  it('rounds down to the billing unit and never plans above the total (JPY has no minor unit)', () => {
    const plan = planAllocation({
      ...base,
      dailyTotalMicros: 20_001_500_000,
      adsets: base.adsets.map((a) => ({ ...a, currency: 'JPY', currentBudgetMicros: 10_000_000_000, minMicros: 0 })),
    });
    for (const b of plan.budgets) expect(b.afterMicros % EUR).toBe(0);
    expect(plan.totalAfterMicros).toBe(20_001_000_000);
  });

  it('holds a change too small to be worth an edit', () => {
    const plan = planAllocation({ ...base, maxChangePct: 4 });
    expect(plan.budgets.map((b) => b.reason)).toEqual(['held: the best move is under 5%', 'held: the best move is under 5%']);
  });

  it('is deterministic for a seed, and a different seed draws different curves', () => {
    const wide = { ...base, maxChangePct: 100, draws: 1, adsets: base.adsets.map((a) => ({ ...a, history: a.history.slice(-3) })) };
    expect(planAllocation(wide)).toEqual(planAllocation(wide));
    const afters = new Set(Array.from({ length: 8 }, (_, i) => planAllocation({ ...wide, seed: i }).budgets[0]?.afterMicros));
    expect(afters.size).toBeGreaterThan(1);
  });

  it('rejects mixed currencies and campaign ad sets that disagree on the budget', () => {
    expect(() => planAllocation({ ...base, adsets: [adset('a'), adset('b', { currency: 'USD' })] })).toThrow(AllocationInputError);
    expect(() =>
      planAllocation({
        ...base,
        adsets: [
          adset('a', { campaignId: 'x', budgetLevel: 'campaign' }),
          adset('b', { campaignId: 'x', budgetLevel: 'campaign', currentBudgetMicros: 1 }),
        ],
      }),
    ).toThrow('b: campaign x budget differs between its ad sets');
  });
});

describe('pacedDailyTotal', () => {
  it('spreads what is left of the month over the days left, within the daily ceiling', () => {
    expect(pacedDailyTotal({ monthlyTargetMicros: 30_000 * EUR, spentToDateMicros: 18_000 * EUR, daysLeft: 10 })).toBe(1_200 * EUR);
    expect(
      pacedDailyTotal({ monthlyTargetMicros: 30_000 * EUR, spentToDateMicros: 18_000 * EUR, daysLeft: 10, maxDailyMicros: 1_000 * EUR }),
    ).toBe(1_000 * EUR);
    expect(pacedDailyTotal({ monthlyTargetMicros: 100, spentToDateMicros: 200, daysLeft: 3 })).toBe(0);
    expect(pacedDailyTotal({ monthlyTargetMicros: 100, spentToDateMicros: 0, daysLeft: 3 })).toBe(33);
  });
  describe('the expected-return split with a Thompson share', () => {
    // A far better ad set with a week of history at 400/day (its saturation still uncertain) and three alike at ~300.
    const jittered = (curve: { beta: number; kappa: number }, around: number, seed: string, days: number) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: days }, (_, i) => {
        const spend = around * (0.9 + 0.2 * rng.uniform());
        const revenue = mmResponse(spend, curve) * (0.8 + 0.4 * rng.uniform());
        return {
          date: addDays(DATE, i - days),
          spendMicros: Math.round(spend * EUR),
          revenueMicros: Math.round(revenue * EUR),
          conversions: revenue / 80,
        };
      });
    };
    const star: AllocationInput = {
      date: DATE,
      objective: 'revenue',
      dailyTotalMicros: 1_300 * EUR,
      seed: 'star',
      adsets: [
        adset('star', { currentBudgetMicros: 400 * EUR, history: jittered({ beta: 5400, kappa: 1200 }, 400, 's', 7) }),
        ...['a', 'b', 'c'].map((id) =>
          adset(id, { currentBudgetMicros: 300 * EUR, history: jittered({ beta: 1300, kappa: 350 }, 300, id, 42) }),
        ),
      ],
    };
    const budgetOf = (plan: ReturnType<typeof planAllocation>, id: string) => plan.budgets.find((b) => b.id === id)?.afterMicros ?? 0;

    it('moves a clearly better ad set further than averaged Thompson splits alone, which any disagreeing draw shortens', () => {
      const mixed = planAllocation(star);
      const thompson = planAllocation({ ...star, thompsonShare: 1 });
      expect(budgetOf(mixed, 'star')).toBeGreaterThanOrEqual(460 * EUR);
      expect(budgetOf(mixed, 'star') - budgetOf(thompson, 'star')).toBeGreaterThan(20 * EUR);
      expect([mixed.totalAfterMicros, thompson.totalAfterMicros]).toEqual([1_300 * EUR, 1_300 * EUR]);
    });

    it('does not depend on the seed without a Thompson share', () => {
      const a = planAllocation({ ...star, thompsonShare: 0 });
      const b = planAllocation({ ...star, thompsonShare: 0, seed: 'another seed' });
      expect(b.budgets).toEqual(a.budgets);
      expect(a.model.draws).toBe(0);
    });
  });
});
