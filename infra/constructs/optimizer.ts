/**
 * The daily optimize run: the six Lambdas of the optimize state machine, the machine itself
 * (statemachines/optimize.asl.json) and a daily schedule in the client's time zone.
 */
import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { FunctionId } from '../../lib/workflows/tasks.ts';
import type { NagAcknowledgements } from '../nag.ts';
import type { AdPilotFunction, FunctionFactory } from './functions.ts';
import type { ClientKey } from './key.ts';
import { SCHEDULED_DATE_INPUT, ScheduledInvocations } from './schedules.ts';
import type { PlatformSecrets } from './secrets.ts';
import type { Store } from './store.ts';
import { AslWorkflow } from './workflow.ts';

/** 06:30 in the client's time zone: after the night's full re-read of the restatement window, before the day's spend. */
export const DAILY_EXPRESSION = 'cron(30 6 * * ? *)';

export interface OptimizerProps {
  readonly client: string;
  readonly timezone: string;
  readonly projectRoot: string;
  readonly functions: FunctionFactory;
  readonly key: ClientKey;
  readonly store: Store;
  readonly bus: events.IEventBus;
  readonly secrets: PlatformSecrets;
  readonly scheduleGroup: scheduler.IScheduleGroup;
  readonly nag: NagAcknowledgements;
}

export class Optimizer extends Construct {
  public readonly functions: readonly AdPilotFunction[];
  public readonly workflow: AslWorkflow;
  public readonly invocations: ScheduledInvocations;

  constructor(scope: Construct, id: string, props: OptimizerProps) {
    super(scope, id);
    const { store, bus } = props;
    const loadState = props.functions.create(this, 'load-state');
    store.grantReadData(loadState);
    const evaluateTests = props.functions.create(this, 'evaluate-tests', { timeout: Duration.minutes(2) });
    store.grantReadWriteData(evaluateTests);
    bus.grantPutEventsTo(evaluateTests.function);
    const planBudgets = props.functions.create(this, 'plan-budgets', { timeout: Duration.minutes(2) });
    store.grantReadWriteData(planBudgets);
    const applyGuardrails = props.functions.create(this, 'apply-guardrails');
    store.grantReadData(applyGuardrails);
    // The only optimizer step that talks to the ad platforms: it writes budgets and reads them back.
    const applyBudgetChange = props.functions.create(this, 'apply-budget-change');
    store.grantReadWriteData(applyBudgetChange);
    bus.grantPutEventsTo(applyBudgetChange.function);
    props.secrets.grantUse(applyBudgetChange.function);
    const recordPlan = props.functions.create(this, 'record-plan');
    store.grantReadWriteData(recordPlan);
    bus.grantPutEventsTo(recordPlan.function);
    this.functions = [loadState, evaluateTests, planBudgets, applyGuardrails, applyBudgetChange, recordPlan];

    this.workflow = new AslWorkflow(this, 'Workflow', {
      client: props.client,
      machine: 'optimize',
      projectRoot: props.projectRoot,
      functions: new Map<FunctionId, lambda.IFunction>(this.functions.map((f) => [f.functionId, f.function])),
      key: props.key.key,
      nag: props.nag,
    });

    this.invocations = new ScheduledInvocations(this, 'Daily', {
      client: props.client,
      group: props.scheduleGroup,
      key: props.key,
      purpose: 'the optimize state machine',
      name: 'optimize',
      nag: props.nag,
    });
    this.invocations.allowStartExecution(this.workflow.stateMachine);
    this.invocations.addSchedule('Run', {
      name: 'optimize-daily',
      description: `adpilot ${props.client}: daily optimize run`,
      expression: DAILY_EXPRESSION,
      timezone: props.timezone,
      targetArn: this.workflow.stateMachine.stateMachineArn,
      input: SCHEDULED_DATE_INPUT,
      // Budgets move once a day; a run delivered hours late would still decide on the same data.
      retry: { maxEventAge: Duration.hours(6), attempts: 20 },
    });
  }
}
