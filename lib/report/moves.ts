/** Budget moves of the week and of next week's plan, with their size in the reporting currency. */
import type { BudgetChangeRecord, PlannedChange } from '../store/records.ts';
import type { CurrencyConverter } from './currency.ts';
import { compareText } from './order.ts';
import type { BudgetMove, MovesSummary, PlanSummary } from './report.ts';

function toMove(
  change: PlannedChange,
  convert: CurrencyConverter,
  applied: Pick<BudgetMove, 'planId' | 'appliedAt' | 'outcome' | 'error' | 'revertsChangeId'>,
): BudgetMove {
  const deltaMicros = change.afterMicros - change.beforeMicros;
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
  };
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
): { moves: BudgetMove[]; summary: MovesSummary } {
  const moves = changes
    .map((c) =>
      toMove(c, convert, {
        planId: c.planId,
        appliedAt: c.appliedAt,
        outcome: c.outcome,
        error: c.error,
        revertsChangeId: c.revertsChangeId,
      }),
    )
    .sort((a, b) => compareText(a.appliedAt ?? '', b.appliedAt ?? '') || compareText(a.changeId, b.changeId));
  const count = (outcome: BudgetMove['outcome']) => moves.filter((m) => m.outcome === outcome).length;
  // Applied changes and reverts both moved a budget on the platform; failed and skipped ones did not.
  const effective = moves.filter((m) => m.outcome === 'applied' || m.outcome === 'reverted');
  return {
    moves,
    summary: {
      applied: count('applied'),
      reverted: count('reverted'),
      failed: count('failed'),
      skipped: count('skipped'),
      ...sizes(effective),
    },
  };
}

/** Next week's planned changes as moves, largest increase first. */
export function planMoves(
  plan: { planId?: string | null; changes: readonly PlannedChange[] },
  convert: CurrencyConverter,
): { planId: string | null; moves: BudgetMove[]; summary: PlanSummary } {
  const planId = plan.planId ?? null;
  const moves = plan.changes
    .map((c) => toMove(c, convert, { planId, appliedAt: null, outcome: 'planned', error: null, revertsChangeId: null }))
    .sort((a, b) => b.deltaReportingMicros - a.deltaReportingMicros || compareText(a.changeId, b.changeId));
  return { planId, moves, summary: { changes: moves.length, ...sizes(moves) } };
}
