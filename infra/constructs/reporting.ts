/**
 * The weekly ROI report: build-report and send-report, the weekly-report state machine
 * (statemachines/weekly-report.asl.json), its weekly schedule and the SES v2 configuration set.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { WEEKDAYS } from '../../lib/config/schema.ts';
import type { FunctionId } from '../../lib/workflows/tasks.ts';
import type { NagAcknowledgements } from '../nag.ts';
import type { AdPilotFunction, FunctionFactory, ShippedModules } from './functions.ts';
import type { ClientKey } from './key.ts';
import { SCHEDULED_DATE_INPUT, ScheduledInvocations } from './schedules.ts';
import type { Store } from './store.ts';
import { AslWorkflow } from './workflow.ts';

export type Weekday = (typeof WEEKDAYS)[number];

const CRON_DAYS: Record<Weekday, string> = {
  monday: 'MON',
  tuesday: 'TUE',
  wednesday: 'WED',
  thursday: 'THU',
  friday: 'FRI',
  saturday: 'SAT',
  sunday: 'SUN',
};

/** The weekly schedule: `hour`:00 on `weekday`, in the client's time zone. */
export function weeklyExpression(weekday: Weekday, hour: number): string {
  return `cron(0 ${hour} ? * ${CRON_DAYS[weekday]} *)`;
}

/**
 * What the report functions need beside their bundle: they import lib/report/charts.ts, which rasterises
 * with resvg (a native addon esbuild cannot bundle) and reads DejaVu Sans from node_modules at run time.
 * The only resvg binary installed here is linux-x64-gnu, so these two functions run on x86_64; with
 * @resvg/resvg-js-linux-arm64-gnu installed (or resvg's WASM build) they could join the others on ARM.
 */
export const CHART_RENDERING: ShippedModules = {
  architecture: lambda.Architecture.X86_64,
  external: ['@resvg/resvg-js'],
  paths: ['@resvg/resvg-js', '@resvg/resvg-js-linux-x64-gnu', 'dejavu-fonts-ttf/package.json', 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf'],
};

export interface ReportingProps {
  readonly client: string;
  readonly timezone: string;
  readonly weekday: Weekday;
  readonly hour: number;
  /** The verified SES identity the report is sent from (an address; its domain may be the verified identity). */
  readonly sender: string;
  /** Name of the SES configuration set (known before it exists: the functions' environment names it). */
  readonly configurationSetName: string;
  readonly projectRoot: string;
  readonly functions: FunctionFactory;
  readonly key: ClientKey;
  readonly store: Store;
  readonly bus: events.IEventBus;
  readonly scheduleGroup: scheduler.IScheduleGroup;
  readonly nag: NagAcknowledgements;
}

export class Reporting extends Construct {
  public readonly functions: readonly AdPilotFunction[];
  public readonly workflow: AslWorkflow;
  public readonly configurationSet: ses.ConfigurationSet;
  public readonly invocations: ScheduledInvocations;

  constructor(scope: Construct, id: string, props: ReportingProps) {
    super(scope, id);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    const buildReport = props.functions.create(this, 'build-report', {
      timeout: Duration.minutes(2),
      memorySize: 1024,
      shipped: CHART_RENDERING,
    });
    props.store.grantReadWriteData(buildReport);
    const sendReport = props.functions.create(this, 'send-report', {
      timeout: Duration.minutes(2),
      memorySize: 1024,
      shipped: CHART_RENDERING,
    });
    props.store.grantReadWriteData(sendReport);
    props.bus.grantPutEventsTo(sendReport.function);
    sendReport.role.addToPrincipalPolicy(this.sendAsSender(props.sender));
    this.functions = [buildReport, sendReport];

    this.workflow = new AslWorkflow(this, 'Workflow', {
      client: props.client,
      machine: 'weekly-report',
      projectRoot: props.projectRoot,
      functions: new Map<FunctionId, lambda.IFunction>(this.functions.map((f) => [f.functionId, f.function])),
      key: props.key.key,
      nag: props.nag,
    });

    this.invocations = new ScheduledInvocations(this, 'Weekly', {
      client: props.client,
      group: props.scheduleGroup,
      key: props.key,
      purpose: 'the weekly-report state machine',
      name: 'report',
      nag: props.nag,
    });
    this.invocations.allowStartExecution(this.workflow.stateMachine);
    this.invocations.addSchedule('Run', {
      name: 'weekly-report',
      description: `adpilot ${props.client}: weekly ROI report, ${props.weekday} ${props.hour}:00`,
      expression: weeklyExpression(props.weekday, props.hour),
      timezone: props.timezone,
      targetArn: this.workflow.stateMachine.stateMachineArn,
      input: SCHEDULED_DATE_INPUT,
      // A report that cannot be delivered the same day is better sent late than never (it is idempotent per week).
      retry: { maxEventAge: Duration.hours(12), attempts: 20 },
    });
  }

  /**
   * Sending only as `sender`: SES authorizes against the identity that is verified (the address or its
   * domain) and the configuration set named in the request; the condition pins the From address.
   */
  private sendAsSender(sender: string): iam.PolicyStatement {
    const stack = Stack.of(this);
    const domain = sender.slice(sender.lastIndexOf('@') + 1);
    return new iam.PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: sender }),
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
        stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': sender } },
    });
  }
}
