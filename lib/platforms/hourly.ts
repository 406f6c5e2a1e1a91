/**
 * Hourly delivery, an optional connector capability: platforms that report spend by hour of the account's day
 * (Meta's `hourly_stats_aggregated_by_advertiser_time_zone` breakdown) let the "budget exhausted early" detector
 * judge the day while it is still running. The shared PlatformConnector port stays as it is; a use case asks
 * `hasHourlyMetrics(connector)` before calling `fetchHourlyMetrics`.
 */
import { z } from 'zod';
import { type AdAccount, Platform } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';
import type { PlatformConnector } from './port.ts';

/** One ad set's delivery in one hour of an account-local date (hour 0 = 00:00–01:00 in the account's time zone). */
export const HourlyMetric = z.object({
  platform: Platform,
  accountId: z.string().min(1),
  adsetId: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  hour: z.number().int().min(0).max(23),
  spendMicros: z.number().int().nonnegative().safe(),
  impressions: z.number().int().nonnegative().safe(),
  clicks: z.number().int().nonnegative().safe(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
});
export type HourlyMetric = z.infer<typeof HourlyMetric>;

/** The capability: hourly rows of every ad set of an account on one account-local date. */
export interface HourlyMetricsSource {
  /** One row per ad set per hour with delivery on `date` (account time zone), as the platform reports it now. */
  fetchHourlyMetrics(account: AdAccount, date: LocalDate): Promise<HourlyMetric[]>;
}

/** Whether a connector can report hourly delivery. */
export function hasHourlyMetrics<C extends PlatformConnector>(connector: C): connector is C & HourlyMetricsSource {
  return typeof (connector as Partial<HourlyMetricsSource>).fetchHourlyMetrics === 'function';
}
