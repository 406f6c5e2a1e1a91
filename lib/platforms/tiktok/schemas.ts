/**
 * zod schemas of the TikTok API for Business v1.3 wire format (../shared/PLATFORM_APIS.md §3). Every answer is
 * an envelope `{code, message, request_id, data}`, also errors (HTTP 200 with a non-zero code).
 */
import { z } from 'zod';

const id = z.string().regex(/^\d+$/, 'expected a numeric id string');
/** Metrics are strings, but fixtures also hold numbers and null. */
const metric = z.union([z.string(), z.number(), z.null()]).optional();

/** The envelope of every answer. */
export const Envelope = z.object({
  code: z.number().int(),
  message: z.string(),
  request_id: z.string().optional(),
  data: z.unknown().optional(),
});
export type Envelope = z.infer<typeof Envelope>;

export const PageInfo = z.object({
  page: z.number().int().positive(),
  page_size: z.number().int().positive(),
  total_number: z.number().int().nonnegative(),
  total_page: z.number().int().nonnegative(),
});

/** The metrics adpilot asks of `report/integrated/get`, at any data level. */
export const ReportMetrics = z.object({
  spend: metric,
  impressions: metric,
  clicks: metric,
  complete_payment: metric,
  total_complete_payment_rate: metric,
  campaign_id: id,
});
export type ReportMetrics = z.infer<typeof ReportMetrics>;

/** One row of `report/integrated/get` at data_level AUCTION_ADGROUP with dimensions [adgroup_id, stat_time_day]. */
export const ReportRow = z.object({
  dimensions: z.object({ adgroup_id: id, stat_time_day: z.string() }),
  metrics: ReportMetrics,
});
export type ReportRow = z.infer<typeof ReportRow>;

/** One row at data_level AUCTION_AD with dimensions [ad_id, stat_time_day]; the ad group is the `adgroup_id` attribute metric. */
export const AdReportRow = z.object({
  dimensions: z.object({ ad_id: id, stat_time_day: z.string() }),
  metrics: ReportMetrics.extend({ adgroup_id: id }),
});
export type AdReportRow = z.infer<typeof AdReportRow>;
export const AdReportPage = z.object({ list: z.array(AdReportRow), page_info: PageInfo });

export const ReportPage = z.object({ list: z.array(ReportRow), page_info: PageInfo });

export const AdGroup = z.object({
  adgroup_id: id,
  adgroup_name: z.string(),
  campaign_id: id,
  campaign_name: z.string().optional(),
  operation_status: z.enum(['ENABLE', 'DISABLE', 'DELETE', 'FROZEN']),
  budget_mode: z.enum(['BUDGET_MODE_DAY', 'BUDGET_MODE_TOTAL', 'BUDGET_MODE_INFINITE', 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET']),
  budget: z.union([z.number().nonnegative(), z.string()]).nullable().optional(),
});
export type AdGroup = z.infer<typeof AdGroup>;

export const AdGroupPage = z.object({ list: z.array(AdGroup), page_info: PageInfo });

export const AdvertiserInfo = z.object({
  list: z
    .array(
      z.object({
        advertiser_id: id,
        name: z.string(),
        currency: z.string().regex(/^[A-Z]{3}$/),
        timezone: z.string().min(1),
      }),
    )
    .min(1),
});

/** An ad of `ad/get` with the fields adpilot asks for ([U] `ad/get` is not in PLATFORM_APIS.md; shape from TikTok's SDK). */
export const TikTokAd = z.object({
  ad_id: id,
  ad_name: z.string(),
  adgroup_id: id,
  campaign_id: id,
  operation_status: AdGroup.shape.operation_status,
});
export type TikTokAd = z.infer<typeof TikTokAd>;
export const AdPage = z.object({ list: z.array(TikTokAd), page_info: PageInfo });

/** Answer of `ad/status/update` ([U] the exact fields; only `ad_ids` is read). */
export const AdStatusUpdate = z.object({ ad_ids: z.array(id).optional() });

export const AdGroupUpdate = z.object({ adgroup_id: id });

/** Answer of `adgroup/status/update`: the ad groups it changed ([U] the exact fields; only `adgroup_ids` is read). */
export const AdGroupStatusUpdate = z.object({ adgroup_ids: z.array(id).optional() });
