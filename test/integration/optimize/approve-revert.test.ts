import { afterEach, describe, expect, it } from 'vitest';
import { approvePlan } from '../../../lib/usecases/approve.ts';
import { revertChange, revertIdFor, revertPlan } from '../../../lib/usecases/revert.ts';
import { DATE, type OptimizeFixture, PLAN_ID, startOptimizeFixture } from './fixture.ts';

let f: OptimizeFixture;
afterEach(async () => f.close());

describe('approve', () => {
  it('applies a pending plan once; approving again changes nothing', async () => {
    f = await startOptimizeFixture('approve');
    const changes = await f.storePlan('approve');
    expect((await f.runtime.runStateMachine('optimize', { date: DATE })).output).toMatchObject({ status: 'pending-approval' });
    expect(f.budgetWrites()).toBe(0);

    expect(await approvePlan(f.runtime.ctx, PLAN_ID)).toEqual({
      planId: PLAN_ID,
      status: 'applied',
      applied: 2,
      skipped: 0,
      failed: 0,
      rejected: 0,
    });
    for (const c of changes) expect(f.market.adset(c.adsetId).dailyBudgetMicros).toBe(c.afterMicros);
    expect(await approvePlan(f.runtime.ctx, PLAN_ID)).toEqual({
      planId: PLAN_ID,
      status: 'applied',
      applied: 0,
      skipped: 2,
      failed: 0,
      rejected: 0,
    });
    expect(f.budgetWrites()).toBe(2);
  });
});

describe('revert', () => {
  it('restores the previous budget as a new logged change, once, and announces it', async () => {
    f = await startOptimizeFixture('auto');
    const [first] = await f.storePlan('auto');
    if (!first) throw new Error('plan has changes');
    await f.runtime.runStateMachine('optimize', { date: DATE });
    expect(f.market.adset(first.adsetId).dailyBudgetMicros).toBe(first.afterMicros);

    const outcome = await revertChange(f.runtime.ctx, first.changeId);
    expect(outcome).toEqual({
      kind: 'reverted',
      changeId: first.changeId,
      revertId: revertIdFor(first.changeId),
      budgetMicros: first.beforeMicros,
      currency: 'EUR',
    });
    expect(f.market.adset(first.adsetId).dailyBudgetMicros).toBe(first.beforeMicros);
    const log = await f.runtime.ctx.store.changesForAdSet('meta', first.adsetId);
    expect(log.map((c) => [c.changeId, c.beforeMicros, c.afterMicros, c.revertsChangeId])).toEqual([
      [first.changeId, first.beforeMicros, first.afterMicros, null],
      [revertIdFor(first.changeId), first.afterMicros, first.beforeMicros, first.changeId],
    ]);
    const writes = f.budgetWrites();
    expect(await revertChange(f.runtime.ctx, first.changeId)).toEqual({
      kind: 'already-reverted',
      changeId: first.changeId,
      revertId: revertIdFor(first.changeId),
    });
    expect(f.budgetWrites()).toBe(writes);
    expect(f.runtime.bus.events.filter((e) => e['detail-type'] === 'Budget Change Reverted')).toHaveLength(1);
  });

  it("counts the platform's hourly limit: a fifth budget write within the hour waits, the undo included", async () => {
    f = await startOptimizeFixture('auto');
    const [first] = await f.storePlan('auto');
    if (!first) throw new Error('plan has changes');
    await f.runtime.runStateMachine('optimize', { date: DATE });
    const applied = await f.runtime.ctx.store.getChange(first.changeId);
    if (!applied) throw new Error('applied');
    // Three more budget writes to the ad set within the hour (someone's own approvals), four in all.
    for (const n of [1, 2, 3]) await f.runtime.ctx.store.appendChange({ ...applied, changeId: `${first.changeId}-other-${n}` });
    const writes = f.budgetWrites();

    expect(await revertChange(f.runtime.ctx, first.changeId)).toEqual({
      kind: 'refused',
      changeId: first.changeId,
      reason: '4 budget changes in the last hour; meta allows 4',
    });
    expect(f.budgetWrites()).toBe(writes);

    f.clock.advance(3_600_000);
    expect((await revertChange(f.runtime.ctx, first.changeId)).kind).toBe('reverted');
    expect(f.market.adset(first.adsetId).dailyBudgetMicros).toBe(first.beforeMicros);
  });

  it('refuses to undo a change whose budget was edited since, and reverts a whole plan', async () => {
    f = await startOptimizeFixture('auto');
    const [first, second] = await f.storePlan('auto');
    if (!first || !second) throw new Error('plan has two changes');
    await f.runtime.runStateMachine('optimize', { date: DATE });
    const adset = await f.runtime.ctx.store.getAdSet('meta', second.accountId, second.adsetId);
    if (!adset) throw new Error('ingested');
    await (await f.runtime.ctx.connector('meta')).setDailyBudget(adset, 55_000_000);

    const outcomes = await revertPlan(f.runtime.ctx, PLAN_ID);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['refused', 'reverted']);
    expect(f.market.adset(first.adsetId).dailyBudgetMicros).toBe(first.beforeMicros);
    expect(f.market.adset(second.adsetId).dailyBudgetMicros).toBe(55_000_000);
  });
});
