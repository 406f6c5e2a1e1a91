/**
 * The strategies compared by the allocation benchmark: adpilot and three baselines. Each sees what a
 * real optimizer would see (the reported rows through yesterday, current budgets, last change dates) and
 * returns tomorrow's budgets; guardrail checks happen in the runner, the same for all.
 */
import { planAllocation } from '../../lib/allocation/allocator.ts';
import { type LoggedStep, learningSafeStepPct } from '../../lib/allocation/learning-step.ts';
import { estimateCompletion, historyDayOf } from '../../lib/allocation/nowcast.ts';
import type { AllocationInput } from '../../lib/allocation/types.ts';
import type { StoredDailyMetric } from '../../lib/model/ads.ts';
import { addDays, type LocalDate } from '../../lib/model/dates.ts';
import type { SimAdSetConfig } from '../../lib/sim/market-config.ts';
import { COOLDOWN_DAYS, coolingDown, MAX_CHANGE_PCT, MIN_DAILY_MICROS } from './guardrails.ts';

export { COOLDOWN_DAYS, MAX_CHANGE_PCT, MIN_DAILY_MICROS };

/** Everything a strategy may look at when it decides. */
export interface DecisionContext {
  readonly scenario: string;
  readonly seed: number;
  /** Today: rows are complete through yesterday; decisions apply from tomorrow. */
  readonly today: LocalDate;
  /** The managed ad sets: active ones. */
  readonly adsets: readonly SimAdSetConfig[];
  /** Ad sets the platform reports in learning. */
  readonly learning: ReadonlySet<string>;
  /** The rows as the store holds them: the latest fetch of each day, young days possibly incomplete. */
  readonly rows: readonly StoredDailyMetric[];
  readonly budgets: ReadonlyMap<string, number>;
  readonly lastChange: ReadonlyMap<string, LocalDate>;
  /** The change log so far (what the guardrails let through). */
  readonly changes: readonly LoggedStep[];
  /** What the strategy kept from its previous decision (a plan record); one per run. */
  readonly memory: Map<string, number>;
  /** Daily total for the managed ad sets (micros). */
  readonly dailyTotalMicros: number;
  /** Portfolio ROAS over the warm-up: the rule's target. */
  readonly targetRoas: number;
}

export interface Strategy {
  readonly name: string;
  decide(ctx: DecisionContext): Map<string, number>;
}

const CENT = 10_000;

const cooling = (ctx: DecisionContext, id: string) => coolingDown(ctx.lastChange, id, ctx.today);

function roas7(ctx: DecisionContext): Map<string, number> {
  const from = addDays(ctx.today, -7);
  const acc = new Map<string, { spend: number; revenue: number }>();
  for (const r of ctx.rows) {
    if (r.date < from) continue;
    const a = acc.get(r.adsetId) ?? { spend: 0, revenue: 0 };
    a.spend += r.spendMicros;
    a.revenue += r.revenueMicros;
    acc.set(r.adsetId, a);
  }
  return new Map([...acc].map(([id, a]) => [id, a.spend > 0 ? a.revenue / a.spend : 0]));
}

/** Options of adpilot's planner the benchmark may vary (defaults: the library's). */
export type PlannerOptions = Pick<AllocationInput, 'draws' | 'explorationFloorPct' | 'minChangePct' | 'model' | 'thompsonShare'>;

/** adpilot: Thompson sampling over the pooled response model, inside the guardrails. */
export const adpilot: Strategy = adpilotWith({});

/** adpilot with planner options (for experiments on the benchmark). */
export function adpilotWith(options: PlannerOptions, name = 'adpilot'): Strategy {
  return { name, decide: (ctx) => decideAdpilot(ctx, options) };
}

function decideAdpilot(ctx: DecisionContext, options: PlannerOptions): Map<string, number> {
  {
    const from = addDays(ctx.today, -56);
    const completion = estimateCompletion(ctx.rows, ctx.today);
    const byAdset = new Map<string, StoredDailyMetric[]>();
    for (const r of ctx.rows) {
      if (r.date < from) continue;
      const list = byAdset.get(r.adsetId) ?? [];
      list.push(r);
      byAdset.set(r.adsetId, list);
    }
    const previousPct = ctx.memory.get('learningSafeStepPct');
    const maxChangePct = learningSafeStepPct({
      maxChangePct: MAX_CHANGE_PCT,
      changes: ctx.changes,
      learningAdsetIds: ctx.learning,
      since: addDays(ctx.today, -7),
      ...(previousPct === undefined ? {} : { previousPct }),
    });
    ctx.memory.set('learningSafeStepPct', maxChangePct);
    const plan = planAllocation({
      ...options,
      // The plan is for tomorrow; today's rows are not in yet, so recency counts from today.
      date: ctx.today,
      objective: 'revenue',
      dailyTotalMicros: ctx.dailyTotalMicros,
      maxChangePct,
      seed: `${ctx.scenario}/${ctx.seed}/${ctx.today}`,
      adsets: ctx.adsets.map((a) => ({
        id: a.adsetId,
        platform: a.platform,
        currency: 'EUR',
        campaignId: a.campaignId,
        budgetLevel: 'adset',
        currentBudgetMicros: ctx.budgets.get(a.adsetId) ?? 0,
        minMicros: MIN_DAILY_MICROS,
        frozen: false,
        learning: ctx.learning.has(a.adsetId),
        coolingDown: cooling(ctx, a.adsetId),
        history: (byAdset.get(a.adsetId) ?? []).map((r) => historyDayOf(r, completion)),
      })),
    });
    return new Map(plan.budgets.map((b) => [b.id, b.afterMicros]));
  }
}

/** Budgets left as they are. */
export const hold: Strategy = { name: 'hold', decide: (ctx) => new Map(ctx.budgets) };

/** A common automated rule: +20% when 7-day ROAS beats the target by 10%, −20% when it misses by 10% (respects the cooldown). */
export const rule20: Strategy = {
  name: 'rule ±20%',
  decide(ctx) {
    const roas = roas7(ctx);
    return new Map(
      [...ctx.budgets].map(([id, budget]) => {
        if (cooling(ctx, id)) return [id, budget];
        const r = roas.get(id) ?? 0;
        const factor = r > ctx.targetRoas * 1.1 ? 1.2 : r < ctx.targetRoas * 0.9 ? 0.8 : 1;
        return [id, Math.max(MIN_DAILY_MICROS, Math.floor((budget * factor) / CENT) * CENT)];
      }),
    );
  },
};

/** Greedy: every day, the total split in proportion to each ad set's last-7-day ROAS. */
export const greedy: Strategy = {
  name: 'greedy 7d ROAS',
  decide(ctx) {
    const roas = roas7(ctx);
    const sum = [...ctx.budgets.keys()].reduce((s, id) => s + (roas.get(id) ?? 0), 0);
    if (!(sum > 0)) return new Map(ctx.budgets);
    return new Map(
      [...ctx.budgets.keys()].map((id) => [
        id,
        Math.max(MIN_DAILY_MICROS, Math.floor((ctx.dailyTotalMicros * (roas.get(id) ?? 0)) / sum / CENT) * CENT),
      ]),
    );
  },
};

export const STRATEGIES: readonly Strategy[] = [adpilot, hold, rule20, greedy];
