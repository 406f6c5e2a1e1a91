/** Small fake Lambda handlers for the state machine path tests: they record every event they get. */
import type { StateMachineHandlers, TaskFunctionId } from '../../../lib/local/asl-runner.ts';

export interface Call {
  readonly fn: TaskFunctionId;
  readonly event: unknown;
}

/** A handler body; `attempt` counts the calls of that function with an equal event (1 for the first). */
export type FakeBehaviour = (event: Record<string, unknown>, attempt: number) => unknown;

/** An error with the given name, as handlers throw them (Lambda reports the name as errorType). */
export function namedError(name: string, message = `${name} from a fake handler`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Throws `name` on the first `times` attempts, then behaves like `then`. */
export function failFirst(times: number, name: string, then: FakeBehaviour): FakeBehaviour {
  return (event, attempt) => {
    if (attempt <= times) throw namedError(name);
    return then(event, attempt);
  };
}

const DEFAULTS: Record<TaskFunctionId, FakeBehaviour> = {
  'load-state': (e) => ({ date: e.date, runId: `run-${e.date}` }),
  'evaluate-tests': () => ({ evaluated: 2, concluded: 1 }),
  'plan-budgets': (e) => ({ planId: `plan-${e.date}`, mode: 'auto', changeCount: 3 }),
  'apply-guardrails': (e) => ({ planId: e.planId, mode: 'auto', changeIds: ['chg-1', 'chg-2', 'chg-3'], rejected: 1 }),
  'apply-budget-change': (e) => ({ changeId: e.changeId, outcome: 'applied' }),
  'record-plan': (e) => ({ planId: e.planId, status: e.mode === 'auto' ? 'applied' : e.mode === 'approve' ? 'pending' : 'dry-run' }),
  'build-report': (e) => ({ week: typeof e.week === 'string' ? e.week : '2026-W02', reportId: 'report-2026-W02' }),
  'send-report': (e) => ({
    week: e.week,
    messageId: `<weekly-${e.week}@acme.example>`,
    location: `/outbox/weekly-${e.week}.eml`,
    alreadySent: false,
  }),
};

/** Handlers for every state machine function, `overrides` replacing the defaults; `calls` logs them in call order. */
export function fakeHandlers(overrides: Partial<Record<TaskFunctionId, FakeBehaviour>> = {}): {
  handlers: StateMachineHandlers;
  calls: Call[];
} {
  const calls: Call[] = [];
  const handlers = Object.fromEntries(
    (Object.keys(DEFAULTS) as TaskFunctionId[]).map((fn) => {
      const behaviour = overrides[fn] ?? DEFAULTS[fn];
      const handler = async (event: unknown) => {
        const attempt = calls.filter((c) => c.fn === fn && JSON.stringify(c.event) === JSON.stringify(event)).length + 1;
        calls.push({ fn, event });
        return behaviour(event as Record<string, unknown>, attempt);
      };
      return [fn, handler];
    }),
  ) as StateMachineHandlers;
  return { handlers, calls };
}
