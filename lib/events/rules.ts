/**
 * Event patterns of the bus rules: the CDK rules (infra/) and the local bus (lib/local/bus.ts)
 * use these same objects, so routing is identical in both places.
 */
import { EVENT_SOURCE } from './schemas.ts';

/** An EventBridge event pattern (the subset adpilot uses: exact values, prefix, anything-but). */
export type EventPattern = {
  readonly source?: readonly string[];
  readonly 'detail-type'?: readonly string[];
  readonly detail?: Readonly<Record<string, readonly (string | number | { prefix: string } | { 'anything-but': readonly string[] })[]>>;
};

export const RULES = {
  /** After each ingestion, run the anomaly detectors for that account. */
  detectAfterIngest: {
    description: 'Runs detect-anomalies after metrics of an account are ingested',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['Metrics Ingested'] },
  },
  /** High-severity anomalies go to people. */
  alertOnAnomaly: {
    description: 'Sends high-severity anomalies to the alert topic',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['Anomaly Detected'], detail: { severity: ['high'] } },
  },
  /** Failures that need a human go to people too. */
  alertOnFailure: {
    description: 'Sends failed budget changes and failed ingestions to the alert topic',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['Budget Change Failed', 'Ingestion Failed'] },
  },
} as const satisfies Record<string, { description: string; pattern: EventPattern }>;

export type RuleId = keyof typeof RULES;
