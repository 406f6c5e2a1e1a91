/**
 * What happens on the client's bus: the rules of lib/events/rules.ts route `Metrics Ingested` to the
 * detect-anomalies Lambda, and anomalies at or above the client's `alerts.minSeverity` and failures to the
 * alert topic (email) and, when configured, to a webhook. An hourly schedule also runs detect-anomalies'
 * freshness check, which finds accounts gone silent (no event would).
 */
import { Aws, Duration, SecretValue } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ALERT_TEXT, type AlertRuleId } from '../../lib/events/alert-text.ts';
import { type AlertSeverity, type EventPattern, RULES, type RuleId, rulePatterns } from '../../lib/events/rules.ts';
import type { NagAcknowledgements } from '../nag.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { AdPilotFunction, FunctionFactory } from './functions.ts';
import type { ClientKey } from './key.ts';
import { ScheduledInvocations } from './schedules.ts';
import type { Store } from './store.ts';

/** The freshness check runs hourly at :50, after the hourly ingestion runs (:00, up to 15 minutes late, a few minutes long). */
export const FRESHNESS_EXPRESSION = 'cron(50 * * * ? *)';

/** Header carrying the shared token of the webhook, from the `adpilot/<client>/alerts-webhook` secret. */
export const WEBHOOK_TOKEN_HEADER = 'X-AdPilot-Token';

export interface AlertsProps {
  readonly client: string;
  readonly bus: events.IEventBus;
  /** Addresses subscribed to the alert topic (each confirms once by email). */
  readonly emails: readonly string[];
  /**
   * Where alerts are also POSTed.
   * @default - no webhook
   */
  readonly webhookUrl?: string;
  /**
   * The least severity of an `Anomaly Detected` event sent to the topic and the webhook (the client config's
   * `alerts.minSeverity`).
   * @default 'high'
   */
  readonly minSeverity?: AlertSeverity;
  readonly functions: FunctionFactory;
  readonly key: ClientKey;
  readonly store: Store;
  readonly nag: NagAcknowledgements;
  /** The client's schedule group and time zone, for the hourly freshness check. */
  readonly scheduleGroup: scheduler.IScheduleGroup;
  readonly timezone: string;
}

/** Converts a shared rule pattern (EventBridge JSON keys) to the CDK's EventPattern. */
export function toCdkPattern(pattern: EventPattern): events.EventPattern {
  return {
    ...(pattern.source ? { source: [...pattern.source] } : {}),
    ...(pattern['detail-type'] ? { detailType: [...pattern['detail-type']] } : {}),
    ...(pattern.detail ? { detail: pattern.detail } : {}),
  };
}

export class Alerts extends Construct {
  public readonly topic: sns.Topic;
  public readonly detectAnomalies: AdPilotFunction;
  public readonly rules: Readonly<Record<RuleId, events.Rule>>;
  /** detect-anomalies runs that failed: undeliverable rule events and invocations that failed after Lambda's retries. */
  public readonly failedDetections: DeadLetterQueue;
  /** Alerts the rules could not deliver to the topic or the webhook. */
  public readonly failedAlerts: DeadLetterQueue;
  public readonly webhook?: events.ApiDestination;
  /** The hourly freshness check's schedule, role and dead-letter queue. */
  public readonly freshnessChecks: ScheduledInvocations;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `adpilot-${props.client}-alerts`,
      displayName: `adpilot ${props.client} alerts`,
      masterKey: props.key.key,
      enforceSSL: true,
    });
    // The alarms of this client (named adpilot-<client>-…) publish here.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsOfThisClient',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:adpilot-${props.client}-*` },
        },
      }),
    );
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    this.failedDetections = new DeadLetterQueue(this, 'FailedDetections', {
      client: props.client,
      name: 'detect-failed',
      key: props.key.key,
      collects: 'Metrics Ingested events detect-anomalies could not process',
      namedByLambdaDeadLetterConfig: true,
      nag: props.nag,
    });
    this.failedAlerts = new DeadLetterQueue(this, 'FailedAlerts', {
      client: props.client,
      name: 'alerts-undelivered',
      key: props.key.key,
      collects: 'alerts the bus could not deliver to the topic or the webhook',
      nag: props.nag,
    });

    this.detectAnomalies = props.functions.create(this, 'detect-anomalies', {
      timeout: Duration.minutes(2),
      deadLetterQueue: this.failedDetections.queue,
    });
    props.store.grantReadWriteData(this.detectAnomalies);
    props.bus.grantPutEventsTo(this.detectAnomalies.function);

    this.freshnessChecks = new ScheduledInvocations(this, 'Freshness', {
      client: props.client,
      group: props.scheduleGroup,
      key: props.key,
      purpose: 'the freshness check of detect-anomalies',
      name: 'freshness',
      nag: props.nag,
    });
    this.freshnessChecks.allowInvoke(this.detectAnomalies.function);
    this.freshnessChecks.addSchedule('Hourly', {
      name: 'freshness-hourly',
      description: `adpilot ${props.client}: hourly check that every account's data is fresh`,
      expression: FRESHNESS_EXPRESSION,
      timezone: props.timezone,
      targetArn: this.detectAnomalies.function.functionArn,
      input: { check: 'freshness' },
      // A check older than an hour is superseded by the next one.
      retry: { maxEventAge: Duration.hours(1), attempts: 10 },
    });

    const delivery = (queue: DeadLetterQueue) => ({ deadLetterQueue: queue.queue, retryAttempts: 8, maxEventAge: Duration.hours(6) });
    if (props.webhookUrl) this.webhook = this.createWebhook(props, props.webhookUrl);
    // People read a sentence (lib/events/alert-text.ts), not the event's JSON: the e-mail gets the text, the
    // webhook a Slack-style {"text": …} with the detail alongside for receivers that parse it.
    const alertTargets = (ruleId: AlertRuleId): events.IRuleTarget[] => {
      const text = ALERT_TEXT[ruleId].replace(/<(\w+)>/g, (_, field: string) => events.EventField.fromPath(`$.detail.${field}`));
      const topic = new targets.SnsTopic(this.topic, { ...delivery(this.failedAlerts), message: events.RuleTargetInput.fromText(text) });
      if (this.webhook === undefined) return [topic];
      const body = events.RuleTargetInput.fromObject({ text, detail: events.EventField.fromPath('$.detail') });
      return [topic, new targets.ApiDestination(this.webhook, { ...delivery(this.failedAlerts), event: body })];
    };
    // The same patterns the local bus subscribes with (lib/events/rules.ts), for this client's severity.
    const patterns = rulePatterns({ minSeverity: props.minSeverity ?? 'high' });
    const rule = (ruleId: RuleId, ruleTargets: events.IRuleTarget[]) =>
      new events.Rule(this, ruleId, {
        eventBus: props.bus,
        description: RULES[ruleId].description,
        eventPattern: toCdkPattern(patterns[ruleId]),
        targets: ruleTargets,
      });
    this.rules = {
      detectAfterIngest: rule('detectAfterIngest', [
        new targets.LambdaFunction(this.detectAnomalies.function, delivery(this.failedDetections)),
      ]),
      alertOnAnomaly: rule('alertOnAnomaly', alertTargets('alertOnAnomaly')),
      alertOnFailure: rule('alertOnFailure', alertTargets('alertOnFailure')),
      alertOnIngestionFailure: rule('alertOnIngestionFailure', alertTargets('alertOnIngestionFailure')),
    };
  }

  /**
   * An API destination POSTing each alert event to the webhook, authenticated by a shared token the
   * receiver checks (generated into a secret of this client at deploy time).
   */
  private createWebhook(props: AlertsProps, url: string): events.ApiDestination {
    const token = new secretsmanager.Secret(this, 'WebhookToken', {
      secretName: `adpilot/${props.client}/alerts-webhook`,
      description: `adpilot ${props.client}: token sent in the ${WEBHOOK_TOKEN_HEADER} header of alert webhooks`,
      encryptionKey: props.key.key,
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });
    props.nag.acknowledge(
      token,
      'AwsSolutions-SMG4',
      'The webhook token is shared with the receiving endpoint, which is outside AWS; rotating it needs the receiver updated in step, so the operator rotates it by hand.',
    );
    const connection = new events.Connection(this, 'WebhookConnection', {
      description: `adpilot ${props.client}: alert webhook`,
      authorization: events.Authorization.apiKey(WEBHOOK_TOKEN_HEADER, SecretValue.secretsManager(token.secretArn)),
    });
    return new events.ApiDestination(this, 'Webhook', {
      description: `adpilot ${props.client}: alert webhook`,
      connection,
      endpoint: url,
      httpMethod: events.HttpMethod.POST,
      rateLimitPerSecond: 1,
    });
  }
}
