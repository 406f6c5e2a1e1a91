/**
 * EventBridge events of adpilot: `source: adpilot`, one zod schema per detail-type.
 * Every detail carries a version, the client and a deterministic id so that re-delivery is harmless.
 */
import { z } from 'zod';
import { Platform } from '../model/ads.ts';

export const EVENT_SOURCE = 'adpilot';

const base = {
  version: z.literal(1),
  id: z.string().min(1),
  client: z.string().min(1),
};
const entity = {
  platform: Platform,
  accountId: z.string(),
  adsetId: z.string(),
  adsetName: z.string(),
};

export const MetricsIngested = z.object({
  ...base,
  platform: Platform,
  accountId: z.string(),
  from: z.string(),
  to: z.string(),
  rowsWritten: z.number().int().nonnegative(),
  rowsUnchanged: z.number().int().nonnegative(),
  adsets: z.number().int().nonnegative(),
});
export const IngestionFailed = z.object({
  ...base,
  platform: Platform,
  accountId: z.string(),
  reason: z.string(),
  errorName: z.string(),
  retryable: z.boolean(),
});
export const AnomalyDetected = z.object({
  ...base,
  ...entity,
  date: z.string(),
  faultType: z.string(),
  metric: z.string(),
  observed: z.number(),
  expected: z.object({ low: z.number(), high: z.number() }),
  severity: z.enum(['low', 'medium', 'high']),
  hint: z.string(),
});
export const AbTestEvaluated = z.object({
  ...base,
  testId: z.string(),
  date: z.string(),
  decision: z.enum(['continue', 'winner', 'futility', 'invalid']),
  summary: z.string(),
});
export const AbTestConcluded = AbTestEvaluated.extend({ winnerAdsetId: z.string().nullable() });
export const BudgetPlanCreated = z.object({
  ...base,
  planId: z.string(),
  date: z.string(),
  mode: z.enum(['auto', 'approve', 'dry-run']),
  changes: z.number().int().nonnegative(),
  holds: z.number().int().nonnegative(),
  totalBeforeMicros: z.number().int(),
  totalAfterMicros: z.number().int(),
  currency: z.string(),
});
export const BudgetChanged = z.object({
  ...base,
  ...entity,
  planId: z.string(),
  changeId: z.string(),
  currency: z.string(),
  beforeMicros: z.number().int(),
  afterMicros: z.number().int(),
  reason: z.string(),
});
export const BudgetChangeFailed = BudgetChanged.omit({ afterMicros: true }).extend({
  requestedMicros: z.number().int(),
  error: z.string(),
});
export const BudgetChangeReverted = BudgetChanged.extend({ revertedChangeId: z.string() });
/** An ad set or one ad paused (a concluded test's loser), or re-activated (the undo of such a pause). */
export const StatusChanged = z.object({
  ...base,
  ...entity,
  /** What changed: the ad set, or one ad in it (`adId`, `adName`). */
  level: z.enum(['adset', 'ad']),
  adId: z.string().optional(),
  adName: z.string().optional(),
  planId: z.string(),
  changeId: z.string(),
  statusBefore: z.enum(['ACTIVE', 'PAUSED']),
  statusAfter: z.enum(['ACTIVE', 'PAUSED']),
  reason: z.string(),
  /** For an undo: the change it undoes. */
  revertedChangeId: z.string().nullable(),
});
export const WeeklyReportSent = z.object({
  ...base,
  week: z.string(),
  recipients: z.number().int().nonnegative(),
  messageId: z.string(),
});

export const EVENT_SCHEMAS = {
  'Metrics Ingested': MetricsIngested,
  'Ingestion Failed': IngestionFailed,
  'Anomaly Detected': AnomalyDetected,
  'AB Test Evaluated': AbTestEvaluated,
  'AB Test Concluded': AbTestConcluded,
  'Budget Plan Created': BudgetPlanCreated,
  'Budget Changed': BudgetChanged,
  'Budget Change Failed': BudgetChangeFailed,
  'Budget Change Reverted': BudgetChangeReverted,
  'Status Changed': StatusChanged,
  'Weekly Report Sent': WeeklyReportSent,
} as const;

export type DetailType = keyof typeof EVENT_SCHEMAS;
export const DETAIL_TYPES = Object.keys(EVENT_SCHEMAS) as DetailType[];
export type EventDetail<T extends DetailType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

/** An event as published (the PutEvents entry shape, with the detail still an object). */
export interface AdpilotEvent<T extends DetailType = DetailType> {
  source: typeof EVENT_SOURCE;
  detailType: T;
  detail: EventDetail<T>;
  /** When the fact happened, from the injected clock. */
  time: string;
}
