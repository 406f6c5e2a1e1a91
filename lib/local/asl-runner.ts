/**
 * Runs the state machines of statemachines/*.asl.json locally with aws-local-stepfunctions, each
 * Task state calling the in-process handler of the function lib/workflows/tasks.ts maps it to.
 * The definitions are the deployed files, substituted the way CloudFormation substitutes
 * CDK's definitionSubstitutions, so local runs exercise the same Retry, Catch, Choice and Map.
 */
import './polyfills.ts'; // before aws-local-stepfunctions: it needs Promise.withResolvers (Node 22+)
import { readFileSync } from 'node:fs';
import { ExecutionError, type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { type FunctionId, functionArnSubstitution, LAMBDA_FUNCTIONS, STATE_MACHINES, type StateMachineId } from '../workflows/tasks.ts';
import { LambdaFunctionError, StateMachineWiringError, UnresolvedSubstitutionError } from './errors.ts';

type JsonValue = Parameters<StateMachine['run']>[0];
type AslState = StateMachineDefinition['States'][string];
type TaskHandlerOverrides = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** A Lambda handler as the local runtime calls it: the event in, the JSON-serialisable result out. */
export type TaskHandler = (event: unknown) => Promise<unknown>;

/** The function ids that some state machine's Task states call. */
export type TaskFunctionId = {
  [M in StateMachineId]: (typeof STATE_MACHINES)[M]['tasks'][keyof (typeof STATE_MACHINES)[M]['tasks']];
}[StateMachineId];

/** Handlers for every function a state machine calls; handlers of other functions (ingest …) may be passed and are ignored. */
export type StateMachineHandlers = Record<TaskFunctionId, TaskHandler> & Partial<Record<FunctionId, TaskHandler>>;

export interface LocalStateMachinesOptions {
  /**
   * Pause before each retry, in milliseconds. Step Functions waits IntervalSeconds × BackoffRate^n
   * (2 s, 4 s, 8 s here), which would make every local retry, and every test of one, slow.
   * @default 1
   */
  readonly retryIntervalMs?: number;
}

export interface ExecutionResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  /** The ASL error name that failed the execution (for a handler error: the error's `name`). */
  readonly error?: string;
  readonly cause?: string;
}

export interface LocalStateMachines {
  run(machine: StateMachineId, input: unknown): Promise<ExecutionResult>;
}

const REPO_ROOT = new URL('../../', import.meta.url);

/** The ARN a function gets in local definitions (any valid Lambda ARN would do: the handlers are called in-process). */
export function localFunctionArn(id: FunctionId): string {
  return `arn:aws:lambda:local:000000000000:function:adpilot-${id}`;
}

/** Definition substitutions for local runs: every `<Name>FunctionArn` → its local ARN. */
export function localSubstitutions(): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(LAMBDA_FUNCTIONS) as FunctionId[]).map((id) => [functionArnSubstitution(id), localFunctionArn(id)]),
  );
}

/**
 * Reads a state machine file and applies `${Name}` substitutions as Step Functions applies
 * DefinitionSubstitutions (plain text replacement of each `${key}`); throws when a `${...}` is left.
 */
export function loadDefinition(machine: StateMachineId, substitutions: Record<string, string>): StateMachineDefinition {
  const text = readFileSync(new URL(STATE_MACHINES[machine].file, REPO_ROOT), 'utf8');
  const substituted = Object.entries(substitutions).reduce((acc, [key, value]) => acc.split(`\${${key}}`).join(value), text);
  const left = [...new Set(substituted.match(/\$\{[^}]*\}/g) ?? [])];
  if (left.length > 0) throw new UnresolvedSubstitutionError(machine, left);
  return JSON.parse(substituted) as StateMachineDefinition;
}

/** Every state of a definition, nested Map iterators and Parallel branches included, by name. */
export function allStates(definition: Pick<StateMachineDefinition, 'States'>): Map<string, AslState> {
  const states = new Map<string, AslState>();
  for (const [name, state] of Object.entries(definition.States)) {
    states.set(name, state);
    const nested = [
      ...(state.Type === 'Map' ? [state.ItemProcessor ?? state.Iterator] : []),
      ...(state.Type === 'Parallel' ? state.Branches : []),
    ];
    for (const sub of nested) if (sub) for (const [n, s] of allStates(sub)) states.set(n, s);
  }
  return states;
}

/** The names of the Task states of a definition, nested ones included. */
export function taskStateNames(definition: Pick<StateMachineDefinition, 'States'>): string[] {
  return [...allStates(definition)].filter(([, s]) => s.Type === 'Task').map(([name]) => name);
}

/** Builds the local state machines; the definitions are loaded and validated now, so a broken file fails fast. */
export function createLocalStateMachines(handlers: StateMachineHandlers, opts: LocalStateMachinesOptions = {}): LocalStateMachines {
  const substitutions = localSubstitutions();
  const retryIntervalMs = opts.retryIntervalMs ?? 1;
  const machines = new Map<StateMachineId, { machine: StateMachine; options: RunOptions }>();
  for (const id of Object.keys(STATE_MACHINES) as StateMachineId[]) {
    const definition = loadDefinition(id, substitutions);
    assertTasksMapped(id, definition);
    const tasks: Record<string, FunctionId> = STATE_MACHINES[id].tasks;
    const taskResourceLocalHandlers: TaskHandlerOverrides = {};
    for (const [state, fn] of Object.entries(tasks)) {
      const handler = handlers[fn];
      if (handler === undefined) throw new StateMachineWiringError(`no handler for function ${fn} (state ${state} of ${id})`);
      taskResourceLocalHandlers[state] = asLambda(handler);
    }
    const retryIntervalOverrides = Object.fromEntries(
      [...allStates(definition)].filter(([, s]) => 'Retry' in s && s.Retry !== undefined).map(([name]) => [name, retryIntervalMs]),
    );
    machines.set(id, {
      machine: validatedStateMachine(definition),
      options: { overrides: { taskResourceLocalHandlers, retryIntervalOverrides } },
    });
  }

  return {
    async run(machine, input) {
      const entry = machines.get(machine);
      if (entry === undefined) throw new StateMachineWiringError(`unknown state machine ${machine}`);
      try {
        const output = await entry.machine.run(toJson(input), entry.options).result;
        return { status: 'SUCCEEDED', output };
      } catch (err) {
        if (!(err instanceof ExecutionError)) throw err;
        const failure = err.cause instanceof Error ? err.cause : new Error(String(err.cause));
        return { status: 'FAILED', error: failure.name, cause: failure.message };
      }
    },
  };
}

// Validation (asl-validator compiling its JSON schemas) costs about a second per definition, so a
// definition text validated once in this process is not validated again.
const validatedDefinitions = new Set<string>();

/** A StateMachine for the definition, validated (JSONPaths and ARNs checked) unless this exact definition already was. */
function validatedStateMachine(definition: StateMachineDefinition): StateMachine {
  const key = JSON.stringify(definition);
  const noValidate = validatedDefinitions.has(key);
  const machine = new StateMachine(definition, { validationOptions: noValidate ? { noValidate } : { checkPaths: true, checkArn: true } });
  validatedDefinitions.add(key);
  return machine;
}

/** Throws unless the Task states of the file and the STATE_MACHINES mapping name the same states. */
function assertTasksMapped(machine: StateMachineId, definition: StateMachineDefinition): void {
  const inFile = taskStateNames(definition).sort();
  const mapped = Object.keys(STATE_MACHINES[machine].tasks).sort();
  if (inFile.join() !== mapped.join()) {
    throw new StateMachineWiringError(
      `${machine}: Task states ${inFile.join(', ')} do not match STATE_MACHINES tasks ${mapped.join(', ')}`,
    );
  }
}

/**
 * Calls a handler the way Lambda does: the event and the result cross a JSON boundary (so a
 * handler can neither share objects with the interpreter nor return values JSON cannot carry),
 * and a thrown error becomes a LambdaFunctionError named after it, which Retry and Catch match by name.
 */
function asLambda(handler: TaskHandler): TaskHandlerOverrides[string] {
  return async (input) => {
    let result: unknown;
    try {
      result = await handler(JSON.parse(JSON.stringify(input)));
    } catch (err) {
      throw toLambdaError(err);
    }
    return toJson(result);
  };
}

function toJson(value: unknown): JsonValue {
  // Lambda serialises an undefined result as null.
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/** What the Node.js Lambda runtime reports for a thrown value (errorType, errorMessage, trace). */
function toLambdaError(err: unknown): LambdaFunctionError {
  if (err instanceof Error) return new LambdaFunctionError(err.name, err.message, err.stack?.split('\n') ?? []);
  return new LambdaFunctionError(typeof err, String(err), []);
}
