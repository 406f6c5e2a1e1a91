/**
 * The EventBridge Scheduler side of one concern: a role only this client's schedule group can make
 * the scheduler assume, a dead-letter queue for invocations the scheduler could not deliver, and
 * schedules in the client's time zone.
 */
import { createHash } from 'node:crypto';
import { Aws, type Duration, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { NagAcknowledgements } from '../nag.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { ClientKey } from './key.ts';

/**
 * The input of scheduled runs: `{ "date": "<aws.scheduler.scheduled-time>" }`. EventBridge Scheduler
 * cannot format a local date, so it fills in the scheduled instant (UTC, ISO 8601, e.g.
 * 2026-03-02T05:30:00Z; identical across retries and the flexible window); the first Task turns it
 * into the client's local date with the client time zone. Manual and local runs pass `YYYY-MM-DD`.
 */
export const SCHEDULED_DATE_INPUT = { date: scheduler.ContextAttribute.scheduledTime } as const;

export interface ScheduledInvocationsProps {
  readonly client: string;
  /** The client's schedule group; the role trusts the scheduler only on behalf of this group. */
  readonly group: scheduler.IScheduleGroup;
  readonly key: ClientKey;
  /** What the schedules invoke, for descriptions. */
  readonly purpose: string;
  /** Short kebab-case name of the concern (`ingest`, `optimize`, `report`), naming the dead-letter queue. */
  readonly name: string;
  readonly nag: NagAcknowledgements;
}

export interface ScheduleSpec {
  /** Name within the client's schedule group (made unique and at most 64 characters). */
  readonly name: string;
  readonly description: string;
  /** A cron() or rate() expression, evaluated in `timezone`. */
  readonly expression: string;
  /** IANA time zone of the client. */
  readonly timezone: string;
  /** ARN of the Lambda function or state machine to invoke; allow it first with allowInvoke/allowStartExecution. */
  readonly targetArn: string;
  /** JSON input of the target; may use scheduler context attributes such as <aws.scheduler.scheduled-time>. */
  readonly input: Readonly<Record<string, unknown>>;
  /**
   * Lets the scheduler start up to this long after the scheduled time (jitter).
   * @default - exactly on time
   */
  readonly flexibleWindow?: Duration;
  /** How long and how often the scheduler retries a delivery that failed (throttling, unavailable target). */
  readonly retry: { readonly maxEventAge: Duration; readonly attempts: number };
}

/** A role, a dead-letter queue and the schedules of one concern. */
export class ScheduledInvocations extends Construct {
  public readonly role: iam.Role;
  public readonly deadLetters: DeadLetterQueue;
  public readonly schedules: scheduler.Schedule[] = [];
  private readonly group: scheduler.IScheduleGroup;

  constructor(scope: Construct, id: string, props: ScheduledInvocationsProps) {
    super(scope, id);
    this.group = props.group;
    this.role = new iam.Role(this, 'Role', {
      description: `adpilot ${props.client}: EventBridge Scheduler invoking ${props.purpose}`,
      // Confused-deputy protection: only schedules of this account's client group may use the role.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: { 'aws:SourceArn': props.group.scheduleGroupArn },
        },
      }),
    });
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      client: props.client,
      name: `${props.name}-undelivered`,
      key: props.key.key,
      collects: `scheduled invocations of ${props.purpose} that the scheduler could not deliver`,
      nag: props.nag,
    });
    // Exact actions instead of queue.grantSendMessages, which would add kms:ReEncrypt* and kms:GenerateDataKey*.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetters.queue.queueArn] }));
    props.key.grantEncryptedSend(this.role);
  }

  /** Lets the schedules invoke exactly this function (unqualified ARN: no versions or aliases). */
  allowInvoke(fn: lambda.IFunction): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
  }

  /** Lets the schedules start executions of exactly this state machine. */
  allowStartExecution(stateMachine: sfn.IStateMachine): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] }),
    );
  }

  /** Adds a schedule invoking `spec.targetArn` with this role, dead-letter queue and retry policy. */
  addSchedule(id: string, spec: ScheduleSpec): scheduler.Schedule {
    const target: scheduler.IScheduleTarget = {
      bind: () => ({
        arn: spec.targetArn,
        role: this.role,
        input: scheduler.ScheduleTargetInput.fromObject(spec.input),
        retryPolicy: {
          maximumEventAgeInSeconds: spec.retry.maxEventAge.toSeconds(),
          maximumRetryAttempts: spec.retry.attempts,
        },
        deadLetterConfig: { arn: this.deadLetters.queue.queueArn },
      }),
    };
    const schedule = new scheduler.Schedule(this, id, {
      scheduleName: scheduleName(spec.name),
      description: spec.description,
      scheduleGroup: this.group,
      schedule: scheduler.ScheduleExpression.expression(spec.expression, TimeZone.of(spec.timezone)),
      timeWindow: spec.flexibleWindow ? scheduler.TimeWindow.flexible(spec.flexibleWindow) : scheduler.TimeWindow.off(),
      target,
    });
    this.schedules.push(schedule);
    return schedule;
  }
}

const MAX_NAME = 64;

/** Schedule names allow letters, digits, `-`, `_` and `.`, 64 at most; long names keep a readable prefix and a stable hash. */
export function scheduleName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_.-]/g, '-');
  if (clean.length <= MAX_NAME) return clean;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${clean.slice(0, MAX_NAME - hash.length - 1)}-${hash}`;
}
