/**
 * Meta's hourly insights: `GET /act_{id}/insights?level=adset&breakdowns=hourly_stats_aggregated_by_advertiser_time_zone`
 * for one account-local day. PLATFORM_APIS.md §1 lists `breakdowns` without naming this one; the breakdown name and
 * its value format ("HH:00:00 - HH:59:59", hours of the ad account's time zone) are the Graph API's documented ones.
 */
import { z } from 'zod';
import type { AdAccount } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import { decimalToMicros } from '../../model/money.ts';
import { MalformedResponseError } from '../errors.ts';
import type { HourlyMetric } from '../hourly.ts';
import { type MetaContext, metaAccountNode, rowField } from './context.ts';
import { CountString, DecimalString, metaPage } from './schemas.ts';

/** The breakdown that splits a day by hour of the ad account's time zone. */
export const HOURLY_BREAKDOWN = 'hourly_stats_aggregated_by_advertiser_time_zone';
/** Fields asked of the hourly insights (the breakdown's own field comes with it). */
export const HOURLY_FIELDS = 'account_currency,campaign_id,adset_id,date_start,date_stop,spend,impressions,clicks';

/** One hourly insights row at `level=adset`. */
export const MetaHourlyInsightsRow = z.object({
  account_currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
  campaign_id: z.string().min(1),
  adset_id: z.string().min(1),
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  date_stop: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  spend: DecimalString,
  impressions: CountString,
  clicks: CountString,
  [HOURLY_BREAKDOWN]: z.string().regex(/^\d{2}:00:00 - \d{2}:59:59$/, 'expected an hour like "14:00:00 - 14:59:59"'),
});
export type MetaHourlyInsightsRow = z.infer<typeof MetaHourlyInsightsRow>;
export const MetaHourlyInsightsPage = metaPage(MetaHourlyInsightsRow);

/**
 * Delivery per ad set per hour of one account-local day (the `hourly_stats_aggregated_by_advertiser_time_zone`
 * breakdown, sync edge: one day is small). Rows come back only when every page parsed.
 */
export async function fetchHourlyMetrics(ctx: MetaContext, account: AdAccount, date: LocalDate): Promise<HourlyMetric[]> {
  const path = `/${metaAccountNode(account.accountId)}/insights`;
  const endpoint = ctx.client.endpoint('GET', path);
  const query = {
    level: 'adset',
    time_increment: '1',
    breakdowns: HOURLY_BREAKDOWN,
    time_range: JSON.stringify({ since: date, until: date }),
    fields: HOURLY_FIELDS,
    limit: String(ctx.pageSize),
  };
  const pages = await ctx.collect(path, query, MetaHourlyInsightsPage);
  return pages.flatMap((page, p) => page.map((row, index) => toHourlyMetric(row, account, date, { endpoint, page: p, index })));
}

/** Where a row sits in the answer, for errors that name the field. */
export interface RowPosition {
  readonly endpoint: string;
  readonly page: number;
  readonly index: number;
}

/** A normalized hourly row from one Meta row of `date`; a row of another day, currency or a malformed hour is rejected. */
export function toHourlyMetric(row: MetaHourlyInsightsRow, account: AdAccount, date: string, at: RowPosition): HourlyMetric {
  const field = rowField(at.page, at.index);
  const fail = (name: string, why: string, cause?: unknown) =>
    new MalformedResponseError(
      `Meta ${at.endpoint}: ${field(name)} ${why}`,
      { platform: 'meta', endpoint: at.endpoint, status: 200, ...(cause === undefined ? {} : { cause }) },
      field(name),
    );
  if (row.date_start !== date || row.date_stop !== date)
    throw fail('date_start', `is ${row.date_start}..${row.date_stop}, asked for ${date}`);
  if (row.account_currency !== account.currency)
    throw fail('account_currency', `is ${row.account_currency}, the account reports in ${account.currency}`);
  const slot = row[HOURLY_BREAKDOWN];
  const hour = Number(slot.slice(0, 2));
  if (hour > 23 || slot.slice(11, 13) !== slot.slice(0, 2))
    throw fail(HOURLY_BREAKDOWN, `is not one hour of the day (${JSON.stringify(slot)})`);
  let spendMicros: number;
  try {
    spendMicros = decimalToMicros(row.spend);
  } catch (error) {
    throw fail('spend', `is not an exact amount (${JSON.stringify(row.spend)})`, error);
  }
  const count = (name: 'impressions' | 'clicks') => {
    const n = Number(row[name]);
    if (!Number.isSafeInteger(n)) throw fail(name, 'is out of range');
    return n;
  };
  return {
    platform: 'meta',
    accountId: account.accountId,
    adsetId: row.adset_id,
    date,
    hour,
    spendMicros,
    impressions: count('impressions'),
    clicks: count('clicks'),
    currency: account.currency,
  };
}
