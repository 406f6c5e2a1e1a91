/**
 * The ad-set detectors run together for one day, with suppression and funnel precedence: a delivery stop
 * explains everything below it, and tracking breakage explains a CPA or ROAS step on the same day, so only
 * the lowest fault that explains the picture is reported.
 */
import { daysBetween, isLocalDate } from '../model/dates.ts';
import { assertAscending, dayOn, denseHistory } from './baseline.ts';
import { AnomalyInputError } from './errors.ts';
import { type FaultContext, LOOKBACK_DAYS } from './faults/context.ts';
import { detectCtrDecay } from './faults/ctr.ts';
import { detectDeliveryStop } from './faults/delivery.ts';
import { detectCpaStep, detectRoasStep } from './faults/efficiency.ts';
import { detectOverspend, detectSpendSpike } from './faults/spend.ts';
import { detectTrackingBreakage } from './faults/tracking.ts';
import type { AdAnomaly, AdSetAnomalyInput } from './types.ts';

/** Days after an adpilot budget change during which spend and efficiency shifts are expected, not faults. */
export const BUDGET_SETTLING_DAYS = 3;

/** Why a detector was held back on the judged day. */
interface Holds {
  readonly learning: boolean;
  readonly budgetChangedToday: boolean;
  readonly budgetSettling: boolean;
}

function holdsFor(input: AdSetAnomalyInput): Holds {
  const { suppress = {}, date, adset } = input;
  const sinceChange = suppress.budgetChangedAt === undefined ? Number.POSITIVE_INFINITY : daysBetween(suppress.budgetChangedAt, date);
  return {
    learning: suppress.learning ?? adset.learning,
    budgetChangedToday: sinceChange === 0,
    budgetSettling: sinceChange >= 0 && sinceChange < BUDGET_SETTLING_DAYS,
  };
}

function validate(input: AdSetAnomalyInput): void {
  if (!isLocalDate(input.date)) throw new AnomalyInputError('date', `not a calendar date: ${JSON.stringify(input.date)}`);
  for (const [key, value] of Object.entries(input.suppress ?? {})) {
    if (key === 'maturity') {
      if (!Array.isArray(value) || value.some((share) => typeof share !== 'number' || !(share > 0 && share <= 1))) {
        throw new AnomalyInputError('suppress.maturity', 'must list shares in (0, 1]');
      }
    } else if (typeof value === 'string' && !isLocalDate(value))
      throw new AnomalyInputError(`suppress.${key}`, `not a calendar date: ${value}`);
  }
  input.days.forEach((d, i) => {
    if (!isLocalDate(d.date)) throw new AnomalyInputError(`days[${i}].date`, `not a calendar date: ${JSON.stringify(d.date)}`);
  });
  assertAscending(input.days);
}

/**
 * Judges one ad set on one day. Money faults (delivery stop, overspend) are never suppressed; conversion
 * faults count immature days at their maturity floor and wait for the end of the learning phase; efficiency
 * faults also wait out the settling days of a budget change, and expect each day's response at its own
 * spend. Returns the anomalies found, most fundamental first.
 */
export function detectAdSetAnomalies(input: AdSetAnomalyInput): AdAnomaly[] {
  validate(input);
  const { adset, date, days } = input;
  const { immatureFrom, maturity } = input.suppress ?? {};
  const context: FaultContext = {
    adset,
    date,
    today: dayOn(days, date),
    history: denseHistory(days, date, LOOKBACK_DAYS),
    ...(immatureFrom === undefined ? {} : { immatureFrom }),
    ...(maturity === undefined ? {} : { maturity }),
  };
  const holds = holdsFor(input);

  const stop = detectDeliveryStop(context);
  if (stop !== null) return [stop];

  const found: AdAnomaly[] = [];
  const add = (anomaly: AdAnomaly | null) => {
    if (anomaly !== null) found.push(anomaly);
  };
  if (!holds.budgetChangedToday) add(detectOverspend(context));
  if (!holds.budgetSettling) add(detectSpendSpike(context));
  // Tracking breakage is judged on immature days too, against the maturity floor of each day's age.
  const tracking = holds.learning ? null : detectTrackingBreakage(context);
  add(tracking);
  // Steps count immature days at their maturity floor and expect each day's response at its own spend, so
  // they need neither to wait for final days nor to stay silent long after a budget move; the settling days
  // right after a move are still held (delivery re-paces, and the platform may re-enter learning).
  if (!holds.learning && tracking === null && !holds.budgetSettling) {
    add(detectCpaStep(context));
    add(detectRoasStep(context));
  }
  if (!holds.learning && !holds.budgetSettling) add(detectCtrDecay(context));
  return found;
}
