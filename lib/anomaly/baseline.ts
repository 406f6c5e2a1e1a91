/** Daily history of an ad set and its seasonal baselines (same weekday over previous weeks) with robust bands. */
import { addDays, daysBetween, type LocalDate } from '../model/dates.ts';
import { AnomalyInputError } from './errors.ts';
import { MAD_TO_SIGMA, mad, median, ROBUST_Z_LIMIT } from './robust.ts';
import type { AdSetDay } from './types.ts';

/** A day without any delivery. */
export function zeroDay(date: LocalDate): AdSetDay {
  return { date, spendMicros: 0, revenueMicros: 0, impressions: 0, clicks: 0, conversions: 0 };
}

/** Checks the days are in strictly ascending date order. */
export function assertAscending(days: readonly AdSetDay[]): void {
  for (let i = 1; i < days.length; i++) {
    const previous = days[i - 1]?.date ?? '';
    const current = days[i]?.date ?? '';
    if (!(previous < current)) throw new AnomalyInputError(`days[${i}].date`, `${current} does not come after ${previous}`);
  }
}

/**
 * The days before `date`, at most `lookbackDays` of them, without gaps: a date missing inside the ad set's
 * recorded life becomes a zero day (platforms such as Meta return no row for a day without delivery).
 */
export function denseHistory(days: readonly AdSetDay[], date: LocalDate, lookbackDays: number): AdSetDay[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const first = days[0]?.date;
  if (first === undefined || first >= date) return [];
  const from = daysBetween(first, date) > lookbackDays ? addDays(date, -lookbackDays) : first;
  const out: AdSetDay[] = [];
  for (let d = from; d < date; d = addDays(d, 1)) out.push(byDate.get(d) ?? zeroDay(d));
  return out;
}

/** The judged day's metrics, or a zero day when the platform returned no row for it. */
export function dayOn(days: readonly AdSetDay[], date: LocalDate): AdSetDay {
  return days.find((d) => d.date === date) ?? zeroDay(date);
}

/** Days of `history` within [from, to] (inclusive), by date. */
export function between(history: readonly AdSetDay[], from: LocalDate, to: LocalDate): AdSetDay[] {
  return history.filter((d) => d.date >= from && d.date <= to);
}

/** A robust baseline: the sample it came from, its median, a σ estimate and the ±3.5 robust-z band. */
export interface Baseline {
  readonly kind: 'same-weekday' | 'recent-days';
  readonly values: readonly number[];
  readonly median: number;
  readonly sigma: number;
  readonly low: number;
  readonly high: number;
}

/** Options of `seasonalBaseline`. */
export interface BaselineOptions {
  /** Previous weeks to look at for the same weekday (STATS_REFERENCE: 4–8). */
  readonly weeks?: number;
  /** Fewer same-weekday values than this falls back to the recent days. */
  readonly minWeeks?: number;
  readonly fallbackDays?: number;
  /** Floor for σ, so that a perfectly flat history does not turn every wiggle into an alarm. */
  readonly minSigma?: (median: number) => number;
}

/**
 * Expected value of a metric on `date`: the same weekday over the previous weeks, or the recent days when
 * the ad set is too young for that. Null when there is no history at all.
 */
export function seasonalBaseline(
  history: readonly AdSetDay[],
  date: LocalDate,
  metric: (day: AdSetDay) => number,
  options: BaselineOptions = {},
): Baseline | null {
  const { weeks = 8, minWeeks = 3, fallbackDays = 14, minSigma = () => 0 } = options;
  const byDate = new Map(history.map((d) => [d.date, d]));
  const sameWeekday: number[] = [];
  for (let w = 1; w <= weeks; w++) {
    const day = byDate.get(addDays(date, -7 * w));
    if (day !== undefined) sameWeekday.push(metric(day));
  }
  const kind = sameWeekday.length >= minWeeks ? 'same-weekday' : 'recent-days';
  const values = kind === 'same-weekday' ? sameWeekday : history.slice(-fallbackDays).map(metric);
  if (values.length === 0) return null;
  const centre = median(values);
  const sigma = Math.max(mad(values) * MAD_TO_SIGMA, minSigma(centre));
  return { kind, values, median: centre, sigma, low: centre - ROBUST_Z_LIMIT * sigma, high: centre + ROBUST_Z_LIMIT * sigma };
}

/** Robust z of a value against a baseline: 0.6745·(x − median)/MAD, i.e. (x − median)/σ. */
export function baselineZ(value: number, baseline: Baseline): number {
  if (baseline.sigma === 0) return value === baseline.median ? 0 : Math.sign(value - baseline.median) * Number.POSITIVE_INFINITY;
  return (value - baseline.median) / baseline.sigma;
}
