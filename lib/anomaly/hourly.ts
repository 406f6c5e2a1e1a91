/**
 * Budget exhausted early in the day, on hourly data: an ad set spending its daily budget hours faster than
 * its usual intraday pacing runs dry by the afternoon and misses the evening auctions. The usual pacing is
 * the ad set's own cumulative-spend profile over recent days (share of the day's spend by each hour); the
 * evidence is the pace of the last 1–3 hours against that profile, on a log scale with the robust spread of
 * the ad set's own hourly noise, and the alarm needs the budget, at that pace, to run out early.
 */
import { addDays, isLocalDate, type LocalDate } from '../model/dates.ts';
import { AnomalyInputError } from './errors.ts';
import { money } from './format.ts';
import { MAD_TO_SIGMA, mad, median } from './robust.ts';
import type { AdAnomaly, AdSetFacts } from './types.ts';

/** One account-local hour of an ad set's delivery (hour 0 = 00:00–01:00). */
export interface AdSetHour {
  readonly date: LocalDate;
  readonly hour: number;
  readonly spendMicros: number;
}

/** Input of `detectBudgetExhaustion`. */
export interface BudgetExhaustionInput {
  readonly adset: AdSetFacts;
  /** Hours of the previous days and of `date` up to `hour`; missing hours count as no spend. */
  readonly hours: readonly AdSetHour[];
  readonly date: LocalDate;
  /** The last complete hour of `date` to judge. */
  readonly hour: number;
  /** An adpilot budget change applied on `date`: the pace of the day is then not comparable. */
  readonly budgetChangedToday?: boolean;
}

/** Days of history the pacing profile comes from, and the least of them it needs. */
const PROFILE_DAYS = 14;
const MIN_PROFILE_DAYS = 5;
/** Robust z (log pace of the recent hours against the profile) an alarm needs: hourly data is judged 24 times a day. */
const PACE_Z = 4.5;
/** Practical significance: the recent hours spent at least this multiple of their usual pace. */
const MIN_PACE = 1.75;
/** The recent hours must usually carry at least this share of the day, so a 3 a.m. trickle is not extrapolated. */
const MIN_WINDOW_SHARE = 0.04;
/** Exhaustion is "early" when the budget runs out at least this many hours before the end of the day. */
const EARLY_HOURS = 3;
/** Hourly noise is never assumed smaller than this (σ of log hourly spend). */
const MIN_LOG_SIGMA = 0.1;

/** The usual cumulative share of a day's spend by the end of each hour, and the spread of hourly log pace. */
interface Pacing {
  readonly cumulative: number[];
  readonly logSigma: number;
}

function pacingProfile(hours: readonly AdSetHour[], date: LocalDate): Pacing | null {
  const byDay = new Map<LocalDate, number[]>();
  const from = addDays(date, -PROFILE_DAYS);
  for (const h of hours) {
    if (h.date < from || h.date >= date) continue;
    const day = byDay.get(h.date) ?? Array<number>(24).fill(0);
    day[h.hour] = (day[h.hour] ?? 0) + h.spendMicros;
    byDay.set(h.date, day);
  }
  const days = [...byDay.values()].filter((d) => d.reduce((s, x) => s + x, 0) > 0);
  if (days.length < MIN_PROFILE_DAYS) return null;
  const shares = days.map((d) => {
    const total = d.reduce((s, x) => s + x, 0);
    return d.map((x) => x / total);
  });
  const hourly = Array.from({ length: 24 }, (_, h) => median(shares.map((s) => s[h] ?? 0)));
  const norm = hourly.reduce((s, x) => s + x, 0);
  const cumulative: number[] = [];
  let run = 0;
  for (const share of hourly) {
    run += share / norm;
    cumulative.push(run);
  }
  // Each day's hours against the profile, scaled by the day's own level: the hour-to-hour noise of pacing.
  const logs = shares.flatMap((s) =>
    s.flatMap((x, h) => {
      const usual = (hourly[h] ?? 0) / norm;
      return usual >= 0.01 && x > 0 ? [Math.log(x / usual)] : [];
    }),
  );
  return { cumulative, logSigma: Math.max(MIN_LOG_SIGMA, mad(logs) * MAD_TO_SIGMA) };
}

const usualShare = (cumulative: readonly number[], from: number, to: number) =>
  (cumulative[to] ?? 1) - (from > 0 ? (cumulative[from - 1] ?? 0) : 0);

function validate(input: BudgetExhaustionInput): void {
  if (!isLocalDate(input.date)) throw new AnomalyInputError('date', `not a calendar date: ${JSON.stringify(input.date)}`);
  if (!Number.isInteger(input.hour) || input.hour < 0 || input.hour > 23) throw new AnomalyInputError('hour', `not an hour: ${input.hour}`);
  input.hours.forEach((h, i) => {
    if (!Number.isInteger(h.hour) || h.hour < 0 || h.hour > 23) throw new AnomalyInputError(`hours[${i}].hour`, `not an hour: ${h.hour}`);
  });
}

/**
 * Judges the day so far at the end of `hour`: the budget is being spent so much faster than usual that it
 * runs out at least three hours before midnight. Null when pacing is normal or there is too little history.
 */
export function detectBudgetExhaustion(input: BudgetExhaustionInput): AdAnomaly | null {
  validate(input);
  const { adset, date, hour } = input;
  const budget = adset.dailyBudgetMicros;
  if (adset.status !== 'ACTIVE' || budget === null || budget <= 0 || input.budgetChangedToday === true) return null;
  const pacing = pacingProfile(input.hours, date);
  if (pacing === null) return null;
  const today = Array<number>(24).fill(0);
  for (const h of input.hours) if (h.date === date && h.hour <= hour) today[h.hour] = (today[h.hour] ?? 0) + h.spendMicros;
  const spentSoFar = today.reduce((s, x) => s + x, 0);
  let best: { pace: number; window: number; spent: number; usualSpend: number } | null = null;
  for (let window = 1; window <= 3 && window <= hour + 1; window++) {
    const first = hour - window + 1;
    const usual = usualShare(pacing.cumulative, first, hour);
    if (usual < MIN_WINDOW_SHARE) continue;
    const spent = today.slice(first, hour + 1).reduce((s, x) => s + x, 0);
    // Pace: the recent hours' spend as a multiple of what the budget spread over the usual profile gives them.
    const pace = spent / (budget * usual);
    const z = Math.log(Math.max(pace, 1e-9)) / (pacing.logSigma / Math.sqrt(window));
    if (pace >= MIN_PACE && z >= PACE_Z && (best === null || pace > best.pace)) best = { pace, window, spent, usualSpend: budget * usual };
  }
  if (best === null) return null;
  // At this pace over the usual profile of the remaining hours, when does the budget run out?
  let runsOutAt: number | null = spentSoFar >= budget ? hour : null;
  for (let h = hour + 1; h < 24 && runsOutAt === null; h++) {
    if (spentSoFar + best.pace * budget * usualShare(pacing.cumulative, hour + 1, h) >= budget) runsOutAt = h;
  }
  if (runsOutAt === null || runsOutAt > 23 - EARLY_HOURS) return null;
  const usualByNow = (pacing.cumulative[hour] ?? 1) * budget;
  const c = adset.currency;
  const clock = (h: number) => `${String(h + 1).padStart(2, '0')}:00`;
  return {
    faultType: 'budget-exhausted-early',
    // The spend of the recent hours that carried the alarm, against the practical band around their usual pace.
    metric: 'spendMicros',
    observed: best.spent,
    expected: { low: Math.round(best.usualSpend / MIN_PACE), high: Math.round(best.usualSpend * MIN_PACE) },
    // High when the hours it will miss usually carry at least 30% of the day's delivery (an evening peak, say).
    severity: 1 - (pacing.cumulative[runsOutAt] ?? 1) >= 0.3 ? 'high' : 'medium',
    hint:
      `"${adset.name}" has spent ${money(spentSoFar, c)} of its ${money(budget, c)} daily budget by ${clock(hour)} on ${date}, ` +
      `where about ${money(usualByNow, c)} is usual by then: the last ${best.window === 1 ? 'hour' : `${best.window} hours`} ran at ` +
      `${best.pace.toFixed(1)}× its usual pace, so the budget ${spentSoFar >= budget ? 'is already gone' : `runs out around ${clock(runsOutAt)}`} ` +
      'and the ad set misses the rest of the day. Check for a bid or bid-cap change, a broadened audience or placement, or a ' +
      'delivery setting such as accelerated pacing; if it is a good day, the budget may simply be too small for it.',
    date,
  };
}
