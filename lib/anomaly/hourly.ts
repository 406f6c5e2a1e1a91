/**
 * Budget exhausted early in the day, on hourly data: an ad set spending its daily budget hours faster than
 * its usual intraday pacing runs dry by the afternoon and misses the evening auctions. The usual pacing is
 * the ad set's own cumulative-spend profile over recent days (share of the day's spend by each hour). The
 * evidence is a change-point test on the pace: for every hour the pacing may have broken at, the spend since
 * then against what the budget spread over the profile gives those hours, on a log scale with the ad set's own
 * hourly noise (its standard error shrinking with every hour since the break); the best-supported break must
 * be both significant and large, and the budget, at that pace, must run out early.
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
  /**
   * An adpilot budget change applied on `date` at an unknown time: the hours before it ran under another
   * budget, so none of the day's pace is comparable with the budget and the day is held.
   */
  readonly budgetChangedToday?: boolean;
  /**
   * The first hour of `date` that ran under the current budget, when adpilot changed it today (0: before the
   * day's delivery). Only the pace from then on is judged; it takes precedence over `budgetChangedToday`.
   */
  readonly budgetChangedAtHour?: number;
}

/** Days of history the pacing profile comes from, and the least of them it needs. */
const PROFILE_DAYS = 14;
const MIN_PROFILE_DAYS = 5;
/**
 * z (log pace since the break against the profile, in units of its standard error) an alarm needs: hourly
 * data is judged 24 times a day, each time over every hour the break may have started at.
 */
const PACE_Z = 4.5;
/** Practical significance: the hours since the break spent at least this multiple of their usual pace. */
const MIN_PACE = 1.75;
/** The gauged hours since the break must usually carry at least this share of the day, so a 3 a.m. trickle is not extrapolated. */
const MIN_WINDOW_SHARE = 0.04;
/** Hours that usually carry less of the day than this are too thin to gauge a pace on. */
const MIN_HOUR_SHARE = 0.01;
/** An hour without spend counts as this pace: its log stays finite, and it is evidence against a speed-up anyway. */
const PACE_FLOOR = 0.05;
/** Exhaustion is "early" when the budget runs out at least this many hours before the end of the day. */
const EARLY_HOURS = 3;
/** Hourly noise is never assumed smaller than this (σ of log hourly spend). */
const MIN_LOG_SIGMA = 0.1;

/**
 * The usual share of a day's spend in each hour and by the end of each hour, the spread of hourly log pace,
 * and how many days the profile rests on.
 */
interface Pacing {
  readonly hourly: number[];
  readonly cumulative: number[];
  readonly logSigma: number;
  readonly days: number;
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
  const profile = hourly.map((x) => x / norm);
  const cumulative: number[] = [];
  let run = 0;
  for (const share of profile) {
    run += share;
    cumulative.push(run);
  }
  // Each day's hours against the profile, scaled by the day's own level: the hour-to-hour noise of pacing.
  const logs = shares.flatMap((s) =>
    s.flatMap((x, h) => {
      const usual = profile[h] ?? 0;
      return usual >= MIN_HOUR_SHARE && x > 0 ? [Math.log(x / usual)] : [];
    }),
  );
  return { hourly: profile, cumulative, logSigma: Math.max(MIN_LOG_SIGMA, mad(logs) * MAD_TO_SIGMA), days: days.length };
}

const usualShare = (cumulative: readonly number[], from: number, to: number) =>
  (cumulative[to] ?? 1) - (from > 0 ? (cumulative[from - 1] ?? 0) : 0);

function validate(input: BudgetExhaustionInput): void {
  if (!isLocalDate(input.date)) throw new AnomalyInputError('date', `not a calendar date: ${JSON.stringify(input.date)}`);
  if (!Number.isInteger(input.hour) || input.hour < 0 || input.hour > 23) throw new AnomalyInputError('hour', `not an hour: ${input.hour}`);
  const changed = input.budgetChangedAtHour;
  if (changed !== undefined && (!Number.isInteger(changed) || changed < 0 || changed > 23)) {
    throw new AnomalyInputError('budgetChangedAtHour', `not an hour: ${changed}`);
  }
  input.hours.forEach((h, i) => {
    if (!Number.isInteger(h.hour) || h.hour < 0 || h.hour > 23) throw new AnomalyInputError(`hours[${i}].hour`, `not an hour: ${h.hour}`);
  });
}

/** The pace since a candidate break: spend against the budget spread over the usual profile of those hours. */
interface PaceBreak {
  readonly from: number;
  readonly spent: number;
  readonly usualSpend: number;
  /** spent / usualSpend: what the budget projection runs on. */
  readonly pace: number;
  /** The geometric mean of the hours' paces, and its z: what the test runs on. */
  readonly typicalPace: number;
  readonly z: number;
}

/**
 * The best-supported break in today's pacing, a change-point likelihood-ratio test: for every start hour
 * `from` (no earlier than `earliest`) up to `to`, the mean log pace of the hours since, against pacing at
 * the budget (log pace 0), in units of its standard error σ/√n. σ is inflated by the error of a median
 * profile over `days` days (π/2·σ²/days per hour). Hours that usually carry under 1% of the day are too thin
 * to gauge a pace (and are left out of σ): they count in the window's money, not in its evidence, nor in the
 * share of the day the evidence must usually carry.
 */
function strongestBreak(today: readonly number[], pacing: Pacing, budget: number, earliest: number, to: number): PaceBreak | null {
  const stdErr1 = pacing.logSigma * Math.sqrt(1 + Math.PI / (2 * pacing.days));
  let best: PaceBreak | null = null;
  let spent = 0;
  let usual = 0;
  let gauged = 0;
  let logSum = 0;
  let n = 0;
  for (let from = to; from >= earliest; from--) {
    const p = pacing.hourly[from] ?? 0;
    const s = today[from] ?? 0;
    spent += s;
    usual += p;
    if (p >= MIN_HOUR_SHARE) {
      gauged += p;
      logSum += Math.log(Math.max(s / (budget * p), PACE_FLOOR));
      n += 1;
    }
    if (gauged < MIN_WINDOW_SHARE) continue;
    const z = (logSum / n) * (Math.sqrt(n) / stdErr1);
    if (best === null || z > best.z) {
      best = { from, spent, usualSpend: budget * usual, pace: spent / (budget * usual), typicalPace: Math.exp(logSum / n), z };
    }
  }
  return best;
}

/**
 * Judges the day so far at the end of `hour`: the budget is being spent so much faster than usual that it
 * runs out at least three hours before midnight. Null when pacing is normal or there is too little history.
 */
export function detectBudgetExhaustion(input: BudgetExhaustionInput): AdAnomaly | null {
  validate(input);
  const { adset, date, hour } = input;
  const budget = adset.dailyBudgetMicros;
  if (adset.status !== 'ACTIVE' || budget === null || budget <= 0) return null;
  // The pace is judged against the budget it ran under: from the change on, or not at all if its time is unknown.
  const earliest = input.budgetChangedAtHour ?? (input.budgetChangedToday === true ? null : 0);
  if (earliest === null || earliest > hour) return null;
  const pacing = pacingProfile(input.hours, date);
  if (pacing === null) return null;
  const today = Array<number>(24).fill(0);
  for (const h of input.hours) if (h.date === date && h.hour <= hour) today[h.hour] = (today[h.hour] ?? 0) + h.spendMicros;
  // Once the budget is gone the platform stops delivering: the hours after that say nothing about the pace.
  let ranOutAt: number | null = null;
  for (let h = 0, run = 0; h <= hour && ranOutAt === null; h++) {
    run += today[h] ?? 0;
    if (run >= budget) ranOutAt = h;
  }
  const spentSoFar = today.reduce((s, x) => s + x, 0);
  const last = ranOutAt ?? hour;
  if (last < earliest) return null;
  const best = strongestBreak(today, pacing, budget, earliest, last);
  if (best === null || best.typicalPace < MIN_PACE || best.z < PACE_Z) return null;
  // At this pace over the usual profile of the remaining hours, when does the budget run out?
  let runsOutAt = ranOutAt;
  for (let h = hour + 1; h < 24 && runsOutAt === null; h++) {
    if (spentSoFar + best.pace * budget * usualShare(pacing.cumulative, hour + 1, h) >= budget) runsOutAt = h;
  }
  if (runsOutAt === null || runsOutAt > 23 - EARLY_HOURS) return null;
  const usualByNow = (pacing.cumulative[hour] ?? 1) * budget;
  const c = adset.currency;
  const clock = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return {
    faultType: 'budget-exhausted-early',
    // The spend since the break that carried the alarm, against the practical band around its usual pace.
    metric: 'spendMicros',
    observed: best.spent,
    expected: { low: Math.round(best.usualSpend / MIN_PACE), high: Math.round(best.usualSpend * MIN_PACE) },
    // High when the hours it will miss usually carry at least 30% of the day's delivery (an evening peak, say).
    severity: 1 - (pacing.cumulative[runsOutAt] ?? 1) >= 0.3 ? 'high' : 'medium',
    hint:
      `"${adset.name}" has spent ${money(spentSoFar, c)} of its ${money(budget, c)} daily budget by ${clock(hour + 1)} on ${date}, ` +
      `where about ${money(usualByNow, c)} is usual by then: since ${clock(best.from)} it has spent at ${best.pace.toFixed(1)}× ` +
      `its usual pace, so the budget ${ranOutAt !== null ? `is already gone (it ran out around ${clock(ranOutAt + 1)})` : `runs out around ${clock(runsOutAt + 1)}`} ` +
      'and the ad set misses the rest of the day. Check for a bid or bid-cap change, a broadened audience or placement, or a ' +
      'delivery setting such as accelerated pacing; if it is a good day, the budget may simply be too small for it.',
    date,
  };
}
