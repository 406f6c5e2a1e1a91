/**
 * zod schemas of the X Ads API v12 wire format (../shared/PLATFORM_APIS.md §7.1). Identifiers are strings,
 * money is integer micros of the account currency (`*_local_micro`), collections come as `data: []` with
 * `next_cursor`, single entities as `data: {}`. Unknown fields are allowed: X adds fields between versions.
 */
import { z } from 'zod';

const id = z.string().min(1);
const micros = z.number().int().nonnegative().safe();
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code');

/** `{"errors": [{code, message, parameter?}], "request": {...}}`. */
export const ErrorBody = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string().optional(), parameter: z.string().optional() }).loose()).min(1),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A collection page: `data` and an opaque `next_cursor` (null on the last page). */
export function page<S extends z.ZodType>(row: S) {
  return z.object({ data: z.array(row), next_cursor: z.string().min(1).nullable().optional() });
}

/** A single entity: `data` is an object. */
export function single<S extends z.ZodType>(entity: S) {
  return z.object({ data: entity });
}

export const Account = z.object({
  id,
  name: z.string(),
  timezone: z.string().min(1),
  timezone_switch_at: z.string().nullable().optional(),
  deleted: z.boolean().optional(),
});
export type Account = z.infer<typeof Account>;

/** Funding instruments carry the account's currency [U]: §7.1 does not name it on the account. */
export const FundingInstrument = z.object({
  id,
  currency,
  entity_status: z.string().optional(),
  deleted: z.boolean().optional(),
});

export const Campaign = z.object({
  id,
  name: z.string(),
  entity_status: z.string(),
  budget_optimization: z.string().nullable().optional(),
  daily_budget_amount_local_micro: micros.nullable().optional(),
  total_budget_amount_local_micro: micros.nullable().optional(),
  currency,
  deleted: z.boolean().optional(),
});
export type Campaign = z.infer<typeof Campaign>;

export const LineItem = z.object({
  id,
  campaign_id: id,
  name: z.string(),
  entity_status: z.string(),
  daily_budget_amount_local_micro: micros.nullable().optional(),
  total_budget_amount_local_micro: micros.nullable().optional(),
  currency: currency.optional(),
  deleted: z.boolean().optional(),
});
export type LineItem = z.infer<typeof LineItem>;

/** One metric over the steps of a stats request: an array with one value per step (null ≡ 0), or null when nothing was served. */
const countSeries = z.array(z.number().int().nonnegative().safe().nullable()).nullable().optional();
/** `sale_amount` may be micros or major units [U], so it is any non-negative number here and converted by the connector. */
const amountSeries = z.array(z.number().nonnegative().nullable()).nullable().optional();

/** A WEB_CONVERSION metric: a JSON object of per-step arrays ([U] per §7.1.5), or null. */
export const ConversionMetric = z
  .object({ metric: countSeries, sale_amount: amountSeries, order_quantity: countSeries })
  .loose()
  .nullable()
  .optional();

export const StatsMetrics = z
  .object({
    impressions: countSeries,
    clicks: countSeries,
    billed_charge_local_micro: countSeries,
    conversion_purchases: ConversionMetric,
  })
  .loose();
export type StatsMetrics = z.infer<typeof StatsMetrics>;

/** The synchronous stats answer, also the body of a downloaded async job. */
export const StatsResponse = z.object({
  data_type: z.literal('stats').optional(),
  time_series_length: z.number().int().nonnegative(),
  data: z.array(
    z.object({
      id,
      id_data: z.array(z.object({ segment: z.unknown().optional(), metrics: StatsMetrics })),
    }),
  ),
});
export type StatsResponse = z.infer<typeof StatsResponse>;

/** An async stats job. `id` is a JSON number past 2^53, so only `id_str` is used. */
export const StatsJob = z.object({
  id: z.union([z.number(), z.string()]),
  id_str: z.string().regex(/^\d+$/, 'expected a numeric id string'),
  status: z.string().min(1),
  url: z.string().url().nullable().optional(),
  expires_at: z.string().nullable().optional(),
});
export type StatsJob = z.infer<typeof StatsJob>;

/**
 * A promoted tweet (an ad: a tweet tied to a line item), `GET /12/accounts/:id/promoted_tweets` [U: §7.1 is silent;
 * shape from X's reference]. It has no name of its own; `name` is read when present [U].
 */
export const PromotedTweet = z.object({
  id,
  line_item_id: id,
  tweet_id: id,
  entity_status: z.string(),
  approval_status: z.string().optional(),
  name: z.string().nullable().optional(),
  deleted: z.boolean().optional(),
});
export type PromotedTweet = z.infer<typeof PromotedTweet>;
