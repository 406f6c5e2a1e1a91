/**
 * Budget guardrails: the last check between a plan and the platforms. Pure: takes the plan's
 * changes and the facts it must respect, returns which changes pass and why the others do not.
 */
import type { Platform } from '../model/ads.ts';
import type { PlannedChange } from '../store/records.ts';

/** Budget changes a platform accepts per ad set per hour (Meta blocks a fifth within the hour). */
export const CHANGES_PER_HOUR: Readonly<Partial<Record<Platform, number>>> = { meta: 4 };

export interface GuardrailLimits {
  /** The client's cap on the sum of managed daily budgets (micros of the reporting currency). */
  readonly dailyTotalMicros: number;
  /** Largest step of one change, in percent of the current budget. */
  readonly maxChangePct: number;
  /** Smallest daily budget adpilot may set (micros). */
  readonly minDailyMicros: number;
  /** Hours that must pass between two changes of one ad set. */
  readonly cooldownHours: number;
  /** Ad sets adpilot must not touch. */
  readonly frozenAdsetIds: readonly string[];
}

export interface AdSetFacts {
  readonly adsetId: string;
  /** The ad set's platform reports it in learning. */
  readonly learning: boolean;
  /** ISO instant of the last applied change, if any. */
  readonly lastChangedAt: string | null;
  /** ISO instants of budget writes to the ad set (applied changes and reverts) from the change log, for the hourly limit. */
  readonly changedAt?: readonly string[];
}

export type GuardrailVerdict = { kind: 'pass'; change: PlannedChange } | { kind: 'reject'; change: PlannedChange; reason: string };

/** Checks every change against the limits; the sum of budgets after the plan must stay within the cap. */
export function checkGuardrails(
  changes: readonly PlannedChange[],
  context: {
    readonly limits: GuardrailLimits;
    readonly facts: ReadonlyMap<string, AdSetFacts>;
    /** Sum of the current daily budgets of the managed ad sets that the plan does not change (micros). */
    readonly unchangedTotalMicros: number;
    readonly now: Date;
  },
): GuardrailVerdict[] {
  const { limits, facts, now } = context;
  // Writes within the last hour per ad set: the log's, then this batch's as they pass.
  const hourAgo = now.getTime() - 3_600_000;
  const recent = new Map<string, number>();
  const verdicts: GuardrailVerdict[] = changes.map((change) => {
    const f = facts.get(change.adsetId);
    const key = `${change.platform}\u0000${change.adsetId}`;
    const count =
      recent.get(key) ??
      (f?.changedAt ?? []).filter((t) => {
        const at = new Date(t).getTime();
        return at > hourAgo && at <= now.getTime();
      }).length;
    const perHour = CHANGES_PER_HOUR[change.platform];
    const reason =
      rejectReason(change, limits, f, now) ??
      (perHour !== undefined && count >= perHour ? `${count} budget changes in the last hour; ${change.platform} allows ${perHour}` : null);
    recent.set(key, reason ? count : count + 1);
    return reason ? { kind: 'reject', change, reason } : { kind: 'pass', change };
  });
  // The cap holds for the whole portfolio: if the passing changes would exceed it, reject the increases.
  const total = (vs: readonly GuardrailVerdict[]) =>
    context.unchangedTotalMicros + vs.reduce((sum, v) => sum + (v.kind === 'pass' ? v.change.afterMicros : v.change.beforeMicros), 0);
  if (total(verdicts) > limits.dailyTotalMicros) {
    return verdicts.map((v) =>
      v.kind === 'pass' && v.change.afterMicros > v.change.beforeMicros
        ? { kind: 'reject', change: v.change, reason: 'the plan would exceed the daily budget cap' }
        : v,
    );
  }
  return verdicts;
}

function rejectReason(change: PlannedChange, limits: GuardrailLimits, facts: AdSetFacts | undefined, now: Date): string | null {
  if (!Number.isSafeInteger(change.afterMicros) || change.afterMicros < 0) return 'the new budget is not a valid amount';
  if (limits.frozenAdsetIds.includes(change.adsetId)) return 'the ad set is frozen by config';
  if (change.afterMicros < limits.minDailyMicros) return 'below the minimum daily budget';
  if (change.beforeMicros > 0) {
    const stepPct = (Math.abs(change.afterMicros - change.beforeMicros) / change.beforeMicros) * 100;
    if (stepPct > limits.maxChangePct + 1e-9) return `a ${stepPct.toFixed(1)}% step exceeds the ${limits.maxChangePct}% limit`;
  }
  if (facts?.learning) return 'the ad set is in its learning phase';
  if (facts?.lastChangedAt) {
    const hours = (now.getTime() - new Date(facts.lastChangedAt).getTime()) / 3_600_000;
    if (hours < limits.cooldownHours) return `changed ${Math.floor(hours)} h ago; cooldown is ${limits.cooldownHours} h`;
  }
  return null;
}
