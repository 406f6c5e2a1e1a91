/** CloudWatch alarms of a client: failed executions, Lambda errors and dead letters all go to the alert topic. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import type { AdPilotFunction } from './functions.ts';
import type { AslWorkflow } from './workflow.ts';

export interface AlarmsProps {
  readonly client: string;
  readonly topic: sns.ITopic;
  readonly functions: readonly AdPilotFunction[];
  readonly workflows: readonly AslWorkflow[];
  readonly deadLetterQueues: readonly DeadLetterQueue[];
}

const PERIOD = Duration.minutes(5);

/** One alarm per function, state machine and dead-letter queue, each firing on the first occurrence in 5 minutes. */
export class Alarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];
  private readonly props: AlarmsProps;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.props = props;
    this.action = new actions.SnsAction(props.topic);
    for (const fn of props.functions) {
      this.add(
        `${fn.functionId}-errors`,
        `${fn.functionId} raised an error`,
        fn.function.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      );
    }
    for (const workflow of props.workflows) {
      this.add(
        `${workflow.machine}-executions-failed`,
        `an execution of the ${workflow.machine} state machine failed`,
        workflow.stateMachine.metricFailed({ period: PERIOD, statistic: 'Sum' }),
      );
    }
    for (const dlq of props.deadLetterQueues) {
      this.add(
        `${dlq.name}-depth`,
        `dead letters are waiting: ${dlq.collects}`,
        dlq.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      );
    }
  }

  private add(name: string, what: string, metric: cloudwatch.IMetric): void {
    const alarm = new cloudwatch.Alarm(this, name, {
      // Named adpilot-<client>-…: the alert topic's policy admits alarms by this prefix.
      alarmName: `adpilot-${this.props.client}-${name}`,
      alarmDescription: `adpilot ${this.props.client}: ${what}`,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
