/**
 * The guardrails every strategy of the benchmark faces, enforced the same way for all (as adpilot's
 * ApplyGuardrails step and the platforms would): no change to an ad set cooling down or in learning, steps
 * clipped to the limit, budgets floored at the minimum, and increases scaled back when the total would pass
 * the cap. What a strategy asked for that had to be corrected is counted as a violation.
 */
import { addDays, type LocalDate } from '../../lib/model/dates.ts';

export const MAX_CHANGE_PCT = 20;
export const COOLDOWN_DAYS = 3;
export const MIN_DAILY_MICROS = 5_000_000;
const CENT = 10_000;

export interface Violations {
  step: number;
  cooldown: number;
  learning: number;
  minimum: number;
  total: number;
}

export const noViolations = (): Violations => ({ step: 0, cooldown: 0, learning: 0, minimum: 0, total: 0 });

/** Whether an ad set changed within the cooldown before `today`. */
export function coolingDown(lastChange: ReadonlyMap<string, LocalDate>, id: string, today: LocalDate): boolean {
  const last = lastChange.get(id);
  return last !== undefined && addDays(last, COOLDOWN_DAYS) > today;
}

/** Budgets after the guardrails, and what had to be corrected (added to `violations`). */
export function enforceGuardrails(input: {
  readonly proposed: ReadonlyMap<string, number>;
  readonly budgets: ReadonlyMap<string, number>;
  readonly lastChange: ReadonlyMap<string, LocalDate>;
  readonly learning: ReadonlySet<string>;
  readonly today: LocalDate;
  readonly dailyTotalMicros: number;
  readonly violations: Violations;
}): Map<string, number> {
  const { violations: v } = input;
  const after = new Map<string, number>();
  for (const [id, current] of input.budgets) {
    let next = input.proposed.get(id) ?? current;
    if (next !== current && coolingDown(input.lastChange, id, input.today)) {
      v.cooldown++;
      next = current;
    }
    if (next !== current && input.learning.has(id)) {
      v.learning++;
      next = current;
    }
    const step = Math.floor((current * MAX_CHANGE_PCT) / 100 / CENT) * CENT;
    if (next > current + step || next < current - step) {
      v.step++;
      next = Math.min(current + step, Math.max(current - step, next));
    }
    if (next !== current && next < MIN_DAILY_MICROS) {
      v.minimum++;
      next = Math.min(current, MIN_DAILY_MICROS);
    }
    after.set(id, next);
  }
  const total = [...after.values()].reduce((s, x) => s + x, 0);
  if (total > input.dailyTotalMicros) {
    v.total++;
    const raises = [...after].filter(([id, x]) => x > (input.budgets.get(id) ?? 0));
    const raised = raises.reduce((s, [id, x]) => s + x - (input.budgets.get(id) ?? 0), 0);
    const keep = Math.max(0, raised - (total - input.dailyTotalMicros)) / Math.max(1, raised);
    for (const [id, x] of raises) {
      const before = input.budgets.get(id) ?? 0;
      after.set(id, before + Math.floor(((x - before) * keep) / CENT) * CENT);
    }
  }
  return after;
}
