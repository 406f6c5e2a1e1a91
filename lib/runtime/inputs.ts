/** Zod schemas of the events the handlers accept (state machine inputs, schedules, bus events). */
import { z } from 'zod';
import { Platform } from '../model/ads.ts';
import { isLocalDate } from '../model/dates.ts';

export const LocalDateInput = z.string().refine(isLocalDate, { message: 'expected a calendar date YYYY-MM-DD' });

export const IngestInput = z.object({
  platform: Platform,
  accountId: z.string().min(1),
  window: z.enum(['full', 'recent']).optional(),
  since: LocalDateInput.optional(),
});

/** detect-anomalies runs on a `Metrics Ingested` event from the bus (EventBridge envelope)... */
export const MetricsIngestedInput = z.object({
  'detail-type': z.literal('Metrics Ingested'),
  detail: z.object({ platform: Platform, accountId: z.string().min(1), to: LocalDateInput }),
});
/** ...and hourly on its own schedule, to find accounts gone silent: `{ "check": "freshness" }`. */
export const FreshnessCheckInput = z.strictObject({ check: z.literal('freshness') });
export const DetectInput = z.union([MetricsIngestedInput, FreshnessCheckInput]);

/** A calendar date, or the instant a schedule fired (read in the client's time zone by the use case). */
export const ScheduledDateInput = z.union([LocalDateInput, z.iso.datetime({ offset: true })], {
  error: 'expected a calendar date YYYY-MM-DD or an ISO instant',
});

export const DateInput = z.object({ date: ScheduledDateInput });
export const RunInput = z.object({ date: LocalDateInput, runId: z.string().min(1) });
export const PlanInput = z.object({ planId: z.string().min(1) });
export const ChangeInput = z.object({ planId: z.string().min(1), changeId: z.string().min(1) });
export const RecordInput = z.object({
  planId: z.string().min(1),
  mode: z.enum(['auto', 'approve', 'dry-run']),
  applied: z.array(z.object({ changeId: z.string(), outcome: z.string() }).loose()),
});
export const ReportInput = z.union([
  z.object({ week: z.string().regex(/^\d{4}-W\d{2}$/, 'expected an ISO week YYYY-Www') }),
  z.object({ date: ScheduledDateInput }),
]);
export const SendReportInput = z.object({ week: z.string().regex(/^\d{4}-W\d{2}$/, 'expected an ISO week YYYY-Www') });
