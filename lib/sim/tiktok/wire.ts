/**
 * Wire helpers of the fake TikTok API shared by its ad-group and ad routes: JSON query parameters, `page` +
 * `page_info` paging, money in major units and report rows at any data level.
 */
import type { DailyMetric } from '../../model/ads.ts';
import { microsToDecimal, minorUnitOffset } from '../../model/money.ts';
import type { TikTokRequest } from './api.ts';
import { TikTokApiError } from './errors.ts';

/** TikTok's largest page. */
export const MAX_PAGE_SIZE = 1000;

/** Money as TikTok writes it: major units, 2 decimals (0 for zero-decimal currencies), more only when needed to be exact. */
export function majorUnits(micros: number, currency: string): string {
  return microsToDecimal(micros, minorUnitOffset(currency) === 1 ? 0 : 2);
}

/** A plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON-encoded query parameter, required. */
export function jsonParam(request: TikTokRequest, name: string): unknown {
  const raw = request.query[name];
  if (raw === undefined) throw new TikTokApiError(40002, `${name}: Field required.`);
  try {
    return JSON.parse(raw);
  } catch {
    throw new TikTokApiError(40002, `${name}: Not a valid JSON.`);
  }
}

/** One page of `all` by the request's `page` and `page_size` (default 10, max 1000), with `page_info`. */
export function paged(request: TikTokRequest, all: readonly unknown[]): unknown {
  const page = request.query.page === undefined ? 1 : Number(request.query.page);
  const pageSize = request.query.page_size === undefined ? 10 : Number(request.query.page_size);
  if (!Number.isInteger(page) || page < 1) throw new TikTokApiError(40002, 'page: Must be greater than or equal to 1.');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw new TikTokApiError(40002, `page_size: Must be between 1 and ${MAX_PAGE_SIZE}.`);
  return {
    list: all.slice((page - 1) * pageSize, page * pageSize),
    page_info: { page, page_size: pageSize, total_number: all.length, total_page: Math.ceil(all.length / pageSize) },
  };
}

/**
 * A report row with `dimensions` (the entity's id and `stat_time_day`) and the asked `metrics`: strings in major
 * units, and "-" for a conversion value that has no conversions ([U] sentinel). `adgroup_id` and `campaign_id` are
 * attribute metrics.
 */
export function reportRow(row: DailyMetric, metrics: readonly string[], entity: Readonly<Record<string, string>>): Record<string, unknown> {
  const all: Record<string, string> = {
    spend: majorUnits(row.spendMicros, row.currency),
    impressions: String(row.impressions),
    clicks: String(row.clicks),
    complete_payment: String(row.conversions),
    total_complete_payment_rate: row.conversions === 0 && row.revenueMicros === 0 ? '-' : majorUnits(row.revenueMicros, row.currency),
    campaign_id: row.campaignId,
    adgroup_id: row.adsetId,
  };
  const chosen = Object.fromEntries(metrics.filter((m) => m in all).map((m) => [m, all[m]]));
  return { dimensions: { ...entity, stat_time_day: `${row.date} 00:00:00` }, metrics: chosen };
}
