/** Hourly ingestion: one schedule per configured platform account invokes the ingest Lambda with `{ platform, accountId }`. */
import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { ConfiguredAccount } from '../../lib/config/platforms.ts';
import type { NagAcknowledgements } from '../nag.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { AdPilotFunction, FunctionFactory } from './functions.ts';
import type { ClientKey } from './key.ts';
import { ScheduledInvocations } from './schedules.ts';
import type { PlatformSecrets } from './secrets.ts';
import type { Store } from './store.ts';

/** Every hour, on the hour of the client's time zone, give or take the flexible window. */
export const HOURLY_EXPRESSION = 'cron(0 * * * ? *)';
/** Spreads the accounts' runs over the first quarter of the hour so they do not hit the APIs at the same second. */
export const INGEST_JITTER = Duration.minutes(15);

export interface IngestionProps {
  readonly client: string;
  readonly timezone: string;
  readonly accounts: readonly ConfiguredAccount[];
  readonly functions: FunctionFactory;
  readonly key: ClientKey;
  readonly store: Store;
  readonly bus: events.IEventBus;
  readonly secrets: PlatformSecrets;
  readonly scheduleGroup: scheduler.IScheduleGroup;
  readonly nag: NagAcknowledgements;
}

export class Ingestion extends Construct {
  public readonly ingest: AdPilotFunction;
  public readonly invocations: ScheduledInvocations;
  /** Ingest invocations that failed after Lambda's own retries. */
  public readonly failedRuns: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);
    this.failedRuns = new DeadLetterQueue(this, 'FailedRuns', {
      client: props.client,
      name: 'ingest-failed',
      key: props.key.key,
      collects: 'ingest invocations that still failed after Lambda retried them',
      namedByLambdaDeadLetterConfig: true,
      nag: props.nag,
    });
    this.ingest = props.functions.create(this, 'ingest', {
      // A first run of the day re-reads the restatement window (up to 90 days) page by page.
      timeout: Duration.minutes(10),
      memorySize: 1024,
      deadLetterQueue: this.failedRuns.queue,
    });
    props.store.grantReadWriteData(this.ingest);
    props.bus.grantPutEventsTo(this.ingest.function);
    props.secrets.grantUse(this.ingest.function);

    this.invocations = new ScheduledInvocations(this, 'Hourly', {
      client: props.client,
      group: props.scheduleGroup,
      key: props.key,
      purpose: 'the ingest function',
      name: 'ingest',
      nag: props.nag,
    });
    this.invocations.allowInvoke(this.ingest.function);
    for (const { platform, accountId } of props.accounts) {
      this.invocations.addSchedule(`${platform}-${accountId}`, {
        name: `ingest-${platform}-${accountId}`,
        description: `adpilot ${props.client}: hourly ingestion of ${platform} account ${accountId}`,
        expression: HOURLY_EXPRESSION,
        timezone: props.timezone,
        targetArn: this.ingest.function.functionArn,
        input: { platform, accountId },
        flexibleWindow: INGEST_JITTER,
        // A delivery older than an hour is superseded by the next hourly run.
        retry: { maxEventAge: Duration.hours(1), attempts: 10 },
      });
    }
  }
}
