/**
 * The Alerts construct on its own stack: the anomaly alert rule follows the client's `alerts.minSeverity`,
 * with the same pattern the local bus subscribes with, and routes to the topic and the webhook.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { describe, expect, it } from 'vitest';
import { Alerts } from '../../infra/constructs/alerts.ts';
import { FunctionFactory } from '../../infra/constructs/functions.ts';
import { ClientKey } from '../../infra/constructs/key.ts';
import { Store } from '../../infra/constructs/store.ts';
import { NagAcknowledgements } from '../../infra/nag.ts';
import { ALERT_TEXT, alertFields } from '../../lib/events/alert-text.ts';
import { type AlertSeverity, RULES, rulePatterns } from '../../lib/events/rules.ts';
import { PROJECT_ROOT } from './synth.ts';
import { type Json, render, resources } from './template-helpers.ts';

/** A stack holding only what Alerts needs, synthesized without bundling the function. */
function alertsTemplate(options: { minSeverity?: AlertSeverity; webhookUrl?: string }): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'AlertsUnderTest');
  const nag = new NagAcknowledgements();
  const key = new ClientKey(stack, 'Key', { client: 'acme' });
  const store = new Store(stack, 'Store', { key: key.key, nag });
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'adpilot-acme' });
  const functions = new FunctionFactory({
    client: 'acme',
    projectRoot: PROJECT_ROOT,
    key: key.key,
    nag,
    environment: {
      ADPILOT_TABLE_NAME: 'table',
      ADPILOT_EVENT_BUS_NAME: 'adpilot-acme',
      ADPILOT_CLIENT_CONFIG: '{}',
      ADPILOT_PLATFORM_SECRETS: '{}',
      ADPILOT_SENDER: 'adpilot@acme.example',
      ADPILOT_SES_CONFIGURATION_SET: 'adpilot-acme',
    },
  });
  new Alerts(stack, 'Alerts', {
    client: 'acme',
    bus,
    emails: ['oncall@acme.example'],
    ...(options.webhookUrl === undefined ? {} : { webhookUrl: options.webhookUrl }),
    ...(options.minSeverity === undefined ? {} : { minSeverity: options.minSeverity }),
    functions,
    key,
    store,
    nag,
    scheduleGroup: new scheduler.ScheduleGroup(stack, 'Schedules', { scheduleGroupName: 'adpilot-acme' }),
    timezone: 'Europe/Paris',
  });
  return Template.fromStack(stack);
}

function anomalyRule(template: Template) {
  const rule = resources(template, 'AWS::Events::Rule').find((r) => r.properties.Description === RULES.alertOnAnomaly.description);
  if (rule === undefined) throw new Error('no anomaly alert rule');
  return rule;
}

/** The rendered target ARNs of a rule, sorted. */
function targetsOf(rule: { properties: Record<string, Json> }): string[] {
  return ((rule.properties.Targets ?? []) as { Arn: Json }[]).map((t) => render(t.Arn)).sort();
}

describe('Alerts: routing of Anomaly Detected by alerts.minSeverity', () => {
  it('lets only high-severity anomalies through by default', () => {
    expect(anomalyRule(alertsTemplate({})).properties.EventPattern).toEqual({
      source: ['adpilot'],
      'detail-type': ['Anomaly Detected'],
      detail: { severity: ['high'] },
    });
  });

  it.each([
    ['low', ['low', 'medium', 'high']],
    ['medium', ['medium', 'high']],
    ['high', ['high']],
  ] as const)('minSeverity %s routes severities %j, the pattern the local bus uses', (minSeverity, severities) => {
    const pattern = anomalyRule(alertsTemplate({ minSeverity })).properties.EventPattern;
    expect(pattern).toEqual({ source: ['adpilot'], 'detail-type': ['Anomaly Detected'], detail: { severity: [...severities] } });
    expect(pattern).toEqual(rulePatterns({ minSeverity }).alertOnAnomaly);
  });

  it('sends the routed anomalies to the SNS topic and the webhook API destination', () => {
    const template = alertsTemplate({ minSeverity: 'medium', webhookUrl: 'https://hooks.acme.example/adpilot' });
    const topic = resources(template, 'AWS::SNS::Topic')[0]?.logicalId;
    const destination = resources(template, 'AWS::Events::ApiDestination')[0]?.logicalId;
    expect(targetsOf(anomalyRule(template))).toEqual([`<${destination}.Arn>`, `<${topic}>`].sort());
    // The failure rule is not affected by the anomaly severity.
    const failure = resources(template, 'AWS::Events::Rule').find((r) => r.properties.Description === RULES.alertOnFailure.description);
    expect(failure?.properties.EventPattern).toEqual(RULES.alertOnFailure.pattern);
  });

  it('mails a sentence and posts a Slack-style {"text"} with the detail, both from the shared alert text', () => {
    const template = alertsTemplate({ webhookUrl: 'https://hooks.acme.example/adpilot' });
    const destination = resources(template, 'AWS::Events::ApiDestination')[0]?.logicalId ?? '';
    const inputs = ((anomalyRule(template).properties.Targets ?? []) as { Arn: Json; InputTransformer: Json }[]).map((t) => ({
      to: render(t.Arn).includes(destination) ? 'webhook' : 'topic',
      transformer: t.InputTransformer as { InputPathsMap: Record<string, string>; InputTemplate: string },
    }));
    const paths = Object.fromEntries(alertFields('alertOnAnomaly').map((f) => [`detail-${f}`, `$.detail.${f}`]));
    const text = ALERT_TEXT.alertOnAnomaly.replace(/<(\w+)>/g, '<detail-$1>');
    expect(inputs.find((i) => i.to === 'topic')?.transformer).toEqual({ InputPathsMap: paths, InputTemplate: JSON.stringify(text) });
    expect(inputs.find((i) => i.to === 'webhook')?.transformer).toEqual({
      InputPathsMap: { ...paths, detail: '$.detail' },
      InputTemplate: `{"text":${JSON.stringify(text)},"detail":<detail>}`,
    });
  });

  it('sends to the topic only when no webhook is configured', () => {
    const template = alertsTemplate({ minSeverity: 'low' });
    const topic = resources(template, 'AWS::SNS::Topic')[0]?.logicalId;
    expect(resources(template, 'AWS::Events::ApiDestination')).toEqual([]);
    expect(targetsOf(anomalyRule(template))).toEqual([`<${topic}>`]);
  });
});
