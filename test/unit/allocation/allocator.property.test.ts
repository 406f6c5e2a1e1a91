/** Invariants of planAllocation over 10,000 random portfolios and histories (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAllocation } from '../../../lib/allocation/allocator.ts';
import type { AllocationAdSet, AllocationInput, AllocationPlan } from '../../../lib/allocation/types.ts';
import { addDays } from '../../../lib/model/dates.ts';
import { MICROS_PER_UNIT, minorUnitOffset } from '../../../lib/model/money.ts';

const DATE = '2026-03-01';

const historyDay = fc.record({
  age: fc.integer({ min: 1, max: 40 }),
  spend: fc.integer({ min: 0, max: 2_000_000_000 }),
  roas: fc.double({ min: 0, max: 8, noNaN: true }),
  conversions: fc.integer({ min: 0, max: 60 }),
  maturity: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
});

const adsetSpec = fc.record({
  campaign: fc.integer({ min: 0, max: 3 }),
  budget: fc.integer({ min: 0, max: 1_000_000_000 }),
  min: fc.integer({ min: 0, max: 50_000_000 }),
  max: fc.option(fc.integer({ min: 1_000_000, max: 1_500_000_000 }), { nil: undefined }),
  platformMin: fc.option(fc.integer({ min: 0, max: 30_000_000 }), { nil: undefined }),
  frozen: fc.boolean(),
  learning: fc.boolean(),
  learningBroken: fc.boolean(),
  coolingDown: fc.boolean(),
  history: fc.array(historyDay, { maxLength: 14 }),
});

const portfolio = fc
  .record({
    currency: fc.constantFrom('EUR', 'JPY', 'USD'),
    campaignLevel: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    campaignBudgets: fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 4, maxLength: 4 }),
    adsets: fc.array(adsetSpec, { minLength: 1, maxLength: 8 }),
    totalFactor: fc.double({ min: 0.3, max: 1.8, noNaN: true }),
    maxChangePct: fc.integer({ min: 0, max: 60 }),
    explorationFloorPct: fc.integer({ min: 0, max: 30 }),
    objective: fc.constantFrom('revenue' as const, 'conversions' as const),
    draws: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer(),
  })
  .map((p): AllocationInput => {
    const adsets: AllocationAdSet[] = p.adsets.map((a, i) => {
      const campaignLevel = p.campaignLevel[a.campaign] ?? false;
      const seen = new Set<string>();
      return {
        id: `as${i}`,
        platform: 'meta',
        currency: p.currency,
        campaignId: `c${a.campaign}`,
        budgetLevel: campaignLevel ? 'campaign' : 'adset',
        currentBudgetMicros: campaignLevel ? (p.campaignBudgets[a.campaign] ?? 0) : a.budget,
        minMicros: a.min,
        ...(a.max === undefined ? {} : { maxMicros: a.max }),
        ...(a.platformMin === undefined ? {} : { platformMinMicros: a.platformMin }),
        frozen: a.frozen,
        learning: a.learning,
        learningBroken: a.learningBroken,
        coolingDown: a.coolingDown,
        history: a.history
          .filter((h) => !seen.has(String(h.age)) && seen.add(String(h.age)))
          .map((h) => ({
            date: addDays(DATE, -h.age),
            spendMicros: h.spend,
            revenueMicros: Math.round(h.spend * h.roas),
            conversions: h.conversions,
            ...(h.maturity === undefined ? {} : { maturity: h.maturity }),
          })),
      };
    });
    const entityBudgets = new Map(adsets.map((a) => [a.budgetLevel === 'campaign' ? a.campaignId : a.id, a.currentBudgetMicros]));
    const current = [...entityBudgets.values()].reduce((s, b) => s + b, 0);
    return {
      date: DATE,
      adsets,
      objective: p.objective,
      dailyTotalMicros: Math.round(current * p.totalFactor),
      maxChangePct: p.maxChangePct,
      explorationFloorPct: p.explorationFloorPct,
      draws: p.draws,
      seed: p.seed,
      // A coarse κ grid: the invariants hold whatever the model says, and the runs stay fast.
      model: { kappaRatios: [0.1, 0.3, 1, 3, 10] },
    };
  });

/** Every broken invariant of a plan, in words (empty when the plan is sound). */
function violations(input: AllocationInput, plan: AllocationPlan): string[] {
  const out: string[] = [];
  const unit = MICROS_PER_UNIT / minorUnitOffset(input.adsets[0]?.currency ?? 'EUR');
  const pct = input.maxChangePct ?? 20;
  for (const b of plan.budgets) {
    const members = input.adsets.filter((a) => b.adsetIds.includes(a.id));
    const mustHold = members.some((a) => a.frozen || a.coolingDown || (a.learning && !a.learningBroken));
    if (b.afterMicros === b.beforeMicros) continue;
    if (mustHold) out.push(`${b.id}: changed although frozen, cooling down or learning`);
    if (b.decision.kind !== 'change') out.push(`${b.id}: moved but reported as a hold`);
    if (!Number.isSafeInteger(b.afterMicros) || b.afterMicros % unit !== 0) out.push(`${b.id}: ${b.afterMicros} is not billable`);
    if (Math.abs(b.afterMicros - b.beforeMicros) > (b.beforeMicros * pct) / 100) out.push(`${b.id}: step past ${pct}%`);
    for (const a of members) {
      if (b.afterMicros < Math.max(a.minMicros, a.platformMinMicros ?? 0)) out.push(`${b.id}: below the minimum of ${a.id}`);
      if (b.afterMicros > (a.maxMicros ?? Number.POSITIVE_INFINITY)) out.push(`${b.id}: above the cap of ${a.id}`);
    }
  }
  if (plan.totalAfterMicros !== plan.budgets.reduce((s, b) => s + b.afterMicros, 0)) out.push('totalAfterMicros is not the sum');
  if (plan.totalAfterMicros > input.dailyTotalMicros) {
    // Allowed only when held budgets and minimums alone pass the total, and then the plan only cuts.
    if (plan.model.fit !== 'below-minimums' && plan.model.fit !== 'nothing-free') out.push(`over the total with fit ${plan.model.fit}`);
    for (const b of plan.budgets) if (b.afterMicros > b.beforeMicros) out.push(`${b.id}: raised while over the total`);
  }
  return out;
}

describe('planAllocation invariants', () => {
  it('never exceeds the total or a cap, never steps past the limit, never goes below a minimum, holds what must be held', () => {
    fc.assert(
      fc.property(portfolio, (input) => {
        expect(violations(input, planAllocation(input))).toEqual([]);
      }),
      { numRuns: 10_000 },
    );
  }, 60_000);

  it('the invariant check catches a plan that breaks the rules', () => {
    const input: AllocationInput = {
      date: DATE,
      objective: 'revenue',
      dailyTotalMicros: 100_000_000,
      seed: 1,
      adsets: [
        {
          id: 'a',
          platform: 'meta',
          currency: 'EUR',
          campaignId: 'c',
          budgetLevel: 'adset',
          currentBudgetMicros: 100_000_000,
          minMicros: 0,
          frozen: true,
          learning: false,
          coolingDown: false,
          history: [],
        },
      ],
    };
    const plan = planAllocation(input);
    const broken = { ...plan, totalAfterMicros: 150_000_000, budgets: plan.budgets.map((b) => ({ ...b, afterMicros: 150_000_000 })) };
    expect(violations(input, broken)).toEqual([
      'a: changed although frozen, cooling down or learning',
      'a: moved but reported as a hold',
      'a: step past 20%',
      'a: raised while over the total',
    ]);
  });

  it('planning twice with the same input and seed gives the same plan', () => {
    fc.assert(
      fc.property(portfolio, (input) => {
        expect(planAllocation(input)).toEqual(planAllocation(structuredClone(input)));
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});
