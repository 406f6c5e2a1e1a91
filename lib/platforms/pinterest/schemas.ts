/**
 * zod schemas of the Pinterest API v5 wire format (../shared/PLATFORM_APIS.md §7.2). Ids are strings; money is
 * int64 micro-currency (JSON numbers; digit strings are accepted too, as some gateways render int64 that way).
 */
import { z } from 'zod';

const id = z.string().regex(/^\d+$/, 'expected a numeric id string');
/** An int64 as Pinterest sends it: a whole JSON number, or a digit string. */
export const Int64 = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'expected digits')]);
const optionalInt64 = Int64.nullable().optional();

/** The error body of every non-2xx answer. */
export const ErrorBody = z.object({ code: z.number().int(), message: z.string().optional() });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const AdAccount = z.object({
  id,
  name: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
  country: z.string().optional(),
});
export type AdAccount = z.infer<typeof AdAccount>;

export const EntityStatus = z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DRAFT', 'DELETED_DRAFT']);
export type EntityStatus = z.infer<typeof EntityStatus>;

export const Campaign = z.object({
  id,
  ad_account_id: id,
  name: z.string(),
  status: EntityStatus,
  daily_spend_cap: optionalInt64,
  lifetime_spend_cap: optionalInt64,
  is_campaign_budget_optimization: z.boolean().nullable().optional(),
});
export type Campaign = z.infer<typeof Campaign>;

export const AdGroup = z.object({
  id,
  ad_account_id: id,
  campaign_id: id,
  name: z.string(),
  status: EntityStatus,
  budget_in_micro_currency: optionalInt64,
  budget_type: z.enum(['DAILY', 'LIFETIME', 'CBO_ADGROUP']),
});
export type AdGroup = z.infer<typeof AdGroup>;

/** An ad (a promoted pin in an ad group), `GET /v5/ad_accounts/{id}/ads` [U: §7.2 is silent; P1's AdResponse]. */
export const Ad = z.object({
  id,
  ad_group_id: id,
  campaign_id: id,
  ad_account_id: id.optional(),
  name: z.string().nullable().optional(),
  status: EntityStatus,
  pin_id: z.string().nullable().optional(),
});
export type Ad = z.infer<typeof Ad>;

/** A list page: `{items, bookmark}`; `bookmark` null (or absent) on the last page. */
export function paginated<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), bookmark: z.string().min(1).nullable().optional() });
}

/** One analytics row: AD_GROUP_ID, DATE and one key per requested column (absent when it has no value). */
const metric = Int64.optional();
export const AnalyticsRow = z.object({
  AD_GROUP_ID: id,
  DATE: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  CAMPAIGN_ID: id.optional(),
  SPEND_IN_MICRO_DOLLAR: metric,
  IMPRESSION_1: metric,
  CLICKTHROUGH_1: metric,
  TOTAL_CHECKOUT: metric,
  TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR: metric,
});
export type AnalyticsRow = z.infer<typeof AnalyticsRow>;

/** `ad_groups/analytics` answers a bare array. */
export const AnalyticsRows = z.array(AnalyticsRow);

/** One `ads/analytics` row: AD_ID, DATE and the requested columns [U: P1's AdsAnalyticsResponse]. */
export const AdAnalyticsRow = AnalyticsRow.omit({ AD_GROUP_ID: true }).extend({ AD_ID: id, AD_GROUP_ID: id.optional() });
export type AdAnalyticsRow = z.infer<typeof AdAnalyticsRow>;
export const AdAnalyticsRows = z.array(AdAnalyticsRow);

export const ReportStatus = z.enum(['DOES_NOT_EXIST', 'FINISHED', 'IN_PROGRESS', 'EXPIRED', 'FAILED', 'CANCELLED']);
export const ReportCreated = z.object({ report_status: ReportStatus, token: z.string().min(1), message: z.string().nullable().optional() });
export const ReportPoll = z.object({
  report_status: ReportStatus,
  url: z.string().nullable().optional(),
  size: z.number().nullable().optional(),
});
/** The downloaded JSON report: an object keyed by entity id holding arrays of rows ([U] exact layout). */
export const ReportFile = z.record(z.string(), z.array(AnalyticsRow));

/** One element of a batch PATCH answer: the entity, or exceptions. */
function patchItem<T extends z.ZodType>(data: T) {
  return z.object({
    data: data.nullable().optional(),
    exceptions: z
      .array(z.object({ code: z.number().int().optional(), message: z.string().optional() }))
      .nullable()
      .optional(),
  });
}
export const AdGroupPatch = z.object({ items: z.array(patchItem(AdGroup)) });
export const CampaignPatch = z.object({ items: z.array(patchItem(Campaign)) });
export const AdPatch = z.object({ items: z.array(patchItem(Ad)) });

/** `POST /v5/oauth/token` (refresh): a new access token, and on continuous refresh a new refresh token. */
export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().int().optional(),
  refresh_token_expires_at: z.number().int().optional(),
  scope: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;
