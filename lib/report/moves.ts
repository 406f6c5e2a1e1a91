/** Budget moves of the week and of next week's plan, with their size in the reporting currency. */

import { daysBetween, type LocalDate, localDateAt } from '../model/dates.ts';
import type { BudgetChangeRecord, PlannedChange } from '../store/records.ts';
import type { CurrencyConverter } from './currency.ts';
import { dailyEffect, type ResponseCurve } from './effects.ts';
import { compareText } from './order.ts';
import type { BudgetMove, MovesEffect, MovesSummary, PlanSummary } from './report.ts';

/** What the effect estimate needs: the objective, each change's model curve, and the week's last day in the client's zone. */
export interface EffectContext {
  readonly objective: 'revenue' | 'conversions';
  /** The plan model's curve of each change, by change id. */
  readonly curves: ReadonlyMap<string, ResponseCurve>;
  readonly timezone: string;
  readonly weekTo: LocalDate;
}

function toMove(
  change: PlannedChange,
  convert: CurrencyConverter,
  applied: Pick<BudgetMove, 'planId' | 'appliedAt' | 'outcome' | 'error' | 'revertsChangeId'>,
  effects?: EffectContext,
): BudgetMove {
  const deltaMicros = change.afterMicros - change.beforeMicros;
  const curve = effects?.curves.get(change.changeId);
  const effect = curve ? dailyEffect(curve, change.beforeMicros, change.afterMicros) : undefined;
  // Revenue is money of the budget's currency (major units); conversions are counts.
  const estimatedDailyEffect =
    effect === undefined ? undefined : effects?.objective === 'revenue' ? convert(Math.round(effect * 1_000_000), change.currency) : effect;
  return {
    changeId: change.changeId,
    platform: change.platform,
    accountId: change.accountId,
    adsetId: change.adsetId,
    adsetName: change.adsetName,
    budgetLevel: change.budgetLevel,
    currency: change.currency,
    beforeMicros: change.beforeMicros,
    afterMicros: change.afterMicros,
    deltaMicros,
    deltaReportingMicros: convert(deltaMicros, change.currency),
    deltaPct: change.beforeMicros === 0 ? null : deltaMicros / change.beforeMicros,
    reason: change.reason,
    ...applied,
    ...(change.action === 'pause' || change.action === 'activate' ? { action: change.action } : {}),
    ...(change.adName === undefined ? {} : { adName: change.adName }),
    ...(estimatedDailyEffect === undefined ? {} : { estimatedDailyEffect }),
  };
}

/** Each effective move's daily effect times the days of the week it was in force. */
function weekEffect(moves: readonly BudgetMove[], effects: EffectContext | undefined): MovesEffect | undefined {
  if (!effects) return undefined;
  let total = 0;
  let counted = 0;
  for (const move of moves) {
    if ((move.outcome !== 'applied' && move.outcome !== 'reverted') || move.estimatedDailyEffect === undefined || !move.appliedAt) continue;
    const days = daysBetween(localDateAt(new Date(move.appliedAt), effects.timezone), effects.weekTo) + 1;
    total += move.estimatedDailyEffect * Math.max(0, days);
    counted += 1;
  }
  return counted === 0 ? undefined : { total: effects.objective === 'revenue' ? Math.round(total) : total, moves: counted };
}

function sizes(moves: readonly BudgetMove[]): { increaseMicros: number; decreaseMicros: number; netMicros: number } {
  let increaseMicros = 0;
  let decreaseMicros = 0;
  for (const move of moves) {
    if (move.deltaReportingMicros > 0) increaseMicros += move.deltaReportingMicros;
    else decreaseMicros -= move.deltaReportingMicros;
  }
  return { increaseMicros, decreaseMicros, netMicros: increaseMicros - decreaseMicros };
}

/** The week's change records as moves, in the order they were applied. */
export function weekMoves(
  changes: readonly BudgetChangeRecord[],
  convert: CurrencyConverter,
  effects?: EffectContext,
): { moves: BudgetMove[]; summary: MovesSummary; estimatedEffect?: MovesEffect } {
  const moves = changes
    .map((c) =>
      toMove(
        c,
        convert,
        {
          planId: c.planId,
          appliedAt: c.appliedAt,
          outcome: c.outcome,
          error: c.error,
          revertsChangeId: c.revertsChangeId,
        },
        effects,
      ),
    )
    .sort((a, b) => compareText(a.appliedAt ?? '', b.appliedAt ?? '') || compareText(a.changeId, b.changeId));
  const count = (outcome: BudgetMove['outcome']) => moves.filter((m) => m.outcome === outcome).length;
  // Applied changes and reverts both moved a budget on the platform; failed and skipped ones did not.
  const effective = moves.filter((m) => m.outcome === 'applied' || m.outcome === 'reverted');
  const estimatedEffect = weekEffect(moves, effects);
  return {
    moves,
    summary: {
      applied: count('applied'),
      reverted: count('reverted'),
      failed: count('failed'),
      skipped: count('skipped'),
      ...sizes(effective),
    },
    ...(estimatedEffect ? { estimatedEffect } : {}),
  };
}

/** Next week's planned changes as moves, largest increase first. */
export function planMoves(
  plan: { planId?: string | null; changes: readonly PlannedChange[] },
  convert: CurrencyConverter,
  effects?: EffectContext,
): { planId: string | null; moves: BudgetMove[]; summary: PlanSummary } {
  const planId = plan.planId ?? null;
  const moves = plan.changes
    .map((c) => toMove(c, convert, { planId, appliedAt: null, outcome: 'planned', error: null, revertsChangeId: null }, effects))
    .sort((a, b) => b.deltaReportingMicros - a.deltaReportingMicros || compareText(a.changeId, b.changeId));
  return { planId, moves, summary: { changes: moves.length, ...sizes(moves) } };
}
