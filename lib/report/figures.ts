/** Weekly sums of converted metric rows, and the figures and changes derived from them. */
import { ratio } from '../model/money.ts';
import { divideRoundHalfEven } from './currency.ts';
import type { FigureChanges, Figures } from './report.ts';

/** Running sums for one entity over one week, all in reporting-currency micros. */
export interface WeekSums {
  spendMicros: number;
  revenueMicros: number;
  conversions: number;
  /** Metric rows added. */
  rows: number;
  /** At least one row is still inside its platform's restatement window. */
  provisional: boolean;
}

export function emptySums(): WeekSums {
  return { spendMicros: 0, revenueMicros: 0, conversions: 0, rows: 0, provisional: false };
}

/** Adds one converted row into the sums, in place. */
export function addRow(sums: WeekSums, row: WeekSums): void {
  sums.spendMicros += row.spendMicros;
  sums.revenueMicros += row.revenueMicros;
  sums.conversions += row.conversions;
  sums.rows += row.rows;
  sums.provisional ||= row.provisional;
}

/** spend / conversions in integer micros, nearest micro with ties to even; null without conversions. */
export function costPer(spendMicros: number, conversions: number): number | null {
  if (conversions === 0) return null;
  return Number(divideRoundHalfEven(BigInt(spendMicros), BigInt(conversions)));
}

/** ROAS and CPA from the sums. */
export function toFigures(sums: WeekSums): Figures {
  return {
    spendMicros: sums.spendMicros,
    revenueMicros: sums.revenueMicros,
    conversions: sums.conversions,
    roas: ratio(sums.revenueMicros, sums.spendMicros),
    cpaMicros: costPer(sums.spendMicros, sums.conversions),
  };
}

/** (current − previous) / previous; null when either is undefined or previous is 0. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}

/** Week-over-week relative changes of every figure. */
export function changesBetween(current: Figures, previous: Figures): FigureChanges {
  return {
    spend: relativeChange(current.spendMicros, previous.spendMicros),
    revenue: relativeChange(current.revenueMicros, previous.revenueMicros),
    conversions: relativeChange(current.conversions, previous.conversions),
    roas: relativeChange(current.roas, previous.roas),
    cpa: relativeChange(current.cpaMicros, previous.cpaMicros),
  };
}
