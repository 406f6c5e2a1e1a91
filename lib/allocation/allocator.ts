/**
 * The budget allocator: Thompson sampling over response curves inside the guardrails.
 *
 * 1. Group ad sets into budget-holding entities (campaign budgets are one decision).
 * 2. Fit the pooled Bayesian response model (response-model.ts).
 * 3. Hold what must not move (frozen, learning and not broken, cooling down, no room between bounds).
 * 4. Split the free budget so marginal returns are equal, inside bounds from the step limit, minimums
 *    (client, platform, exploration floor) and maximums (water-filling, closed form per λ): mostly on the
 *    posterior-expected return curves (the Bayes decision, which takes full steps where the posterior is
 *    sure), and for a share on curves drawn from the posterior (Thompson sampling, which keeps uncertain
 *    entities explored). Averaging Thompson splits alone held back moves the posterior was sure of (any draw
 *    that disagreed shortened the step), so a clearly better ad set ramped slower than a ±20% rule.
 * 5. Round down to the currency's billing unit, hand rounding leftovers to the best marginals, hold
 *    changes too small to be worth an edit, and explain every decision.
 */
import { MICROS_PER_UNIT, minorUnitOffset } from '../model/money.ts';
import type { MichaelisMentenCurve } from './curves.ts';
import { type BudgetEntity, budgetEntities } from './entities.ts';
import { AllocationInputError } from './errors.ts';
import { SeededRandom } from './random.ts';
import { drawCurve, type EntityPosterior, fitPortfolio, posteriorAt, posteriorLocalCurve, posteriorMeanCurve } from './response-model.ts';
import type { AllocationInput, AllocationPlan, EntityBudget, HoldCause, ModelSummary } from './types.ts';
import { type BoundedCurve, waterFill } from './water-fill.ts';

interface Bounds {
  readonly lo: number;
  readonly hi: number;
  readonly unit: number;
}

/** Plans tomorrow's budget of every budget-holding entity; deterministic given the input and its seed. */
export function planAllocation(input: AllocationInput): AllocationPlan {
  validate(input);
  const maxChangePct = input.maxChangePct ?? 20;
  const floorPct = input.explorationFloorPct ?? 10;
  const minChangePct = input.minChangePct ?? 5;
  const draws = Math.max(1, Math.floor(input.draws ?? 8));
  const thompsonShare = Math.min(1, Math.max(0, input.thompsonShare ?? DEFAULT_THOMPSON_SHARE));
  const entities = budgetEntities(input.adsets);
  const model = fitPortfolio(
    entities.map((e) => ({ id: e.id, history: e.history, fallbackSpendMicros: e.currentBudgetMicros })),
    input.objective,
    input.date,
    input.model,
  );
  const posteriors = new Map(model.entities.map((p) => [p.id, p]));
  const posteriorOf = (e: BudgetEntity): EntityPosterior => {
    const p = posteriors.get(e.id);
    if (!p) throw new AllocationInputError(e.id, 'no posterior');
    return p;
  };
  const currentMarginal = new Map(entities.map((e) => [e.id, posteriorAt(posteriorOf(e), e.currentBudgetMicros / MICROS_PER_UNIT)]));
  const floorMicros = entities.length > 0 ? Math.floor(((floorPct / 100) * input.dailyTotalMicros) / entities.length) : 0;

  // Holds that do not depend on the draw.
  const holds = new Map<string, HoldCause>();
  const bounds = new Map<string, Bounds>();
  for (const e of entities) {
    const cause = e.frozen ? 'frozen' : e.learning ? 'learning' : e.coolingDown ? 'cooling-down' : null;
    if (cause) {
      holds.set(e.id, cause);
      continue;
    }
    const b = boundsOf(e, maxChangePct, floorMicros);
    if (b.lo > b.hi) holds.set(e.id, 'no-room');
    else bounds.set(e.id, b);
  }

  const rng = new SeededRandom(input.seed);
  const thompsonDraws = thompsonShare > 0 ? draws : 0;
  const drawn = entities.map((e) => (bounds.has(e.id) ? Array.from({ length: thompsonDraws }, () => drawCurve(posteriorOf(e), rng)) : []));
  // The expected-return curve of each free entity around its current budget (steps stay near it).
  const local = entities.map((e) =>
    bounds.has(e.id) ? posteriorLocalCurve(posteriorOf(e), e.currentBudgetMicros / MICROS_PER_UNIT) : { beta: 0, kappa: 1 },
  );
  const solve = (held: ReadonlyMap<string, HoldCause>) => {
    const free = entities.flatMap((e, i) => {
      const b = bounds.get(e.id);
      return b && !held.has(e.id) ? [{ e, b, curves: drawn[i] ?? [], local: local[i] ?? { beta: 0, kappa: 1 } }] : [];
    });
    const freeIds = new Set(free.map((f) => f.e.id));
    const fixedTotal = entities.reduce((s, e) => s + (freeIds.has(e.id) ? 0 : e.currentBudgetMicros), 0);
    const budget = input.dailyTotalMicros - fixedTotal;
    return { free, ...splitFree(free, budget, thompsonDraws, thompsonShare) };
  };

  let result = solve(holds);
  // When held budgets and minimums already pass the total, an entity that could only move up is better held.
  if (result.fit === 'below-minimums') {
    const raisedOnly = result.free.filter(({ e, b }) => b.lo > e.currentBudgetMicros);
    if (raisedOnly.length > 0) {
      for (const { e } of raisedOnly) holds.set(e.id, 'no-room');
      result = solve(holds);
    }
  }
  // Hold changes too small to be worth an edit (they would only restart cooldowns), then re-solve once.
  // Cuts spread thinly over many entities would all be held as small and starve the raises they fund, so the
  // funding is concentrated: the lowest-marginal small cutters stay free until they can cover the small cuts.
  const small = new Map(holds);
  const smallCuts: { id: string; cut: number; room: number; marginal: number }[] = [];
  result.free.forEach(({ e, b }, i) => {
    const after = result.after[i] ?? e.currentBudgetMicros;
    if (Math.abs(after - e.currentBudgetMicros) >= (minChangePct / 100) * e.currentBudgetMicros) return;
    small.set(e.id, 'small-change');
    if (after < e.currentBudgetMicros)
      smallCuts.push({
        id: e.id,
        cut: e.currentBudgetMicros - after,
        room: e.currentBudgetMicros - b.lo,
        marginal: result.marginals[i] ?? 0,
      });
  });
  const needed = smallCuts.reduce((sum, c) => sum + c.cut, 0);
  let covered = 0;
  for (const donor of smallCuts.sort((a, b) => a.marginal - b.marginal || (a.id < b.id ? -1 : 1))) {
    if (covered >= needed) break;
    small.delete(donor.id);
    covered += donor.room;
  }
  if (small.size > holds.size) {
    const again = solve(small);
    if (again.fit === 'ok' || again.fit === result.fit) {
      result = again;
      for (const [id, cause] of small) holds.set(id, cause);
    }
  }

  const afterById = new Map(result.free.map(({ e }, i) => [e.id, result.after[i] ?? e.currentBudgetMicros]));
  const portfolioMarginal = weightedMarginal(entities, currentMarginal);
  const budgets: EntityBudget[] = entities.map((e) => {
    const before = e.currentBudgetMicros;
    const after = afterById.get(e.id) ?? before;
    const hold = holds.get(e.id);
    const base = { id: e.id, level: e.level, platform: e.platform, currency: e.currency, adsetIds: e.adsetIds, beforeMicros: before };
    if (after === before || (hold && !afterById.has(e.id))) {
      const cause: HoldCause = hold ?? 'small-change';
      return { ...base, afterMicros: before, decision: { kind: 'hold', cause }, reason: holdReason(cause, minChangePct) };
    }
    const marginal = currentMarginal.get(e.id)?.marginal ?? 0;
    return {
      ...base,
      afterMicros: after,
      decision: { kind: 'change' },
      reason: changeReason(before, after, marginal, portfolioMarginal, input.objective),
    };
  });

  const summary: ModelSummary = {
    objective: input.objective,
    seed: input.seed,
    draws: thompsonDraws,
    pooledReturn: model.pooledReturn,
    weekday: model.weekday,
    kappaPrior: model.kappaPrior,
    dispersion: model.dispersion,
    portfolioMarginal,
    fit: result.free.length === 0 ? 'nothing-free' : result.fit,
    entities: entities.map((e) => {
      const post = posteriorOf(e);
      const mean = posteriorMeanCurve(post);
      const at = currentMarginal.get(e.id) ?? { response: 0, marginal: 0 };
      const x = e.currentBudgetMicros / MICROS_PER_UNIT;
      return {
        id: e.id,
        beta: mean.beta,
        kappa: mean.kappa,
        marginal: at.marginal,
        average: x > 0 ? at.response / x : 0,
        effectiveDays: post.effectiveDays,
        nowcast: post.nowcast,
        levelChange: post.levelChange,
      };
    }),
  };
  return {
    budgets,
    totalBeforeMicros: budgets.reduce((s, b) => s + b.beforeMicros, 0),
    totalAfterMicros: budgets.reduce((s, b) => s + b.afterMicros, 0),
    targetMicros: input.dailyTotalMicros,
    model: summary,
  };
}

function validate(input: AllocationInput): void {
  if (!Number.isSafeInteger(input.dailyTotalMicros) || input.dailyTotalMicros < 0)
    throw new AllocationInputError('dailyTotalMicros', `must be whole micros >= 0, got ${input.dailyTotalMicros}`);
  const pct = input.maxChangePct ?? 20;
  if (!(pct >= 0 && pct <= 1000)) throw new AllocationInputError('maxChangePct', `must be in [0, 1000], got ${pct}`);
  const currencies = new Set(input.adsets.map((a) => a.currency));
  // One total across currencies would need exchange rates: the caller plans one currency at a time.
  if (currencies.size > 1) throw new AllocationInputError('adsets', `one currency per plan, got ${[...currencies].sort().join(', ')}`);
  for (const a of input.adsets) {
    if (!Number.isSafeInteger(a.minMicros) || a.minMicros < 0) throw new AllocationInputError(a.id, 'minMicros must be whole micros >= 0');
  }
}

/** Bounds of a free entity in micros, on the currency's billing grid: step limit, minimums and maximum. */
function boundsOf(e: BudgetEntity, maxChangePct: number, floorMicros: number): Bounds {
  const unit = MICROS_PER_UNIT / minorUnitOffset(e.currency);
  const c = e.currentBudgetMicros;
  const step = Math.floor((c * maxChangePct) / 100);
  // The exploration floor only stops cuts; it never forces a raise.
  const lo = Math.max(c - step, e.minMicros, Math.min(floorMicros, c));
  const hi = Math.min(c + step, e.maxMicros);
  return { lo: Math.ceil(lo / unit) * unit, hi: Math.floor(hi / unit) * unit, unit };
}

/**
 * Splits `budget` (micros) across the free entities: the split that maximizes the posterior-expected return,
 * blended with the average of the Thompson draws' splits by `thompsonShare`; rounded down to billing units.
 */
function splitFree(
  free: readonly { e: BudgetEntity; b: Bounds; curves: readonly MichaelisMentenCurve[]; local: MichaelisMentenCurve }[],
  budget: number,
  draws: number,
  thompsonShare: number,
): { after: number[]; marginals: number[]; fit: 'ok' | 'below-minimums' | 'above-maximums' } {
  if (free.length === 0) return { after: [], marginals: [], fit: 'ok' };
  const limits = free.map(({ b }) => ({ lo: b.lo, hi: b.hi }));
  const expected = solveDraws(
    limits,
    free.map(({ local }) => ({ curves: [local] })),
    budget,
    1,
  );
  const share = draws > 0 ? thompsonShare : 0;
  const sampled = share > 0 ? solveDraws(limits, free, budget, draws) : expected;
  const mean = free.map((_, i) => (1 - share) * (expected.mean[i] ?? 0) + share * (sampled.mean[i] ?? 0));
  const marginals = free.map((_, i) => (1 - share) * (expected.marginals[i] ?? 0) + share * (sampled.marginals[i] ?? 0));
  const fit = expected.fit;
  const after = free.map(({ b }, i) => {
    const micros = Math.min(b.hi, Math.max(b.lo, Math.round((mean[i] ?? 0) * MICROS_PER_UNIT)));
    return Math.max(b.lo, Math.floor(micros / b.unit) * b.unit);
  });
  // Never above the budget: trim the lowest marginals first (only possible when the minimums allow it).
  const order = free.map((_, i) => i).sort((a, b) => (marginals[a] ?? 0) - (marginals[b] ?? 0) || a - b);
  let excess = after.reduce((s, x) => s + x, 0) - budget;
  for (const i of order) {
    if (excess <= 0) break;
    const f = free[i];
    const x = after[i];
    if (!f || x === undefined) continue;
    const cut = Math.min(x - f.b.lo, Math.ceil(excess / f.b.unit) * f.b.unit);
    after[i] = x - cut;
    excess -= cut;
  }
  // Hand the leftovers of rounding down to the best marginals, one billing unit each.
  let leftover = budget - after.reduce((s, x) => s + x, 0);
  for (let pass = 0; pass < 3 && leftover > 0; pass++) {
    for (const i of [...order].reverse()) {
      const f = free[i];
      const x = after[i];
      if (!f || x === undefined || leftover < f.b.unit) continue;
      if (x + f.b.unit <= f.b.hi) {
        after[i] = x + f.b.unit;
        leftover -= f.b.unit;
      }
    }
  }
  return { after, marginals, fit };
}

/** Water-fills `budget` for each draw inside `limits` (micros): per-draw spends, their mean and mean marginals. */
function solveDraws(
  limits: readonly { lo: number; hi: number }[],
  free: readonly { curves: readonly { beta: number; kappa: number }[] }[],
  budget: number,
  draws: number,
): { spends: number[][]; mean: number[]; marginals: number[]; fit: 'ok' | 'below-minimums' | 'above-maximums' } {
  const mean = new Array<number>(free.length).fill(0);
  const marginals = new Array<number>(free.length).fill(0);
  const spends: number[][] = [];
  let fit: 'ok' | 'below-minimums' | 'above-maximums' = 'ok';
  for (let d = 0; d < draws; d++) {
    const items: BoundedCurve[] = free.map(({ curves }, i) => ({
      curve: curves[d] ?? { beta: 0, kappa: 1 },
      lo: (limits[i]?.lo ?? 0) / MICROS_PER_UNIT,
      hi: (limits[i]?.hi ?? 0) / MICROS_PER_UNIT,
    }));
    const solved = waterFill(items, budget / MICROS_PER_UNIT);
    fit = solved.fit;
    spends.push(solved.spend);
    solved.spend.forEach((x, i) => {
      mean[i] = (mean[i] ?? 0) + x / draws;
      const c = free[i]?.curves[d];
      if (c) marginals[i] = (marginals[i] ?? 0) + (c.beta * c.kappa) / (x + c.kappa) ** 2 / draws;
    });
  }
  return { spends, mean, marginals, fit };
}

/**
 * Share of each plan that follows the Thompson draws rather than the expected-return split. The expected-return
 * split makes full steps where the posterior is sure; the Thompson share keeps uncertain entities explored
 * (on the benchmark, 0 to 0.3 are within noise of each other; 1, pure Thompson, ramps a dominant ad set slower).
 */
const DEFAULT_THOMPSON_SHARE = 0.15;

function weightedMarginal(entities: readonly BudgetEntity[], at: ReadonlyMap<string, { marginal: number }>): number {
  let spend = 0;
  let sum = 0;
  for (const e of entities) {
    spend += e.currentBudgetMicros;
    sum += e.currentBudgetMicros * (at.get(e.id)?.marginal ?? 0);
  }
  return spend > 0 ? sum / spend : 0;
}

function holdReason(cause: HoldCause, minChangePct: number): string {
  switch (cause) {
    case 'frozen':
      return 'held: frozen by config';
    case 'learning':
      return 'held: in learning phase';
    case 'cooling-down':
      return 'held: cooling down after a recent change';
    case 'no-room':
      return 'held: no budget allowed by the step limit, minimum and maximum';
    case 'small-change':
      return `held: the best move is under ${minChangePct}%`;
  }
}

function changeReason(before: number, after: number, marginal: number, portfolio: number, objective: 'revenue' | 'conversions'): string {
  const pct = before > 0 ? ((after - before) / before) * 100 : 0;
  const step = `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(0)}%`;
  if (objective === 'revenue') return `${step}: marginal ROAS ${marginal.toFixed(2)} against ${portfolio.toFixed(2)} for the portfolio`;
  const cpa = (m: number) => (m > 0 ? (1 / m).toFixed(2) : '∞');
  return `${step}: marginal CPA ${cpa(marginal)} against ${cpa(portfolio)} for the portfolio`;
}
