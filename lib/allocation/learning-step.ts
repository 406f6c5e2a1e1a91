/**
 * Learning-safe step: platforms restart an ad set's learning phase after a "significant" budget edit, at a
 * threshold they do not publish (practitioners keep steps at or under about 20%, the configured limit). adpilot's
 * own change log shows where it lies: an ad set that reports learning within the learning window after one of
 * our edits was reset by it, and one that does not was not. The threshold lies between the largest step seen
 * not to reset and the smallest step seen to reset. A reset costs days of depressed conversions and of
 * frozen budgets while a slightly smaller step costs little, so after a reset the plan keeps to the largest
 * step known to be safe, or, when none is known, to just under the smallest resetting step. The plan record
 * carries the limit to the next plan; with no reset seen, the configured limit stands.
 */

/** One budget write from the change log. */
export interface LoggedStep {
  readonly adsetId: string;
  /** Account-local date the change was made (applies from the next day). */
  readonly date: string;
  readonly beforeMicros: number;
  readonly afterMicros: number;
}

/** Largest step (percent) to plan with: the configured limit, or just under the smallest step seen to restart learning. */
export function learningSafeStepPct(input: {
  readonly maxChangePct: number;
  readonly changes: readonly LoggedStep[];
  /** Ad sets the platforms report in learning now. */
  readonly learningAdsetIds: ReadonlySet<string>;
  /** Dates of changes that can still explain a learning phase now (the platform's learning window). */
  readonly since: string;
  /** The limit the previous plan used (kept in its record), so a lesson outlives the learning phase that taught it. */
  readonly previousPct?: number;
  /** Share of the smallest resetting step to keep to. @default 0.9 */
  readonly margin?: number;
  /** Never plan with steps below this (percent), so the allocator can still move. @default 5 */
  readonly floorPct?: number;
}): number {
  const margin = input.margin ?? 0.9;
  const floor = input.floorPct ?? 5;
  const lastByAdset = new Map<string, LoggedStep>();
  for (const c of input.changes) {
    const seen = lastByAdset.get(c.adsetId);
    if (!seen || c.date >= seen.date) lastByAdset.set(c.adsetId, c);
  }
  let smallest = Number.POSITIVE_INFINITY;
  const pctOf = (c: LoggedStep) => (Math.abs(c.afterMicros - c.beforeMicros) / c.beforeMicros) * 100;
  for (const [id, c] of lastByAdset) {
    if (!input.learningAdsetIds.has(id) || c.date < input.since || !(c.beforeMicros > 0)) continue;
    smallest = Math.min(smallest, pctOf(c));
  }
  const known = Math.min(input.maxChangePct, input.previousPct ?? input.maxChangePct);
  if (!Number.isFinite(smallest)) return known;
  // Steps inside the window whose ad set is not learning now did not reset it: the threshold is above them.
  let largestSafe = 0;
  for (const [id, c] of lastByAdset) {
    if (input.learningAdsetIds.has(id) || c.date < input.since || !(c.beforeMicros > 0)) continue;
    const pct = pctOf(c);
    if (pct < smallest) largestSafe = Math.max(largestSafe, pct);
  }
  const guess = largestSafe >= floor ? largestSafe : smallest * margin;
  return Math.min(known, Math.max(floor, guess));
}
