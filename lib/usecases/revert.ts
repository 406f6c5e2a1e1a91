/**
 * Undo: restores the budget an applied change replaced, as a new change in the append-only
 * log (`revertsChangeId`), checked by the same guardrails as any change except the cooldown
 * (an undo should not have to wait three days) and announced as `Budget Change Reverted`.
 * The undo of a pause re-activates the ad set, if its budget fits under the daily total again,
 * and is announced as `Status Changed`; one that stays paused (its parent is paused) is left as it was.
 */
import { checkGuardrails } from '../allocation/guardrails.ts';
import { makeEvent } from '../events/publisher.ts';
import { type AdSet, budgetHolderKey } from '../model/ads.ts';
import { formatMoney } from '../model/money.ts';
import { PlatformRequestError } from '../platforms/errors.ts';
import type { PlatformConnector } from '../platforms/port.ts';
import type { AppContext } from '../runtime/context.ts';
import { type BudgetChangeRecord, isBudgetChange } from '../store/records.ts';
import { toReportingMicros } from './currency.ts';
import { UseCaseError } from './errors.ts';
import { managedAdSets, sumReporting } from './optimize.ts';
import { statusChangedEvent, writeStatus } from './status-changes.ts';

export type RevertOutcome =
  | {
      readonly kind: 'reverted';
      readonly changeId: string;
      readonly revertId: string;
      readonly budgetMicros: number;
      readonly currency: string;
      /** The undo of a pause: the ad set is active again, with its budget as it was. */
      readonly reactivated?: boolean;
    }
  | { readonly kind: 'already-reverted'; readonly changeId: string; readonly revertId: string }
  | { readonly kind: 'refused'; readonly changeId: string; readonly reason: string };

/** The id of the change that undoes `changeId`: one undo per change, however often it is asked for. */
export function revertIdFor(changeId: string): string {
  return `revert-${changeId}`;
}

/** Reverts one applied change. */
export async function revertChange(ctx: AppContext, changeId: string): Promise<RevertOutcome> {
  const original = await ctx.store.getChange(changeId);
  if (!original) throw new UseCaseError(`no change ${changeId} in the change log`);
  const revertId = revertIdFor(changeId);
  if (await ctx.store.getChange(revertId)) return { kind: 'already-reverted', changeId, revertId };
  if (original.outcome !== 'applied') return { kind: 'refused', changeId, reason: `the change was ${original.outcome}, not applied` };

  const adset = await ctx.store.getAdSet(original.platform, original.accountId, original.adsetId);
  if (!adset) throw new UseCaseError(`unknown ad set ${original.platform} ${original.adsetId}`);
  const connector = await ctx.connector(original.platform);
  if (original.action === 'pause') return revertPause(ctx, original, adset, connector);
  const current = await connector.getDailyBudget(adset);
  if (current !== original.afterMicros && current !== original.beforeMicros) {
    return {
      kind: 'refused',
      changeId,
      reason: `the budget is now ${current ?? 'unset'}, changed since adpilot set ${original.afterMicros}`,
    };
  }
  const undo = { ...original, changeId: revertId, beforeMicros: original.afterMicros, afterMicros: original.beforeMicros };
  const refusal = await guardrailRefusal(ctx, undo);
  if (refusal) return { kind: 'refused', changeId, reason: refusal };

  // `current === original.beforeMicros`: a previous attempt wrote the undo and stopped before logging it.
  const readBack =
    current === original.beforeMicros ? current : (await connector.setDailyBudget(adset, original.beforeMicros)).readBackMicros;
  const now = ctx.clock.now();
  const record: BudgetChangeRecord = {
    ...undo,
    reason: `undo of ${changeId}`,
    appliedAt: now.toISOString(),
    outcome: 'applied',
    readBackMicros: readBack,
    error: null,
    revertsChangeId: changeId,
  };
  await ctx.store.appendChange(record);
  await ctx.events.publish([
    makeEvent(
      'Budget Change Reverted',
      {
        version: 1,
        id: `budget-change-reverted:${changeId}`,
        client: ctx.config.client,
        platform: record.platform,
        accountId: record.accountId,
        adsetId: record.adsetId,
        adsetName: record.adsetName,
        planId: record.planId,
        changeId: revertId,
        currency: record.currency,
        beforeMicros: record.beforeMicros,
        afterMicros: readBack,
        reason: record.reason,
        revertedChangeId: changeId,
      },
      now,
    ),
  ]);
  return { kind: 'reverted', changeId, revertId, budgetMicros: readBack, currency: record.currency };
}

/**
 * Re-activates what adpilot paused: one ad (its ad set's budget is unchanged), or an ad set when its budget
 * fits under the daily total with the others'.
 */
async function revertPause(
  ctx: AppContext,
  original: BudgetChangeRecord,
  adset: AdSet,
  connector: PlatformConnector,
): Promise<RevertOutcome> {
  const { changeId } = original;
  const revertId = revertIdFor(changeId);
  const { budget } = ctx.config;
  if (budget.frozen.includes(adset.adsetId)) return { kind: 'refused', changeId, reason: `${adset.name} is frozen in the client config` };
  // An ad's ad set kept its budget; a whole ad set's budget must fit under the total again.
  if (original.adId === undefined && adset.budgetLevel === 'adset') {
    const others = (await managedAdSets(ctx)).filter((a) => budgetHolderKey(a) !== budgetHolderKey(original));
    const total = sumReporting(ctx, others) + toReportingMicros(ctx.config, adset.dailyBudgetMicros ?? 0, adset.currency);
    if (total > budget.dailyTotal) {
      return {
        kind: 'refused',
        changeId,
        reason: `re-activating ${adset.name} would bring the daily budgets to ${formatMoney(total, ctx.config.currency)}, over the daily total of ${formatMoney(budget.dailyTotal, ctx.config.currency)}`,
      };
    }
  }
  const what = original.adId === undefined ? adset.name : `the ad "${original.adName ?? original.adId}"`;
  let problem: string | undefined;
  try {
    const readBack = await writeStatus(ctx, original, adset, connector, 'ACTIVE');
    if (readBack !== 'ACTIVE') problem = `it reads back ${readBack}`;
  } catch (error) {
    if (!(error instanceof PlatformRequestError)) throw error;
    problem = error.message;
  }
  if (problem !== undefined) {
    // Typically the campaign (or, for an ad, the ad set) above it is paused: it took the write but does not run.
    // Put it back as adpilot left it, so the change log stays true, and say what to do.
    await writeStatus(ctx, original, adset, connector, 'PAUSED').catch(() => undefined);
    const above = original.adId === undefined ? 'its campaign' : 'its ad set or campaign';
    return {
      kind: 'refused',
      changeId,
      reason: `${what} could not be re-activated (${problem}), so adpilot left it paused. If ${above} is paused, re-activate that first, then revert again`,
    };
  }
  const now = ctx.clock.now();
  const record: BudgetChangeRecord = {
    ...original,
    changeId: revertId,
    action: 'activate',
    reason: `undo of ${changeId}`,
    appliedAt: now.toISOString(),
    outcome: 'applied',
    readBackMicros: null,
    error: null,
    revertsChangeId: changeId,
  };
  await ctx.store.appendChange(record);
  await ctx.events.publish([statusChangedEvent(ctx, original.planId, record, 'ACTIVE', changeId, now)]);
  return { kind: 'reverted', changeId, revertId, budgetMicros: adset.dailyBudgetMicros ?? 0, currency: adset.currency, reactivated: true };
}

/** Reverts every applied change of a plan, newest first. */
export async function revertPlan(ctx: AppContext, planId: string): Promise<RevertOutcome[]> {
  const changes = (await ctx.store.changesForPlan(planId)).filter((c) => c.revertsChangeId === null && c.outcome === 'applied');
  const out: RevertOutcome[] = [];
  for (const change of changes.reverse()) out.push(await revertChange(ctx, change.changeId));
  return out;
}

async function guardrailRefusal(ctx: AppContext, undo: BudgetChangeRecord): Promise<string | null> {
  const { budget } = ctx.config;
  const others = (await managedAdSets(ctx)).filter((a) => budgetHolderKey(a) !== budgetHolderKey(undo));
  const unchanged = sumReporting(ctx, others);
  // The platform's hourly limit counts every budget write, an undo's as much as a plan's (Meta blocks a fifth).
  const written = (await ctx.store.changesForAdSet(undo.platform, undo.adsetId)).filter(
    (c) => isBudgetChange(c) && (c.outcome === 'applied' || c.outcome === 'reverted'),
  );
  const [verdict] = checkGuardrails(
    [
      {
        ...undo,
        beforeMicros: toReportingMicros(ctx.config, undo.beforeMicros, undo.currency),
        afterMicros: toReportingMicros(ctx.config, undo.afterMicros, undo.currency),
      },
    ],
    {
      limits: {
        dailyTotalMicros: budget.dailyTotal,
        // An undo returns to a budget that was itself within the step limit of the one before it.
        maxChangePct: Math.max(budget.maxChangePct, 100),
        minDailyMicros: budget.minDaily,
        cooldownHours: 0,
        frozenAdsetIds: budget.frozen,
      },
      // Neither learning nor the cooldown holds an undo back; the hourly limit does.
      facts: new Map([
        [undo.adsetId, { adsetId: undo.adsetId, learning: false, lastChangedAt: null, changedAt: written.map((c) => c.appliedAt) }],
      ]),
      unchangedTotalMicros: unchanged,
      now: ctx.clock.now(),
    },
  );
  return verdict?.kind === 'reject' ? verdict.reason : null;
}
