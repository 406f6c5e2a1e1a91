/**
 * The estimated effect of budget moves against leaving budgets as they were, from the response
 * model the plan was made with: per ad set (or campaign budget) a saturating curve
 * objective/day = β·x/(x + κ), x = daily spend in major units of the budget's currency, where the
 * objective is revenue (major units of that currency) or conversions.
 *
 * A move from b to b′ changes the expected objective by f(b′) − f(b) on every day it is in force;
 * chained moves of one budget telescope to f(latest) − f(as it was). The estimate is the model's
 * posterior-mean curve, not an observed result: the email says so.
 */
import { MICROS_PER_UNIT } from '../model/money.ts';

/** A plan model's curve for one budget (posterior means of β and κ). */
export interface ResponseCurve {
  readonly beta: number;
  readonly kappa: number;
}

/** Expected objective per day at a daily budget (micros), on the curve. */
export function expectedAt(curve: ResponseCurve, budgetMicros: number): number {
  const x = budgetMicros / MICROS_PER_UNIT;
  return x <= 0 || curve.beta <= 0 ? 0 : (curve.beta * x) / (x + curve.kappa);
}

/** Expected change of the objective per day when a budget moves from `beforeMicros` to `afterMicros`. */
export function dailyEffect(curve: ResponseCurve, beforeMicros: number, afterMicros: number): number {
  return expectedAt(curve, afterMicros) - expectedAt(curve, beforeMicros);
}
