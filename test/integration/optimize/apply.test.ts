import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';
import { DATE, type OptimizeFixture, PLAN_ID, startOptimizeFixture } from './fixture.ts';

let f: OptimizeFixture;
afterEach(async () => f.close());

describe('optimize: apply budget changes', () => {
  it('applies each change once, reads it back, logs it, and a re-run changes nothing', async () => {
    f = await startOptimizeFixture('auto');
    const changes = await f.storePlan('auto');
    const first = await f.runtime.runStateMachine('optimize', { date: DATE });
    expect(first).toMatchObject({ status: 'SUCCEEDED', output: { planId: PLAN_ID, status: 'applied' } });
    expect(f.budgetWrites()).toBe(2);
    for (const c of changes) expect(f.market.adset(c.adsetId).dailyBudgetMicros).toBe(c.afterMicros);
    const log = await f.runtime.ctx.store.changesForPlan(PLAN_ID);
    expect(log.map((c) => [c.adsetId, c.outcome, c.readBackMicros])).toEqual(changes.map((c) => [c.adsetId, 'applied', c.afterMicros]));

    const second = await f.runtime.runStateMachine('optimize', { date: DATE });
    expect(second.status).toBe('SUCCEEDED');
    expect(f.budgetWrites()).toBe(2);
    expect(f.runtime.bus.events.filter((e) => e['detail-type'] === 'Budget Changed').map((e) => e.id)).toEqual(
      expect.arrayContaining(changes.map((c) => `budget-changed:${c.changeId}`)),
    );
  });

  it('after a crash between the write and the log, the next run records the change without writing it again', async () => {
    f = await startOptimizeFixture('auto');
    const [first] = await f.storePlan('auto');
    if (!first) throw new Error('plan has changes');
    // The platform already holds the new budget (the crashed run wrote it) but nothing was logged.
    const adset = await f.runtime.ctx.store.getAdSet('meta', SAMPLE_ACCOUNT_ID, first.adsetId);
    if (!adset) throw new Error('ingested');
    await (await f.runtime.ctx.connector('meta')).setDailyBudget(adset, first.afterMicros);
    const writesBefore = f.budgetWrites();
    const result = await f.runtime.invoke('apply-budget-change', { planId: PLAN_ID, changeId: first.changeId });
    expect(result).toEqual({ changeId: first.changeId, outcome: 'applied' });
    expect(f.budgetWrites()).toBe(writesBefore);
    expect((await f.runtime.ctx.store.getChange(first.changeId))?.outcome).toBe('applied');
  });

  it('refuses to overwrite a budget someone changed since the plan, and says so', async () => {
    f = await startOptimizeFixture('auto');
    const [first] = await f.storePlan('auto');
    if (!first) throw new Error('plan has changes');
    const adset = await f.runtime.ctx.store.getAdSet('meta', SAMPLE_ACCOUNT_ID, first.adsetId);
    if (!adset) throw new Error('ingested');
    await (await f.runtime.ctx.connector('meta')).setDailyBudget(adset, 77_000_000);
    const result = await f.runtime.invoke('apply-budget-change', { planId: PLAN_ID, changeId: first.changeId });
    expect(result).toEqual({ changeId: first.changeId, outcome: 'failed' });
    expect(f.market.adset(first.adsetId).dailyBudgetMicros).toBe(77_000_000);
    const failed = f.runtime.bus.events.filter((e) => e['detail-type'] === 'Budget Change Failed');
    expect(failed).toHaveLength(1);
  });

  it('reads the instant a schedule fired as the client-local date', async () => {
    f = await startOptimizeFixture('auto');
    expect(await f.runtime.invoke('load-state', { date: '2026-11-19T23:30:00Z' })).toMatchObject({ date: '2026-11-20' });
    await expect(f.runtime.invoke('load-state', { date: 'tomorrow' })).rejects.toThrow(/date/);
  });

  it('never applies a change that would take the portfolio over the daily cap', async () => {
    f = await startOptimizeFixture('auto');
    await f.storePlan('auto', 'increase');
    const run = await f.runtime.runStateMachine('optimize', { date: DATE });
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { status: 'applied' } });
    expect(f.budgetWrites()).toBe(0);
  });

  it('in approve mode stores the plan as pending and writes nothing; in dry-run likewise', async () => {
    for (const mode of ['approve', 'dry-run'] as const) {
      f = await startOptimizeFixture(mode);
      await f.storePlan(mode);
      const run = await f.runtime.runStateMachine('optimize', { date: DATE });
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { status: mode === 'approve' ? 'pending-approval' : 'dry-run' } });
      expect(f.budgetWrites()).toBe(0);
      if (mode === 'approve') await f.close();
    }
  });
});
