/** Every path of statemachines/optimize.asl.json, run through the local interpreter with fake handlers. */
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLocalStateMachines } from '../../../lib/local/asl-runner.ts';
import { type FakeBehaviour, failFirst, fakeHandlers, namedError } from './fakes.ts';

const DATE = '2026-01-12';
const RUN = { date: DATE, runId: `run-${DATE}` };
const PLAN_ID = `plan-${DATE}`;

function run(overrides: Parameters<typeof fakeHandlers>[0] = {}) {
  const { handlers, calls } = fakeHandlers(overrides);
  const machines = createLocalStateMachines(handlers, { retryIntervalMs: 0 });
  return machines.run('optimize', { date: DATE }).then((result) => ({ result, calls }));
}

/** The calls of the steps before the mode choice, with the events the contract gives them. */
const UP_TO_GUARDRAILS = [
  { fn: 'load-state', event: { date: DATE } },
  { fn: 'evaluate-tests', event: RUN },
  { fn: 'plan-budgets', event: RUN },
  { fn: 'apply-guardrails', event: { planId: PLAN_ID } },
];

function guardrails(mode: string, changeIds: string[]): FakeBehaviour {
  return (e) => ({ planId: e.planId, mode, changeIds, rejected: 0 });
}

describe('optimize state machine', () => {
  it('success (auto): applies every change and records the plan', async () => {
    const { result, calls } = await run();
    const applied = [
      { changeId: 'chg-1', outcome: 'applied' },
      { changeId: 'chg-2', outcome: 'applied' },
      { changeId: 'chg-3', outcome: 'applied' },
    ];
    expect(result).toEqual({ status: 'SUCCEEDED', output: { planId: PLAN_ID, status: 'applied' } });
    expect(calls.slice(0, 4)).toEqual(UP_TO_GUARDRAILS);
    expect(calls.slice(4, 7).map((c) => c.event)).toEqual(
      expect.arrayContaining([
        { planId: PLAN_ID, changeId: 'chg-1' },
        { planId: PLAN_ID, changeId: 'chg-2' },
        { planId: PLAN_ID, changeId: 'chg-3' },
      ]),
    );
    expect(calls.slice(7)).toEqual([{ fn: 'record-plan', event: { planId: PLAN_ID, mode: 'auto', applied } }]);
  });

  it('choice auto with zero changes: the Map over an empty list records nothing applied', async () => {
    const { result, calls } = await run({ 'apply-guardrails': guardrails('auto', []) });
    expect(result).toEqual({ status: 'SUCCEEDED', output: { planId: PLAN_ID, status: 'applied' } });
    expect(calls).toEqual([...UP_TO_GUARDRAILS, { fn: 'record-plan', event: { planId: PLAN_ID, mode: 'auto', applied: [] } }]);
  });

  it('choice approve: applies nothing and records the plan as pending', async () => {
    const { result, calls } = await run({ 'apply-guardrails': guardrails('approve', ['chg-1', 'chg-2']) });
    expect(result).toEqual({ status: 'SUCCEEDED', output: { planId: PLAN_ID, status: 'pending' } });
    expect(calls).toEqual([...UP_TO_GUARDRAILS, { fn: 'record-plan', event: { planId: PLAN_ID, mode: 'approve', applied: [] } }]);
  });

  it('choice dry-run: applies nothing and records the plan', async () => {
    const { result, calls } = await run({ 'apply-guardrails': guardrails('dry-run', ['chg-1']) });
    expect(result).toEqual({ status: 'SUCCEEDED', output: { planId: PLAN_ID, status: 'dry-run' } });
    expect(calls).toEqual([...UP_TO_GUARDRAILS, { fn: 'record-plan', event: { planId: PLAN_ID, mode: 'dry-run', applied: [] } }]);
  });

  it('choice with an unknown mode: fails with States.NoChoiceMatched and records nothing', async () => {
    const { result, calls } = await run({ 'apply-guardrails': guardrails('yolo', ['chg-1']) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
    expect(calls).toEqual(UP_TO_GUARDRAILS);
  });

  it('map with several changes: one failing change is reported while the others apply', async () => {
    const { result, calls } = await run({
      'apply-budget-change': (e) => {
        if (e.changeId === 'chg-2') throw namedError('BudgetWriteRejectedError', 'platform refused the budget');
        return { changeId: e.changeId, outcome: 'applied' };
      },
    });
    expect(result).toEqual({ status: 'SUCCEEDED', output: { planId: PLAN_ID, status: 'applied' } });
    expect(calls.at(-1)).toEqual({
      fn: 'record-plan',
      event: {
        planId: PLAN_ID,
        mode: 'auto',
        applied: [
          { changeId: 'chg-1', outcome: 'applied' },
          { changeId: 'chg-2', outcome: 'failed', error: 'BudgetWriteRejectedError' },
          { changeId: 'chg-3', outcome: 'applied' },
        ],
      },
    });
  });

  it('map with several changes: a change failing with TransientError is retried inside its iteration, then applied', async () => {
    const { result, calls } = await run({
      'apply-budget-change': (e, attempt) => {
        if (e.changeId === 'chg-3' && attempt === 1) throw namedError('TransientError');
        return { changeId: e.changeId, outcome: 'applied' };
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls.filter((c) => c.fn === 'apply-budget-change' && (c.event as { changeId: string }).changeId === 'chg-3')).toHaveLength(2);
    expect(calls.at(-1)?.event).toEqual({
      planId: PLAN_ID,
      mode: 'auto',
      applied: ['chg-1', 'chg-2', 'chg-3'].map((changeId) => ({ changeId, outcome: 'applied' })),
    });
  });

  it('map with several changes: applies at most 4 changes at a time, in item order in the result', async () => {
    const changeIds = Array.from({ length: 10 }, (_, i) => `chg-${i + 1}`);
    let running = 0;
    let peak = 0;
    const { result, calls } = await run({
      'apply-guardrails': guardrails('auto', changeIds),
      'apply-budget-change': async (e) => {
        running += 1;
        peak = Math.max(peak, running);
        await delay(5);
        running -= 1;
        return { changeId: e.changeId, outcome: 'skipped' };
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(peak).toBe(4);
    expect(calls.at(-1)?.event).toEqual({
      planId: PLAN_ID,
      mode: 'auto',
      applied: changeIds.map((changeId) => ({ changeId, outcome: 'skipped' })),
    });
  });

  it.each([
    'TransientError',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ])('retry after %s, then success', async (errorName) => {
    const { result, calls } = await run({
      'plan-budgets': failFirst(2, errorName, (e) => ({ planId: `plan-${e.date}`, mode: 'auto', changeCount: 3 })),
    });
    expect(result).toEqual({ status: 'SUCCEEDED', output: { planId: PLAN_ID, status: 'applied' } });
    expect(calls.filter((c) => c.fn === 'plan-budgets')).toEqual([
      { fn: 'plan-budgets', event: RUN },
      { fn: 'plan-budgets', event: RUN },
      { fn: 'plan-budgets', event: RUN },
    ]);
  });

  it('retry exhausted: a fourth TransientError is caught and fails the run with OptimizeFailed', async () => {
    const { result, calls } = await run({ 'evaluate-tests': failFirst(99, 'TransientError', () => ({})) });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('TransientError');
    expect(calls.map((c) => c.fn)).toEqual(['load-state', 'evaluate-tests', 'evaluate-tests', 'evaluate-tests', 'evaluate-tests']);
  });

  it.each([
    ['LoadState', 'load-state', 0],
    ['EvaluateTests', 'evaluate-tests', 1],
    ['PlanBudgets', 'plan-budgets', 2],
    ['ApplyGuardrails', 'apply-guardrails', 3],
    ['RecordPlan', 'record-plan', 7],
  ] as const)('catch → fail: an error in %s is not retried and fails the run with OptimizeFailed', async (_state, fn, callsBefore) => {
    const { result, calls } = await run({
      [fn]: () => {
        throw namedError('StoreConflictError', 'plan changed underneath');
      },
    });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('StoreConflictError');
    // The Cause has the shape Lambda gives it: errorType, errorMessage and the stack trace.
    expect(JSON.parse(result.cause ?? '')).toEqual({
      errorType: 'StoreConflictError',
      errorMessage: 'plan changed underneath',
      trace: expect.any(Array),
    });
    expect(calls).toHaveLength(callsBefore + 1);
    expect(calls.at(-1)?.fn).toBe(fn);
  });

  it('catch → fail: an error that is not an Error object is reported by its type, as Lambda does', async () => {
    const { result } = await run({
      'load-state': () => {
        throw 'plain string';
      },
    });
    expect(result).toEqual({
      status: 'FAILED',
      error: 'string',
      cause: JSON.stringify({ errorType: 'string', errorMessage: 'plain string', trace: [] }),
    });
  });

  it('success with a RecordPlan that returns nothing: the output is null, as Lambda serialises undefined', async () => {
    const { result } = await run({ 'record-plan': () => undefined });
    expect(result).toEqual({ status: 'SUCCEEDED', output: null });
  });
});
