/**
 * What people read of each alert: one plain sentence per alert rule, the same in the SNS e-mail, in the
 * webhook's Slack-style `{"text": …}` and in the local alerts file. `<field>` stands for a field of the event's
 * detail: CDK turns each into an EventBridge input-transformer variable (EventBridge escapes the values), and
 * the local bus fills them in with `alertText`.
 */
import type { RuleId } from './rules.ts';

/** The rules whose events go to people. */
export type AlertRuleId = Exclude<RuleId, 'detectAfterIngest'>;

export const ALERT_TEXT: Readonly<Record<AlertRuleId, string>> = {
  alertOnAnomaly: 'adpilot <client> · <severity> · <faultType> · <adsetName> (<platform>, <date>): <hint>',
  alertOnFailure: 'adpilot <client> · budget change failed · <adsetName> (<platform>): <error>',
  alertOnIngestionFailure: 'adpilot <client> · ingestion failed · <platform> account <accountId>, and retrying will not fix it: <reason>',
};

/** The detail fields a rule's text names, in order of first use. */
export function alertFields(rule: AlertRuleId): string[] {
  return [...new Set([...ALERT_TEXT[rule].matchAll(/<(\w+)>/g)].map((m) => m[1] ?? ''))];
}

/** A rule's text for one event's detail; a field the detail lacks reads as empty, as EventBridge renders it. */
export function alertText(rule: AlertRuleId, detail: Readonly<Record<string, unknown>>): string {
  return ALERT_TEXT[rule].replace(/<(\w+)>/g, (_, field: string) => {
    const value = detail[field];
    return value === undefined || value === null ? '' : String(value);
  });
}
