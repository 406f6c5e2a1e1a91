/**
 * `learning_stage_info` of the fake's ad sets. Meta's rule, as its help pages state it (not in PLATFORM_APIS.md,
 * so **[U]** and configurable): an ad set learns until it has about 50 optimization events within 7 days of its
 * last significant edit; it then reports SUCCESS (with `conversions` 0), or FAIL ("learning limited") when the
 * 7 days pass without them. Here the events are the market's reported conversions, and the edits are creation
 * (the market's start date) and budget changes of at least `significantChangePct` made through the fake.
 */
import type { AdSet, DailyMetric } from '../../model/ads.ts';
import { addDays, type LocalDate, localDateAt, zonedTimeToInstant } from '../../model/dates.ts';
import type { MarketSimulator } from '../market.ts';

export interface LearningRules {
  /** Optimization events that end the learning phase (default 50). */
  readonly events?: number;
  /** Days after a significant edit in which they must happen (default 7). */
  readonly days?: number;
  /** A budget change of at least this share of the old budget, in percent, is a significant edit (default 20). */
  readonly significantChangePct?: number;
}

/** The wire shape: SDK field types `status` string, `conversions` unsigned int, `last_sig_edit_ts` int (Unix seconds). */
export interface LearningStageInfo {
  readonly status: 'LEARNING' | 'SUCCESS' | 'FAIL';
  readonly conversions: number;
  readonly last_sig_edit_ts: number;
  readonly attribution_windows: readonly string[];
}

/** True when a budget change from `beforeMicros` to `afterMicros` restarts learning. */
export function isSignificantBudgetChange(beforeMicros: number, afterMicros: number, rules: LearningRules = {}): boolean {
  if (beforeMicros <= 0) return afterMicros > 0;
  return (Math.abs(afterMicros - beforeMicros) * 100) / beforeMicros >= (rules.significantChangePct ?? 20);
}

/** What the learning stage of an account's ad sets is read from, shared by all of them in one listing (reads are memoized). */
export interface LearningContext {
  readonly timezone: string;
  readonly startDate: LocalDate;
  /** Midnight of the start date, account-local: when the ad sets were created. */
  readonly createdAt: Date;
  /** The last complete account-local day. */
  readonly yesterday: LocalDate;
  /** The reported rows of [from, to]. */
  results(from: LocalDate, to: LocalDate): readonly DailyMetric[];
}

/** The learning context of an account now. */
export function learningContext(market: MarketSimulator, accountId: string): LearningContext {
  const memo = new Map<string, readonly DailyMetric[]>();
  const { timezone } = market.account(accountId);
  return {
    timezone,
    startDate: market.startDate,
    createdAt: zonedTimeToInstant(market.startDate, 0, timezone),
    yesterday: addDays(market.today(accountId), -1),
    results(from, to) {
      const key = `${from}|${to}`;
      let rows = memo.get(key);
      if (rows === undefined) {
        rows = market.reportedResults(accountId, from, to);
        memo.set(key, rows);
      }
      return rows;
    },
  };
}

/** The learning stage of an ad set now, given its last significant edit through the API (none: created on the start date). */
export function learningStageInfo(
  context: LearningContext,
  adset: AdSet,
  lastEdit: Date | undefined,
  rules: LearningRules = {},
): LearningStageInfo {
  // A budget change applies from the next account-local day; creation counts from the first day of delivery.
  const first: LocalDate = lastEdit ? addDays(localDateAt(lastEdit, context.timezone), 1) : context.startDate;
  const editedAt = lastEdit ?? context.createdAt;
  const days = rules.days ?? 7;
  const windowEnd = addDays(first, days - 1);
  const yesterday = context.yesterday;
  // The earlier of the two dates (ISO dates sort as text).
  const lastCounted = [windowEnd, yesterday].sort()[0] ?? yesterday;
  const conversions =
    first <= lastCounted
      ? context
          .results(first, lastCounted)
          .filter((row) => row.adsetId === adset.adsetId)
          .reduce((sum, row) => sum + row.conversions, 0)
      : 0;
  const base = { last_sig_edit_ts: Math.floor(editedAt.getTime() / 1000), attribution_windows: ['7d_click', '1d_view'] };
  if (conversions >= (rules.events ?? 50)) return { status: 'SUCCESS', conversions: 0, ...base };
  return { status: yesterday >= windowEnd ? 'FAIL' : 'LEARNING', conversions, ...base };
}
