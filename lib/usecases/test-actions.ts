/**
 * The optional action on a concluded A/B test, taken by the daily plan from the day the test declares a winner.
 *
 * `shift-budget`: each daily plan moves budget from the losing arms to the winner, one step at a time (the
 * client's max change per step), until the losers are at the minimum daily budget. The moves are ordinary
 * planned changes: they pass the same guardrails (total, caps, step size, cooldown, learning phase, frozen ad
 * sets) and the same apply path as the allocator's, and the allocator plans the rest of the portfolio around
 * them. A pair's total is unchanged, so the rest keeps its share of the daily total.
 *
 * While a test runs, its arms' budgets are held (the allocator leaves them alone): budget moves would restart
 * the platforms' learning phase, which the evaluation must exclude, and would tilt the comparison.
 *
 * `pause-loser`: the plan pauses each losing arm once (a status change; budgets stay as they are). The paused
 * arm's budget still counts against the daily total on the day of the pause, so a pause that fails can never
 * let the total run over; from the next day the arm is no longer active and the allocator spends the total over
 * the active ad sets, within its step limits. Frozen arms are not paused. An arm adpilot paused once is never
 * paused again, so undoing the pause (`adpilot revert`) sticks.
 */
import { type ClientConfig, isAdArm, type TestArm, type TestConfig } from '../config/schema.ts';
import type { Ad, AdSet } from '../model/ads.ts';
import type { PlannedChange, TestEvaluationRecord } from '../store/records.ts';

/** A test the plan must act on: its config and the stored evaluation that concluded it with a winner. */
export interface ConcludedTest {
  readonly test: TestConfig;
  readonly conclusion: TestEvaluationRecord;
}

export interface TestSteering {
  /** Changes moving budget from losers to winners, in test order. */
  readonly changes: PlannedChange[];
  /** Arms of concluded tests left as they are today, and why. */
  readonly holds: { platform: AdSet['platform']; adsetId: string; adsetName: string; reason: string }[];
  /** Every ad set of an acting test: the allocator leaves them alone today (money only moves within a test). */
  readonly steeredAdsetIds: ReadonlySet<string>;
}

interface SteeringInput {
  readonly planId: string;
  readonly config: ClientConfig;
  readonly adsets: readonly AdSet[];
  readonly concluded: readonly ConcludedTest[];
  /** Ad sets whose last applied change is within the cooldown. */
  readonly coolingDownAdsetIds: ReadonlySet<string>;
  /** Ad sets and ads adpilot has paused before (even if that pause was undone since). */
  readonly pausedBeforeIds: ReadonlySet<string>;
  /** Tests that have started and not concluded: their arms are held (unless a test's `holdBudgets` is false). */
  readonly running?: readonly TestConfig[];
  /** The stored ads that ad-level tests name as arms. */
  readonly ads?: readonly Ad[];
}

/** The winner of a stored evaluation, when it concluded with one. */
export function winnerOf(record: TestEvaluationRecord): string | null {
  if (record.decision !== 'winner') return null;
  const winner = record.result.winnerAdsetId;
  return typeof winner === 'string' ? winner : null;
}

/** Plans today's actions of the concluded tests: budget moves (`shift-budget`) and pauses (`pause-loser`) (pure). */
export function steerConcludedTests(input: SteeringInput): TestSteering {
  const byId = new Map(input.adsets.map((a) => [a.adsetId, a]));
  const { maxChangePct, minDaily, frozen } = input.config.budget;
  const changes: PlannedChange[] = [];
  const holds: TestSteering['holds'] = [];
  const steered = new Set<string>();
  const adsById = new Map((input.ads ?? []).map((a) => [a.adId, a]));
  // The ad set whose budget an arm depends on: the arm itself, or the ad set its ad runs in.
  const adsetOf = (arm: TestArm) => byId.get(isAdArm(arm) ? (adsById.get(arm.adId)?.adsetId ?? '') : arm.adsetId);

  for (const test of (input.running ?? []).filter((t) => t.holdBudgets)) {
    for (const arm of test.arms) {
      const adset = adsetOf(arm);
      if (!adset || steered.has(adset.adsetId)) continue;
      holds.push({
        platform: adset.platform,
        adsetId: adset.adsetId,
        adsetName: adset.name,
        reason: `${isAdArm(arm) ? 'runs an ad' : 'arm'} of running test ${test.id}: budget held until the test concludes, so edits neither restart learning nor tilt the comparison`,
      });
      steered.add(adset.adsetId);
    }
  }

  for (const { test, conclusion } of input.concluded) {
    if (test.arms.some(isAdArm)) {
      if (test.onConclusion === 'pause-loser') changes.push(...pauseLosingAds(input, test, conclusion, adsById, steered, holds));
      continue;
    }
    const winnerId = winnerOf(conclusion);
    const winner = winnerId ? byId.get(winnerId) : undefined;
    const arms = test.arms.flatMap((arm) => adsetOf(arm) ?? []);
    // An arm already steered by an earlier test stays with that test.
    if (!winner || test.onConclusion === 'none' || arms.some((a) => steered.has(a.adsetId))) continue;
    const losers = arms.filter((a) => a.adsetId !== winner.adsetId);
    const hold = (reason: string) => {
      for (const a of arms) holds.push({ platform: a.platform, adsetId: a.adsetId, adsetName: a.name, reason });
      for (const a of arms) steered.add(a.adsetId);
    };
    const prefix = `test ${test.id} concluded: ${winner.name} won`;
    const change = (adset: AdSet, afterMicros: number, reason: string, action?: 'pause'): PlannedChange => ({
      ...plannedChange(`${input.planId}-${adset.platform}-${adset.adsetId}`, adset, afterMicros, reason),
      ...(action ? { action } : {}),
    });
    if (test.onConclusion === 'pause-loser') {
      for (const loser of losers) {
        if (input.pausedBeforeIds.has(loser.adsetId)) continue;
        if (frozen.includes(loser.adsetId)) {
          holds.push({
            platform: loser.platform,
            adsetId: loser.adsetId,
            adsetName: loser.name,
            reason: `${prefix}; ${loser.name} is frozen in the client config, so it is not paused`,
          });
        } else {
          changes.push(change(loser, loser.dailyBudgetMicros ?? 0, `paused: ${prefix}; this arm lost`, 'pause'));
        }
        steered.add(loser.adsetId);
      }
      continue;
    }
    const blocked = arms.find(
      (a) =>
        a.currency !== winner.currency ||
        a.dailyBudgetMicros === null ||
        a.budgetLevel !== 'adset' ||
        a.learning ||
        frozen.includes(a.adsetId) ||
        input.coolingDownAdsetIds.has(a.adsetId),
    );
    if (blocked) {
      hold(`${prefix}; budget not moved today: ${blockReason(blocked, winner, frozen, input.coolingDownAdsetIds)}`);
      continue;
    }
    const step = maxChangePct / 100;
    const winnerBefore = winner.dailyBudgetMicros ?? 0;
    let room = Math.floor(winnerBefore * step);
    const moves: { adset: AdSet; afterMicros: number }[] = [];
    let moved = 0;
    for (const loser of losers) {
      const before = loser.dailyBudgetMicros ?? 0;
      const cut = Math.min(room, Math.max(0, Math.min(Math.floor(before * step), before - minDaily)));
      if (cut <= 0) continue;
      moves.push({ adset: loser, afterMicros: before - cut });
      room -= cut;
      moved += cut;
    }
    if (moved === 0) {
      hold(`${prefix}; nothing left to move (the losers are at the minimum daily budget, or the winner cannot take more today)`);
      continue;
    }
    changes.push(change(winner, winnerBefore + moved, `${pct(moved, winnerBefore)}: ${prefix}; budget moves to it from the other arms`));
    for (const m of moves) {
      const before = m.adset.dailyBudgetMicros ?? 0;
      changes.push(
        change(m.adset, m.afterMicros, `${pct(m.afterMicros - before, before)}: ${prefix}; this arm lost, its budget moves to the winner`),
      );
    }
    for (const a of arms) steered.add(a.adsetId);
  }
  return { changes, holds, steeredAdsetIds: steered };
}

/**
 * The pauses of an ad-level test's losing ads: each active losing ad once (never again after an undo), unless
 * its ad set is frozen. The ad set keeps its budget (before and after are equal) and its other ads.
 */
function pauseLosingAds(
  input: SteeringInput,
  test: TestConfig,
  conclusion: TestEvaluationRecord,
  adsById: ReadonlyMap<string, Ad>,
  steered: Set<string>,
  holds: TestSteering['holds'],
): PlannedChange[] {
  const winner = adsById.get(winnerOf(conclusion) ?? '');
  if (!winner) return [];
  const byId = new Map(input.adsets.map((a) => [a.adsetId, a]));
  const changes: PlannedChange[] = [];
  for (const arm of test.arms.filter(isAdArm)) {
    const ad = adsById.get(arm.adId);
    const adset = ad ? byId.get(ad.adsetId) : undefined;
    if (!ad || !adset || ad.adId === winner.adId || ad.status !== 'ACTIVE' || input.pausedBeforeIds.has(ad.adId)) continue;
    const prefix = `test ${test.id} concluded: ${winner.name} won`;
    if (input.config.budget.frozen.includes(adset.adsetId)) {
      holds.push({
        platform: adset.platform,
        adsetId: adset.adsetId,
        adsetName: adset.name,
        reason: `${prefix}; ${ad.name} is not paused because its ad set ${adset.name} is frozen in the client config`,
      });
      continue;
    }
    changes.push({
      ...plannedChange(
        `${input.planId}-${ad.platform}-ad-${ad.adId}`,
        adset,
        adset.dailyBudgetMicros ?? 0,
        `ad paused: ${prefix}; ${ad.name} lost`,
      ),
      action: 'pause',
      adId: ad.adId,
      adName: ad.name,
    });
    steered.add(adset.adsetId);
  }
  return changes;
}

/** A change of `adset` from its current budget to `afterMicros`. */
function plannedChange(changeId: string, adset: AdSet, afterMicros: number, reason: string): PlannedChange {
  return {
    changeId,
    platform: adset.platform,
    accountId: adset.accountId,
    adsetId: adset.adsetId,
    adsetName: adset.name,
    campaignId: adset.campaignId,
    budgetLevel: adset.budgetLevel,
    currency: adset.currency,
    beforeMicros: adset.dailyBudgetMicros ?? 0,
    afterMicros,
    reason,
  };
}

function blockReason(adset: AdSet, winner: AdSet, frozen: readonly string[], cooling: ReadonlySet<string>): string {
  if (adset.currency !== winner.currency) return `${adset.name} bills in ${adset.currency}, the winner in ${winner.currency}`;
  if (adset.dailyBudgetMicros === null) return `${adset.name} has no daily budget`;
  if (adset.budgetLevel !== 'adset') return `${adset.name} shares a campaign budget`;
  if (adset.learning) return `${adset.name} is in its learning phase`;
  if (frozen.includes(adset.adsetId)) return `${adset.name} is frozen in the client config`;
  if (cooling.has(adset.adsetId)) return `${adset.name} changed within the cooldown`;
  return `${adset.name} cannot be changed`;
}

function pct(delta: number, before: number): string {
  const value = before === 0 ? 0 : Math.round((delta / before) * 100);
  return `${value >= 0 ? '+' : ''}${value}%`;
}
