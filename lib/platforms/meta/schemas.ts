/**
 * Zod schemas of the Meta Graph API payloads the connector reads (../shared/PLATFORM_APIS.md §1).
 * Graph writes money and counts as strings; they stay strings here and are converted exactly later.
 * Unknown keys are dropped, so new fields from Meta do not break parsing.
 */
import { z } from 'zod';

/** A whole number written as a string ("361324"). */
export const CountString = z.string().regex(/^\d+$/, 'expected a whole number as a string');
/** A non-negative decimal written as a string ("5339.5", "3272.50"). */
export const DecimalString = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal number as a string');
const LocalDateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** `GET /act_{id}?fields=currency,timezone_name,name,timezone_offset_hours_utc`. */
export const MetaAccount = z.object({
  id: z.string().min(1),
  name: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
  timezone_name: z.string().min(1),
  timezone_offset_hours_utc: z.number().optional(),
});
export type MetaAccount = z.infer<typeof MetaAccount>;

/** `paging` of an edge: cursors, and `next` until the last page. */
export const MetaPaging = z.object({
  cursors: z.object({ before: z.string(), after: z.string() }).optional(),
  next: z.url().optional(),
  previous: z.url().optional(),
});

/** A page of an edge: `{ data: [...], paging }`. */
export function metaPage<Row extends z.ZodType>(row: Row) {
  return z.object({ data: z.array(row), paging: MetaPaging.optional() });
}

export const MetaAdSetStatus = z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']);

/** An ad set node (`GET /{adset_id}` or a row of `/act_{id}/adsets`). Budgets are minor units as strings. */
export const MetaAdSet = z.object({
  id: z.string().min(1),
  name: z.string(),
  campaign_id: z.string().min(1),
  campaign: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  status: MetaAdSetStatus,
  effective_status: z.string().optional(),
  daily_budget: CountString.optional(),
  lifetime_budget: CountString.optional(),
});
export type MetaAdSet = z.infer<typeof MetaAdSet>;
export const MetaAdSetsPage = metaPage(MetaAdSet);

/** The budget read back after a write: `GET /{adset_id}?fields=daily_budget,status`. */
export const MetaAdSetBudget = z.object({
  id: z.string().min(1),
  daily_budget: CountString.optional(),
  status: MetaAdSetStatus.optional(),
});

/** One `AdsActionStats` entry; per-window keys (`1d_click`, …) are ignored. */
export const MetaActionStat = z.object({ action_type: z.string().min(1), value: DecimalString });
export type MetaActionStat = z.infer<typeof MetaActionStat>;

/** One insights row at `level=adset`, `time_increment=1`. */
export const MetaInsightsRow = z.object({
  account_currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
  campaign_id: z.string().min(1),
  adset_id: z.string().min(1),
  date_start: LocalDateString,
  date_stop: LocalDateString,
  spend: DecimalString,
  impressions: CountString,
  clicks: CountString,
  actions: z.array(MetaActionStat).optional(),
  action_values: z.array(MetaActionStat).optional(),
});
export type MetaInsightsRow = z.infer<typeof MetaInsightsRow>;
export const MetaInsightsPage = metaPage(MetaInsightsRow);

/** Answer of a write: `{"success": true}`. */
export const MetaSuccess = z.object({ success: z.literal(true) });

/** Meta's error body. */
export const MetaErrorBody = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    is_transient: z.boolean().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    fbtrace_id: z.string().optional(),
  }),
});
export type MetaErrorBody = z.infer<typeof MetaErrorBody>;

/** `x-business-use-case-usage`: per business or account id, usage entries; `estimated_time_to_regain_access` is in minutes. */
export const BusinessUseCaseUsage = z.record(
  z.string(),
  z.array(
    z.object({
      type: z.string().optional(),
      call_count: z.number().optional(),
      total_cputime: z.number().optional(),
      total_time: z.number().optional(),
      estimated_time_to_regain_access: z.number().nonnegative().optional(),
    }),
  ),
);
