/**
 * Hourly delivery for the fake Graph API's `hourly_stats_aggregated_by_advertiser_time_zone` breakdown. The market
 * simulates whole days only, so the fake splits each day over the hours by a deterministic intraday profile (quiet
 * nights, a lunch bump, an evening peak, a few percent of noise per ad set, date and hour). Complete days split the
 * market's reported row; today, which the market has not simulated, is what the day's budget would deliver at the
 * usual pace, served only for the hours already past at the market clock. `exhaustEarly` makes an ad set spend its
 * whole daily budget by a given hour of a date: the "budget exhausted early" fault.
 */
import type { AdSet, DailyMetric } from '../../model/ads.ts';
import { type LocalDate, zonedTimeToInstant } from '../../model/dates.ts';
import { floorToBillable, MICROS_PER_UNIT, minorUnitOffset } from '../../model/money.ts';
import type { MarketSimulator } from '../market.ts';
import { Rng } from '../random.ts';

/** An ad set that spends its whole daily budget in hours 0..`lastHour` of `date`, and nothing after. */
export interface EarlyExhaustion {
  readonly adsetId: string;
  readonly date: LocalDate;
  readonly lastHour: number;
}

/** How the fake splits days into hours. */
export interface IntradayOptions {
  /** Ad sets that run out of budget early on a date (default: none). */
  readonly exhaustEarly?: readonly EarlyExhaustion[];
  /** Relative noise of each hour's share (default 0.1: ±10%). */
  readonly noise?: number;
}

/** One ad set's delivery in one hour, in the fake's units. */
export interface SimHour {
  readonly adset: AdSet;
  readonly date: LocalDate;
  readonly hour: number;
  readonly spendMicros: number;
  readonly impressions: number;
  readonly clicks: number;
}

/** The usual share of a day's delivery by account-local hour (sums to 1). */
export const INTRADAY_PROFILE: readonly number[] = (() => {
  const raw = Array.from({ length: 24 }, (_, h) => 0.08 + Math.exp(-(((h - 20) / 3.5) ** 2)) + 0.5 * Math.exp(-(((h - 12.5) / 2.5) ** 2)));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / total);
})();

/** Today's spend share of the budget at the usual pace (the market's median day spends 0.97 of it). */
const TODAY_SPEND_SHARE = 0.97;

/** Splits a whole `total` over `weights` exactly (cumulative floors), so the hours add up to the day. */
export function splitWhole(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const out: number[] = [];
  let run = 0;
  let given = 0;
  for (const w of weights) {
    run += w;
    const upTo = Math.floor((total * run) / sum);
    out.push(upTo - given);
    given = upTo;
  }
  out[out.length - 1] = (out.at(-1) ?? 0) + (total - given);
  return out;
}

/** The day's hourly weights for an ad set: the profile with deterministic noise, cut after `lastHour` when it runs out early. */
export function hourlyWeights(adsetId: string, date: LocalDate, options: IntradayOptions): number[] {
  const rng = Rng.fromParts('meta-hourly', adsetId, date);
  const noise = options.noise ?? 0.1;
  const early = options.exhaustEarly?.find((e) => e.adsetId === adsetId && e.date === date);
  return INTRADAY_PROFILE.map((share, hour) => {
    const w = share * (1 + noise * (2 * rng.next() - 1));
    return early !== undefined && hour > early.lastHour ? 0 : w;
  });
}

/** The hours of one day row: spend (in billable minor units), impressions and clicks split by the ad set's weights. */
export function splitDay(
  row: Pick<DailyMetric, 'spendMicros' | 'impressions' | 'clicks'>,
  adset: AdSet,
  date: LocalDate,
  options: IntradayOptions,
): SimHour[] {
  const weights = hourlyWeights(adset.adsetId, date, options);
  const unit = MICROS_PER_UNIT / minorUnitOffset(adset.currency);
  const spend = splitWhole(Math.floor(row.spendMicros / unit), weights);
  const impressions = splitWhole(row.impressions, weights);
  const clicks = splitWhole(row.clicks, weights);
  return weights.flatMap((_, hour) => {
    const s = (spend[hour] ?? 0) * unit;
    const i = impressions[hour] ?? 0;
    // Graph leaves out hours without delivery.
    return s > 0 || i > 0 ? [{ adset, date, hour, spendMicros: s, impressions: i, clicks: Math.min(i, clicks[hour] ?? 0) }] : [];
  });
}

/**
 * Today's hours so far of every ad set of an account: the day's budget at the usual pace (the whole budget for an ad
 * set exhausting early), split by the profile, for the hours complete at the market clock.
 */
export function todaysHours(market: MarketSimulator, accountId: string, options: IntradayOptions): SimHour[] {
  const account = market.account(accountId);
  const today = market.today(accountId);
  const now = market.now().getTime();
  const complete = (hour: number) => zonedTimeToInstant(today, hour + 1, account.timezone).getTime() <= now;
  return market.adsets(accountId).flatMap((adset) => {
    const budget = market.budgetOn(adset.adsetId, today);
    if (market.statusOn(adset.adsetId, today) !== 'ACTIVE' || budget <= 0) return [];
    const early = options.exhaustEarly?.some((e) => e.adsetId === adset.adsetId && e.date === today) === true;
    const spendMicros = early ? budget : floorToBillable(Math.floor(budget * TODAY_SPEND_SHARE), adset.currency);
    const config = market.adsetConfig(adset.adsetId);
    const impressions = Math.round((spendMicros / config.cpmMicros) * 1000);
    const clicks = Math.round(impressions * config.ctr);
    return splitDay({ spendMicros, impressions, clicks }, adset, today, options).filter((h) => complete(h.hour));
  });
}
