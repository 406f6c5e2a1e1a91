/**
 * Approval mode: a plan waits as `pending-approval` until a person approves it; approving
 * re-checks the guardrails at that moment and applies the passing changes exactly once.
 */
import type { AppContext } from '../runtime/context.ts';
import type { BudgetPlan } from '../store/records.ts';
import { UseCaseError } from './errors.ts';
import { applyBudgetChange, applyGuardrails } from './optimize.ts';

export interface ApprovalResult {
  readonly planId: string;
  readonly status: BudgetPlan['status'];
  readonly applied: number;
  readonly skipped: number;
  readonly failed: number;
  readonly rejected: number;
}

/** Applies a pending plan; approving an already applied plan changes nothing and reports it. */
export async function approvePlan(ctx: AppContext, planId: string): Promise<ApprovalResult> {
  const plan = await ctx.store.getPlan(planId);
  if (!plan) throw new UseCaseError(`no plan ${planId}`);
  const resumable = plan.status === 'pending-approval' || plan.status === 'applying';
  if (!resumable) {
    return { planId, status: plan.status, applied: 0, skipped: plan.changes.length, failed: 0, rejected: 0 };
  }
  if (plan.status === 'pending-approval') await ctx.store.transitionPlan(planId, 'pending-approval', 'applying', ctx.clock.now());
  const checked = await applyGuardrails(ctx, { planId });
  const counts = { applied: 0, skipped: 0, failed: 0 };
  for (const changeId of checked.changeIds) {
    const { outcome } = await applyBudgetChange(ctx, { planId, changeId });
    counts[outcome] += 1;
  }
  const status: BudgetPlan['status'] = counts.failed > 0 ? 'partially-applied' : 'applied';
  await ctx.store.transitionPlan(planId, 'applying', status, ctx.clock.now());
  return { planId, status, ...counts, rejected: checked.rejected };
}
