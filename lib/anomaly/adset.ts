/**
 * The ad-set detectors run together for one day, with suppression and funnel precedence: a delivery stop
 * explains everything below it, and tracking breakage explains a CPA or ROAS step on the same day, so only
 * the lowest fault that explains the picture is reported.
 */
import { addDays, daysBetween, isLocalDate, type LocalDate } from '../model/dates.ts';
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
  readonly immature: boolean;
}

function holdsFor(input: AdSetAnomalyInput): Holds {
  const { suppress = {}, date, adset } = input;
  const sinceChange = suppress.budgetChangedAt === undefined ? Number.POSITIVE_INFINITY : daysBetween(suppress.budgetChangedAt, date);
  return {
    learning: suppress.learning ?? adset.learning,
    budgetChangedToday: sinceChange === 0,
    budgetSettling: sinceChange >= 0 && sinceChange < BUDGET_SETTLING_DAYS,
    immature: suppress.immatureFrom !== undefined && date >= suppress.immatureFrom,
  };
}

/** Whether `day` falls within the settling days after an adpilot budget change. */
function settlingOn(input: AdSetAnomalyInput, day: LocalDate): boolean {
  const changedAt = input.suppress?.budgetChangedAt;
  if (changedAt === undefined) return false;
  const since = daysBetween(changedAt, day);
  return since >= 0 && since < BUDGET_SETTLING_DAYS;
}

/** The fault context as of the last day whose conversions are final. */
function matureContext(input: AdSetAnomalyInput, immatureFrom: LocalDate): FaultContext {
  const last = addDays(immatureFrom, -1);
  return { adset: input.adset, date: last, today: dayOn(input.days, last), history: denseHistory(input.days, last, LOOKBACK_DAYS) };
}

function validate(input: AdSetAnomalyInput): void {
  if (!isLocalDate(input.date)) throw new AnomalyInputError('date', `not a calendar date: ${JSON.stringify(input.date)}`);
  for (const [key, value] of Object.entries(input.suppress ?? {})) {
    if (typeof value === 'string' && !isLocalDate(value)) throw new AnomalyInputError(`suppress.${key}`, `not a calendar date: ${value}`);
  }
  input.days.forEach((d, i) => {
    if (!isLocalDate(d.date)) throw new AnomalyInputError(`days[${i}].date`, `not a calendar date: ${JSON.stringify(d.date)}`);
  });
  assertAscending(input.days);
}

/**
 * Judges one ad set on one day. Money faults (delivery stop, overspend) are never suppressed; conversion
 * faults wait for mature days and the end of the learning phase; efficiency faults also wait out a budget
 * change. Returns the anomalies found, most fundamental first.
 */
export function detectAdSetAnomalies(input: AdSetAnomalyInput): AdAnomaly[] {
  validate(input);
  const { adset, date, days } = input;
  const immatureFrom = input.suppress?.immatureFrom;
  const context: FaultContext = {
    adset,
    date,
    today: dayOn(days, date),
    history: denseHistory(days, date, LOOKBACK_DAYS),
    ...(immatureFrom === undefined ? {} : { immatureFrom }),
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
  // Tracking breakage is judged on immature days too, against a discounted expectation (IMMATURE_MIN_SHARE).
  const tracking = holds.learning ? null : detectTrackingBreakage(context);
  add(tracking);
  // Steps are judged on mature days only: on the last mature day when the judged one is still immature.
  const stepContext = holds.immature && immatureFrom !== undefined ? matureContext(input, immatureFrom) : context;
  if (!holds.learning && tracking === null && !settlingOn(input, stepContext.date)) {
    for (const detect of [detectCpaStep, detectRoasStep]) {
      const step = detect(stepContext);
      // Reported on the judged day (the run that found it), so de-duplication by date keeps working.
      if (step !== null) found.push({ ...step, date });
    }
  }
  if (!holds.learning && !holds.budgetSettling) add(detectCtrDecay(context));
  return found;
}
