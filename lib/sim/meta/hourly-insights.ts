/** The rows of the fake's hourly insights breakdown, rendered as Graph writes them (numbers as strings, spend in major units). */
import type { AdAccount } from '../../model/ads.ts';
import { microsToDecimal } from '../../model/money.ts';
import type { MarketSimulator } from '../market.ts';
import { type IntradayOptions, type SimHour, splitDay, todaysHours } from './hourly.ts';
import type { ReportRunQuery } from './report-runs.ts';

/** Meta's breakdown by hour of the ad account's time zone. */
export const HOURLY_BREAKDOWN = 'hourly_stats_aggregated_by_advertiser_time_zone';

const hh = (hour: number) => String(hour).padStart(2, '0');

/** Hourly rows of `query`'s dates: complete days split from the market's reported rows, today's complete hours so far. */
export function hourlyInsightsRows(
  market: MarketSimulator,
  account: AdAccount,
  query: ReportRunQuery,
  options: IntradayOptions,
): Record<string, unknown>[] {
  const adsets = new Map(market.adsets(account.accountId).map((a) => [a.adsetId, a]));
  const hours: SimHour[] = [];
  for (const row of market.reportedResults(account.accountId, query.since, query.until)) {
    const adset = adsets.get(row.adsetId);
    if (adset) hours.push(...splitDay(row, adset, row.date, options));
  }
  if (query.until >= market.today(account.accountId)) hours.push(...todaysHours(market, account.accountId, options));
  return hours.map((h) => {
    const all: Record<string, unknown> = {
      account_id: account.accountId.replace(/^act_/, ''),
      account_name: account.name,
      account_currency: account.currency,
      campaign_id: h.adset.campaignId,
      campaign_name: h.adset.campaignName,
      adset_id: h.adset.adsetId,
      adset_name: h.adset.name,
      impressions: String(h.impressions),
      clicks: String(h.clicks),
      spend: microsToDecimal(h.spendMicros, 0),
    };
    const out: Record<string, unknown> = {};
    for (const name of query.fields) if (all[name] !== undefined) out[name] = all[name];
    out.date_start = h.date;
    out.date_stop = h.date;
    out[HOURLY_BREAKDOWN] = `${hh(h.hour)}:00:00 - ${hh(h.hour)}:59:59`;
    return out;
  });
}
