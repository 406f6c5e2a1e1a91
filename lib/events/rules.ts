/**
 * Event patterns of the bus rules: the CDK rules (infra/) and the local bus (lib/local/bus.ts)
 * use these same objects, so routing is identical in both places.
 */
import { EVENT_SOURCE } from './schemas.ts';

/** An EventBridge event pattern (the subset adpilot uses: exact values, prefix, anything-but). */
export type EventPattern = {
  readonly source?: readonly string[];
  readonly 'detail-type'?: readonly string[];
  readonly detail?: Readonly<
    Record<string, readonly (string | number | boolean | { prefix: string } | { 'anything-but': readonly string[] })[]>
  >;
};

/** Severities of `Anomaly Detected`, least urgent first. */
export const ALERT_SEVERITIES = ['low', 'medium', 'high'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The severities at or above `minSeverity`, least urgent first: what an alert rule lets through. */
export function severitiesFrom(minSeverity: AlertSeverity): AlertSeverity[] {
  return ALERT_SEVERITIES.slice(ALERT_SEVERITIES.indexOf(minSeverity));
}

/** The pattern of the anomaly alert rule for a client's `alerts.minSeverity`. */
export function anomalyAlertPattern(minSeverity: AlertSeverity): EventPattern {
  return { source: [EVENT_SOURCE], 'detail-type': ['Anomaly Detected'], detail: { severity: severitiesFrom(minSeverity) } };
}

export const RULES = {
  /** After each ingestion, run the anomaly detectors for that account. */
  detectAfterIngest: {
    description: 'Runs detect-anomalies after metrics of an account are ingested',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['Metrics Ingested'] },
  },
  /** Anomalies go to people from the client's `alerts.minSeverity` up; this is the default (high only). */
  alertOnAnomaly: {
    description: 'Sends anomalies at or above the alert severity to the alert topic',
    pattern: anomalyAlertPattern('high'),
  },
  /** Failures that need a human go to people too: a budget write that failed... */
  alertOnFailure: {
    description: 'Sends failed budget changes to the alert topic',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['Budget Change Failed'] },
  },
  /**
   * ...and an ingestion that failed for a reason retrying will not fix (an expired token, a lost permission, an
   * answer adpilot cannot read). A retryable failure (throttling, a platform's 5xx) is not sent: the next hourly
   * run retries it, and if the silence lasts, the freshness check announces stale data.
   */
  alertOnIngestionFailure: {
    description: 'Sends ingestions that failed for a reason retrying will not fix to the alert topic',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['Ingestion Failed'], detail: { retryable: [false] } },
  },
} as const satisfies Record<string, { description: string; pattern: EventPattern }>;

export type RuleId = keyof typeof RULES;

/** What decides a client's routing: the `alerts` block of its config (only minSeverity changes a pattern). */
export interface RoutingOptions {
  readonly minSeverity: AlertSeverity;
}

/**
 * Every rule's pattern for one client: RULES, with the anomaly alert rule at the client's minimum severity.
 * CDK deploys these and the local bus subscribes with them, so both route the same events.
 */
export function rulePatterns(options: RoutingOptions): Record<RuleId, EventPattern> {
  return {
    detectAfterIngest: RULES.detectAfterIngest.pattern,
    alertOnAnomaly: anomalyAlertPattern(options.minSeverity),
    alertOnFailure: RULES.alertOnFailure.pattern,
    alertOnIngestionFailure: RULES.alertOnIngestionFailure.pattern,
  };
}
