/** An encrypted SQS queue that collects what a schedule, a rule or an asynchronous invocation could not deliver. */
import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { NagAcknowledgements } from '../nag.ts';

export interface DeadLetterQueueProps {
  readonly client: string;
  /** Short kebab-case name: the queue is `adpilot-<client>-<name>`, its alarm `adpilot-<client>-<name>-depth`. */
  readonly name: string;
  /** The client key that encrypts the messages. */
  readonly key: kms.IKey;
  /** What fails into this queue, for the acknowledgement and the alarm description. */
  readonly collects: string;
  /**
   * Whether a Lambda function's DeadLetterConfig names this queue.
   * @default false
   */
  readonly namedByLambdaDeadLetterConfig?: boolean;
  readonly nag: NagAcknowledgements;
}

/** KMS-encrypted, TLS-only, messages kept for the 14 days SQS allows at most. */
export class DeadLetterQueue extends Construct {
  public readonly queue: sqs.Queue;
  public readonly collects: string;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.collects = props.collects;
    this.name = props.name;
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `adpilot-${props.client}-${props.name}`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // cdk-nag counts a queue as a dead-letter queue only when a Lambda DeadLetterConfig or an SQS redrive
    // names it; schedules and rule targets name theirs where it does not look.
    if (!props.namedByLambdaDeadLetterConfig) {
      props.nag.acknowledge(
        this.queue,
        'AwsSolutions-SQS3',
        `This queue is itself a dead-letter queue (${props.collects}); its depth raises an alarm, and a dead-letter queue of a dead-letter queue would only hide failures.`,
      );
    }
  }
}
