/**
 * Zod schemas of the Google Ads REST payloads the connector reads (../shared/PLATFORM_APIS.md §2), in the
 * proto3 JSON mapping: lowerCamelCase keys, int64 as decimal strings, doubles as numbers, enums as names.
 * Unknown keys are dropped, so fields Google adds do not break parsing.
 */
import { z } from 'zod';

/** An int64 written as a string ("12340000"); ids and counts are never negative. */
export const UInt64String = z.string().regex(/^\d+$/, 'expected a non-negative int64 as a decimal string');
/** A double written as a JSON number. */
export const Double = z.number();
const LocalDateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** google.rpc.Status as REST writes it in `{"error": …}`. */
export const RpcStatus = z.object({
  code: z.number().int(),
  message: z.string(),
  status: z.string().optional(),
  details: z.array(z.unknown()).optional(),
});
export type RpcStatus = z.infer<typeof RpcStatus>;

/** An error response (or a stream element carrying one). */
export const RpcErrorBody = z.object({ error: RpcStatus });

/** One GoogleAdsError of a GoogleAdsFailure. */
export const GoogleAdsError = z.object({
  errorCode: z.record(z.string(), z.string()).optional(),
  message: z.string().optional(),
  details: z
    .object({
      quotaErrorDetails: z
        .object({ rateScope: z.string().optional(), rateName: z.string().optional(), retryDelay: z.string().optional() })
        .optional(),
    })
    .optional(),
});
export type GoogleAdsError = z.infer<typeof GoogleAdsError>;

/** `details[]` entry `type.googleapis.com/google.ads.googleads.vNN.errors.GoogleAdsFailure`. */
export const GoogleAdsFailure = z.object({
  '@type': z.string().regex(/\.GoogleAdsFailure$/),
  errors: z.array(GoogleAdsError).default([]),
  requestId: z.string().optional(),
});

/** `details[]` entry `type.googleapis.com/google.rpc.RetryInfo`. */
export const RetryInfo = z.object({ '@type': z.string().regex(/\.RetryInfo$/), retryDelay: z.string() });

/** One batch of a searchStream response (the body is a JSON array of them); `results` is left out when empty. */
export function streamBatch<Row extends z.ZodType>(row: Row) {
  return z.object({
    results: z.array(row).default([]),
    fieldMask: z.string().optional(),
    requestId: z.string().optional(),
    queryResourceConsumption: UInt64String.optional(),
  });
}

/** `SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone FROM customer`. */
export const CustomerRow = z.object({
  customer: z.object({
    resourceName: z.string(),
    id: UInt64String,
    descriptiveName: z.string().optional(),
    currencyCode: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
    timeZone: z.string().min(1),
  }),
});
export type CustomerRow = z.infer<typeof CustomerRow>;

export const CampaignStatus = z.enum(['ENABLED', 'PAUSED', 'REMOVED', 'UNKNOWN']);

/** A campaign with its budget (see gaql.ts CAMPAIGN_FIELDS). `campaignBudget` is absent for a campaign without one. */
export const CampaignRow = z.object({
  campaign: z.object({
    resourceName: z.string(),
    id: UInt64String,
    name: z.string(),
    status: CampaignStatus,
    biddingStrategySystemStatus: z.string().optional(),
  }),
  campaignBudget: z
    .object({
      resourceName: z.string().regex(/^customers\/\d+\/campaignBudgets\/\d+$/, 'expected customers/{id}/campaignBudgets/{id}'),
      id: UInt64String,
      // Absent for a custom-period (total) budget.
      amountMicros: UInt64String.optional(),
      // proto3 JSON leaves out false; true is always written.
      explicitlyShared: z.boolean().optional(),
      referenceCount: UInt64String.optional(),
      period: z.string().optional(),
    })
    .optional(),
});
export type CampaignRow = z.infer<typeof CampaignRow>;

/** A daily metric row (see gaql.ts METRIC_FIELDS). Selected metrics are always written, zeros included. */
export const MetricRow = z.object({
  campaign: z.object({ resourceName: z.string(), id: UInt64String }),
  segments: z.object({ date: LocalDateString }),
  metrics: z.object({
    impressions: UInt64String,
    clicks: UInt64String,
    costMicros: UInt64String,
    conversions: Double,
    conversionsValue: Double,
  }),
});
export type MetricRow = z.infer<typeof MetricRow>;

/** An ad group ad (see gaql.ts AD_FIELDS): `adGroupAd.resourceName` is `customers/{c}/adGroupAds/{adGroupId}~{adId}`. */
export const AdRow = z.object({
  adGroupAd: z.object({
    resourceName: z.string().regex(/^customers\/\d+\/adGroupAds\/\d+~\d+$/, 'expected customers/{id}/adGroupAds/{adGroupId}~{adId}'),
    // Left out when empty (proto3 JSON): most ad types have no name.
    ad: z.object({ id: UInt64String, name: z.string().optional() }),
    status: CampaignStatus,
  }),
  adGroup: z.object({ resourceName: z.string(), id: UInt64String }),
  campaign: z.object({ resourceName: z.string(), id: UInt64String }),
});
export type AdRow = z.infer<typeof AdRow>;

/** A daily ad metric row (see gaql.ts AD_METRIC_FIELDS). */
export const AdMetricRow = MetricRow.extend({
  adGroupAd: z.object({ resourceName: z.string(), ad: z.object({ id: UInt64String }) }),
});
export type AdMetricRow = z.infer<typeof AdMetricRow>;

/** `SELECT currency_constant.code, currency_constant.billable_unit_micros FROM currency_constant WHERE …`. */
export const CurrencyConstantRow = z.object({
  currencyConstant: z.object({
    resourceName: z.string(),
    code: z.string(),
    billableUnitMicros: UInt64String,
  }),
});

/** Answer of `campaignBudgets:mutate` and `campaigns:mutate`; `results` is left out in a validate-only call. */
export const MutateResponse = z.object({
  results: z.array(z.object({ resourceName: z.string().optional() })).default([]),
  partialFailureError: RpcStatus.optional(),
});
