import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import {
  allStates,
  createLocalStateMachines,
  loadDefinition,
  localFunctionArn,
  localSubstitutions,
  type StateMachineHandlers,
  taskStateNames,
} from '../../../lib/local/asl-runner.ts';
import { StateMachineWiringError, UnresolvedSubstitutionError } from '../../../lib/local/errors.ts';
import {
  type FunctionId,
  functionArnSubstitution,
  LAMBDA_FUNCTIONS,
  STATE_MACHINES,
  type StateMachineId,
} from '../../../lib/workflows/tasks.ts';

const MACHINES = Object.keys(STATE_MACHINES) as StateMachineId[];
const FAIL_STATE: Record<StateMachineId, string> = { optimize: 'OptimizeFailed', 'weekly-report': 'WeeklyReportFailed' };
const RETRY = [
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'TransientError',
    ],
    IntervalSeconds: 2,
    BackoffRate: 2,
    MaxAttempts: 3,
  },
];

/** The file as CDK uploads it, before substitution. */
function rawDefinition(machine: StateMachineId) {
  return JSON.parse(readFileSync(new URL(`../../../${STATE_MACHINES[machine].file}`, import.meta.url), 'utf8'));
}

/** ARNs shaped like the ones CloudFormation substitutes in AWS. */
function awsLikeSubstitutions(): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(LAMBDA_FUNCTIONS) as FunctionId[]).map((id) => [
      functionArnSubstitution(id),
      `arn:aws:lambda:eu-west-3:123456789012:function:AdPilot-acme-${id}`,
    ]),
  );
}

describe.each(MACHINES)('the %s definition', (machine) => {
  const mapping: Record<string, FunctionId> = STATE_MACHINES[machine].tasks;

  it('has exactly the Task states that STATE_MACHINES maps, nested ones included', () => {
    expect(taskStateNames(loadDefinition(machine, localSubstitutions())).sort()).toEqual(Object.keys(mapping).sort());
  });

  it("names each Task's Lambda only through the substitution of the function it is mapped to", () => {
    const resources = Object.fromEntries(
      [...allStates(rawDefinition(machine))]
        .filter(([, s]) => s.Type === 'Task')
        .map(([name, s]) => [name, (s as { Resource: string }).Resource]),
    );
    const expected = Object.fromEntries(Object.entries(mapping).map(([state, fn]) => [state, `\${${functionArnSubstitution(fn)}}`]));
    expect(resources).toEqual(expected);
  });

  it('leaves no placeholder after substitution, locally and with AWS ARNs', () => {
    expect(JSON.stringify(loadDefinition(machine, localSubstitutions()))).not.toContain('${');
    const deployed = loadDefinition(machine, awsLikeSubstitutions());
    expect(JSON.stringify(deployed)).not.toContain('${');
    const resources = [...allStates(deployed)].filter(([, s]) => s.Type === 'Task').map(([, s]) => (s as { Resource: string }).Resource);
    expect(resources.sort()).toEqual(
      Object.values(mapping)
        .map((fn) => `arn:aws:lambda:eu-west-3:123456789012:function:AdPilot-acme-${fn}`)
        .sort(),
    );
  });

  it('fails loudly, naming the placeholders, when a substitution is missing', () => {
    const first = Object.values(mapping)[0] as FunctionId;
    const { [functionArnSubstitution(first)]: _dropped, ...rest } = localSubstitutions();
    expect(() => loadDefinition(machine, rest)).toThrow(UnresolvedSubstitutionError);
    expect(() => loadDefinition(machine, rest)).toThrow(`\${${functionArnSubstitution(first)}}`);
  });

  it('is valid ASL with checked JSONPaths and ARNs', () => {
    const options = { validationOptions: { checkPaths: true, checkArn: true } };
    expect(() => new StateMachine(loadDefinition(machine, localSubstitutions()), options)).not.toThrow();
    expect(() => new StateMachine(loadDefinition(machine, awsLikeSubstitutions()), options)).not.toThrow();
  });

  it('uses JSONPath only: no JSONata, Assign, Arguments/Output or task tokens', () => {
    const definition = rawDefinition(machine);
    expect(definition.QueryLanguage).toBe('JSONPath');
    for (const [name, state] of allStates(definition)) {
      const fields = Object.keys(state);
      expect({ name, forbidden: fields.filter((f) => ['QueryLanguage', 'Assign', 'Arguments', 'Output'].includes(f)) }).toEqual({
        name,
        forbidden: [],
      });
      if (state.Type === 'Task') expect(state.Resource).not.toMatch(/waitForTaskToken|^arn:aws:states:::/);
    }
  });

  it('gives every Task the Lambda retry policy and a catch-all Catch', () => {
    for (const [name, state] of allStates(rawDefinition(machine))) {
      if (state.Type !== 'Task') continue;
      expect({ name, retry: state.Retry }).toEqual({ name, retry: RETRY });
      expect({ name, errors: state.Catch?.map((c) => c.ErrorEquals) }).toEqual({ name, errors: [['States.ALL']] });
    }
  });

  it('routes the catch of every top-level Task to its Fail state, keeping the error in $.error', () => {
    const definition = rawDefinition(machine);
    const topLevelTasks = Object.entries(definition.States).filter(([, s]) => (s as { Type: string }).Type === 'Task');
    expect(topLevelTasks.length).toBeGreaterThan(0);
    for (const [name, state] of topLevelTasks) {
      expect({ name, catch: (state as { Catch: unknown }).Catch }).toEqual({
        name,
        catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: FAIL_STATE[machine] }],
      });
    }
    expect(definition.States[FAIL_STATE[machine]]).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });
});

describe('the optimize definition', () => {
  it('branches on every plan mode', () => {
    const choice = rawDefinition('optimize').States.ChooseMode;
    expect(choice.Choices).toEqual([
      { Variable: '$.plan.mode', StringEquals: 'auto', Next: 'ApplyChanges' },
      { Variable: '$.plan.mode', StringEquals: 'approve', Next: 'NothingApplied' },
      { Variable: '$.plan.mode', StringEquals: 'dry-run', Next: 'NothingApplied' },
    ]);
  });

  it('catches a failing change inside the Map iteration, so the other changes go on', () => {
    const map = rawDefinition('optimize').States.ApplyChanges;
    expect({
      type: map.Type,
      maxConcurrency: map.MaxConcurrency,
      itemsPath: map.ItemsPath,
      catch: map.ItemProcessor.States.ApplyBudgetChange.Catch,
    }).toEqual({
      type: 'Map',
      maxConcurrency: 4,
      itemsPath: '$.plan.changeIds',
      catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ChangeFailed' }],
    });
  });
});

describe('local substitutions', () => {
  it('give every function a valid local Lambda ARN', () => {
    expect(localSubstitutions()).toEqual(
      Object.fromEntries((Object.keys(LAMBDA_FUNCTIONS) as FunctionId[]).map((id) => [functionArnSubstitution(id), localFunctionArn(id)])),
    );
    expect(localFunctionArn('load-state')).toBe('arn:aws:lambda:local:000000000000:function:adpilot-load-state');
  });
});

describe('createLocalStateMachines', () => {
  it('refuses to start without a handler for a mapped function', () => {
    const handlers = Object.fromEntries(
      (Object.keys(LAMBDA_FUNCTIONS) as FunctionId[]).filter((id) => id !== 'record-plan').map((id) => [id, async () => null]),
    ) as unknown as StateMachineHandlers;
    expect(() => createLocalStateMachines(handlers)).toThrow(
      new StateMachineWiringError('no handler for function record-plan (state RecordPlan of optimize)'),
    );
  });
});
