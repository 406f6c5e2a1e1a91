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

/**
 * `learning_stage_info` of an ad set (AdCampaignLearningStageInfo in Meta's SDKs): `status` is LEARNING, SUCCESS
 * or FAIL ("learning limited"); `conversions` counts optimization events since the last significant edit (0 once
 * the ad set has left learning); `last_sig_edit_ts` is in Unix seconds. Absent while an ad set has not delivered.
 */
export const MetaLearningStageInfo = z.object({
  status: z.string().min(1),
  conversions: z.number().int().nonnegative().optional(),
  last_sig_edit_ts: z.number().int().optional(),
  attribution_windows: z.array(z.string()).optional(),
});

/** A campaign as expanded inside an ad set (`campaign{name,daily_budget,lifetime_budget}`); budgets only under CBO. */
export const MetaCampaignRef = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  daily_budget: CountString.optional(),
  lifetime_budget: CountString.optional(),
});

/** An ad set node (`GET /{adset_id}` or a row of `/act_{id}/adsets`). Budgets are minor units as strings. */
export const MetaAdSet = z.object({
  id: z.string().min(1),
  name: z.string(),
  campaign_id: z.string().min(1),
  campaign: MetaCampaignRef.optional(),
  status: MetaAdSetStatus,
  effective_status: z.string().optional(),
  daily_budget: CountString.optional(),
  lifetime_budget: CountString.optional(),
  learning_stage_info: MetaLearningStageInfo.optional(),
});
export type MetaAdSet = z.infer<typeof MetaAdSet>;
export const MetaAdSetsPage = metaPage(MetaAdSet);

/** The budget read back after a write: `GET /{adset_id}?fields=id,daily_budget`. */
export const MetaAdSetBudget = z.object({
  id: z.string().min(1),
  daily_budget: CountString.optional(),
  status: MetaAdSetStatus.optional(),
});

/** The status read back after a status write: `GET /{adset_id}?fields=id,status,effective_status`. */
export const MetaAdSetStatusNode = z.object({
  id: z.string().min(1),
  status: MetaAdSetStatus,
  effective_status: z.string().optional(),
});

/** A campaign node (`GET /{campaign_id}` or a row of `/act_{id}/campaigns`); `daily_budget` only when it holds the budget (CBO). */
export const MetaCampaign = z.object({
  id: z.string().min(1),
  name: z.string(),
  status: MetaAdSetStatus,
  daily_budget: CountString.optional(),
  lifetime_budget: CountString.optional(),
});
export type MetaCampaign = z.infer<typeof MetaCampaign>;
export const MetaCampaignsPage = metaPage(MetaCampaign);

/** A campaign budget read back: `GET /{campaign_id}?fields=id,daily_budget`. */
export const MetaCampaignBudgetNode = z.object({ id: z.string().min(1), daily_budget: CountString.optional() });

/** What a budget write needs of the ad set: `GET /{adset_id}?fields=id,billing_event`. */
export const MetaAdSetBilling = z.object({ id: z.string().min(1), billing_event: z.string().min(1) });

/** An int32 the SDK types as string and the reference as int: both are accepted. */
const MinorAmount = z.union([z.number().int().nonnegative(), CountString.transform(Number)]);

/** One row of `GET /act_{id}/minimum_budgets`: minimum daily budgets in minor units, per billing-event family. */
export const MetaMinimumBudget = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
  min_daily_budget_imp: MinorAmount,
  min_daily_budget_high_freq: MinorAmount,
  min_daily_budget_low_freq: MinorAmount,
  min_daily_budget_video_views: MinorAmount,
});
export type MetaMinimumBudget = z.infer<typeof MetaMinimumBudget>;
export const MetaMinimumBudgetsPage = metaPage(MetaMinimumBudget);

/** Answer of `POST /act_{id}/insights` (an async report run). */
export const MetaReportRunCreated = z.object({ report_run_id: z.string().regex(/^\d+$/, 'expected a numeric id') });

/** `async_status` values of a report run. */
export const MetaAsyncStatus = z.enum(['Job Not Started', 'Job Started', 'Job Running', 'Job Completed', 'Job Failed', 'Job Skipped']);
export type MetaAsyncStatus = z.infer<typeof MetaAsyncStatus>;

/** `GET /{report_run_id}`: the job's progress. */
export const MetaReportRun = z.object({
  id: z.string().min(1),
  async_status: MetaAsyncStatus,
  async_percent_completion: z.number().int().min(0).max(100),
  date_start: LocalDateString.optional(),
  date_stop: LocalDateString.optional(),
  error_code: z.number().int().optional(),
  error_message: z.string().optional(),
  error_subcode: z.number().int().optional(),
});
export type MetaReportRun = z.infer<typeof MetaReportRun>;

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

/** One insights row at `level=ad`: an ad set row plus the ad's id. */
export const MetaAdInsightsRow = MetaInsightsRow.extend({ ad_id: z.string().min(1) });
export type MetaAdInsightsRow = z.infer<typeof MetaAdInsightsRow>;
export const MetaAdInsightsPage = metaPage(MetaAdInsightsRow);

/** An ad node (`GET /{ad_id}` or a row of `/act_{id}/ads`); statuses as for ad sets. */
export const MetaAd = z.object({
  id: z.string().min(1),
  name: z.string(),
  adset_id: z.string().min(1),
  campaign_id: z.string().min(1),
  status: MetaAdSetStatus,
  effective_status: z.string().optional(),
});
export type MetaAd = z.infer<typeof MetaAd>;
export const MetaAdsPage = metaPage(MetaAd);

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

const Pct = z.number().nonnegative();

/** `x-app-usage`: percentages of the app's hourly quota. */
export const AppUsage = z.object({ call_count: Pct.optional(), total_cputime: Pct.optional(), total_time: Pct.optional() });

/** `x-ad-account-usage`: `acc_id_util_pct` of the account's quota; `reset_time_duration` in seconds. */
export const AdAccountUsage = z.object({ acc_id_util_pct: Pct.optional(), reset_time_duration: z.number().nonnegative().optional() });

/** `x-fb-ads-insights-throttle`: percentages of the insights quota of the app and the account. */
export const InsightsThrottle = z.object({ app_id_util_pct: Pct.optional(), acc_id_util_pct: Pct.optional() });

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
