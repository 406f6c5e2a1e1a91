/** One client's deployment: `AdPilot-<client>`, everything adpilot runs in AWS for that client. */
import { CfnOutput, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { configuredAccounts } from '../lib/config/platforms.ts';
import type { ClientDefinition } from './clients.ts';
import { Alarms } from './constructs/alarms.ts';
import { Alerts } from './constructs/alerts.ts';
import { ClientEventBus } from './constructs/event-bus.ts';
import { FunctionFactory } from './constructs/functions.ts';
import { Ingestion } from './constructs/ingestion.ts';
import { ClientKey } from './constructs/key.ts';
import { Optimizer } from './constructs/optimizer.ts';
import { Reporting } from './constructs/reporting.ts';
import { PlatformSecrets } from './constructs/secrets.ts';
import { Store } from './constructs/store.ts';
import { ClientDefinitionError } from './errors.ts';
import type { NagAcknowledgements } from './nag.ts';

export interface ClientStackProps extends StackProps {
  readonly definition: ClientDefinition;
  /** The folder holding package-lock.json, functions/, lib/ and statemachines/. */
  readonly projectRoot: string;
  readonly nag: NagAcknowledgements;
}

/**
 * Lambda limits all environment variables of a function to 4 KB together; the config is most of it
 * and the table, bus, secret ARNs and sender take the rest.
 */
const MAX_CONFIG_JSON = 2_500;

/** The stack name of a client. */
export function stackName(client: string): string {
  return `AdPilot-${client}`;
}

export class ClientStack extends Stack {
  public readonly store: Store;
  public readonly ingestion: Ingestion;
  public readonly optimizer: Optimizer;
  public readonly reporting: Reporting;
  public readonly alerts: Alerts;
  public readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: ClientStackProps) {
    const { definition, projectRoot, nag, ...stackProps } = props;
    const { config, input, file } = definition;
    super(scope, id, {
      description: `adpilot for ${config.client}: hourly ingestion, daily budget optimization, weekly ROI report, alerts`,
      ...stackProps,
    });
    const { client, timezone } = config;
    const sender = config.report.sender;
    if (!sender) {
      throw new ClientDefinitionError(
        `${file}: report.sender is required to deploy (the weekly report is sent from a verified SES identity)`,
        file,
      );
    }
    const configJson = JSON.stringify(input);
    if (configJson.length > MAX_CONFIG_JSON) {
      throw new ClientDefinitionError(
        `${file}: the config is ${configJson.length} characters as JSON; Lambda environments hold at most ${MAX_CONFIG_JSON} of it`,
        file,
      );
    }
    Tags.of(this).add('adpilot:client', client);

    const key = new ClientKey(this, 'Key', { client });
    this.store = new Store(this, 'Store', { key: key.key, nag });
    const secrets = new PlatformSecrets(this, 'Secrets', {
      client,
      platforms: [...new Set(configuredAccounts(config).map((a) => a.platform))],
      key: key.key,
      nag,
    });
    const { bus } = new ClientEventBus(this, 'Events', { client });
    const scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      scheduleGroupName: `adpilot-${client}`,
      // It holds only this stack's schedules; retained, its fixed name would block re-creating the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const configurationSetName = `adpilot-${client}`;
    const functions = new FunctionFactory({
      client,
      projectRoot,
      key: key.key,
      nag,
      environment: {
        ADPILOT_TABLE_NAME: this.store.table.tableName,
        ADPILOT_EVENT_BUS_NAME: bus.eventBusName,
        ADPILOT_CLIENT_CONFIG: configJson,
        ADPILOT_PLATFORM_SECRETS: secrets.environmentValue(),
        ADPILOT_SENDER: sender,
        ADPILOT_SES_CONFIGURATION_SET: configurationSetName,
      },
    });
    const shared = { client, functions, key, store: this.store, bus, nag };

    this.ingestion = new Ingestion(this, 'Ingestion', {
      ...shared,
      timezone,
      accounts: configuredAccounts(config),
      secrets,
      scheduleGroup,
    });
    this.optimizer = new Optimizer(this, 'Optimizer', { ...shared, timezone, projectRoot, secrets, scheduleGroup });
    this.reporting = new Reporting(this, 'Reporting', {
      ...shared,
      timezone,
      weekday: config.report.weekday,
      hour: config.report.hour,
      sender,
      configurationSetName,
      projectRoot,
      scheduleGroup,
    });
    this.alerts = new Alerts(this, 'Alerts', {
      ...shared,
      scheduleGroup,
      timezone,
      emails: config.alerts.emails,
      minSeverity: config.alerts.minSeverity,
      ...(config.alerts.webhookUrl ? { webhookUrl: config.alerts.webhookUrl } : {}),
    });
    this.alarms = new Alarms(this, 'Alarms', {
      client,
      topic: this.alerts.topic,
      functions: [this.ingestion.ingest, ...this.optimizer.functions, ...this.reporting.functions, this.alerts.detectAnomalies],
      workflows: [this.optimizer.workflow, this.reporting.workflow],
      deadLetterQueues: [
        this.ingestion.failedRuns,
        this.ingestion.invocations.deadLetters,
        this.optimizer.invocations.deadLetters,
        this.reporting.invocations.deadLetters,
        this.alerts.freshnessChecks.deadLetters,
        this.alerts.failedDetections,
        this.alerts.failedAlerts,
      ],
    });

    // What the operator tools need to address this deployment.
    new CfnOutput(this, 'TableName', { value: this.store.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
    new CfnOutput(this, 'OptimizeStateMachineArn', { value: this.optimizer.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'WeeklyReportStateMachineArn', { value: this.reporting.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
  }
}
