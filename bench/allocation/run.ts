/** Runs one strategy on one scenario and seed: warm-up, 56 days of daily re-planning, scoring against the oracle. */

import type { LoggedStep } from '../../lib/allocation/learning-step.ts';
import type { DailyMetric, StoredDailyMetric } from '../../lib/model/ads.ts';
import { addDays, isoWeekday, type LocalDate } from '../../lib/model/dates.ts';
import { ManualClock } from '../../lib/runtime/clock.ts';
import { MarketSimulator } from '../../lib/sim/market.ts';
import { hillConversions } from '../../lib/sim/response.ts';
import { enforceGuardrails, noViolations, type Violations } from './guardrails.ts';
import { oracleRevenue } from './oracle.ts';
import { BENCH_ACCOUNT, type Scenario } from './scenarios.ts';
import type { Strategy } from './strategies.ts';

export type { Violations };

export const WARMUP_DAYS = 28;
export const PLAN_DAYS = 56;
/** Days the store re-fetches each morning (the platforms' restatement window and some). */
const REFETCH_DAYS = 14;
const START: LocalDate = '2026-01-05';

export interface RunResult {
  /** Expected revenue (true curves and effects, no noise) at the spend the strategy produced, major units. */
  readonly expectedRevenue: number;
  /** The oracle's expected revenue for the same total spend each day. */
  readonly oracleRevenue: number;
  /** Revenue the market reports in the end (noisy). */
  readonly reportedRevenue: number;
  readonly spend: number;
  readonly changes: number;
  /** What the strategy asked for that the guardrails had to correct. */
  readonly violations: Violations;
}

/** Simulates one strategy through warm-up and the planning days; guardrails are enforced the same way for all. */
export function runStrategy(scenario: Scenario, seed: number, strategy: Strategy): RunResult {
  const firstPlanDay = addDays(START, WARMUP_DAYS);
  const clock = new ManualClock(`${firstPlanDay}T06:00:00Z`);
  const market = new MarketSimulator({
    ...scenario.config(seed),
    startDate: START,
    clock,
    ...(scenario.maturity ? { maturity: scenario.maturity } : {}),
  });
  scenario.setup?.(market, firstPlanDay);
  const configs = market.adsets(BENCH_ACCOUNT).map((a) => market.adsetConfig(a.adsetId));
  const lastChange = new Map<string, LocalDate>();
  const changeLog: LoggedStep[] = [];
  const memory = new Map<string, number>();
  const store = new Map<string, StoredDailyMetric>();
  const fetch = (today: LocalDate, from: LocalDate) => {
    for (const row of market.reportedResults(BENCH_ACCOUNT, from, addDays(today, -1))) {
      const key = `${row.adsetId}/${row.date}`;
      const old = store.get(key);
      const fetchedAt = `${today}T06:00:00Z`;
      store.set(key, { ...row, fetchedAt, firstFetchedAt: old?.firstFetchedAt ?? fetchedAt, revision: (old?.revision ?? -1) + 1 });
    }
  };
  fetch(firstPlanDay, START);
  const warm = [...store.values()];
  const warmSpend = warm.reduce((s, r) => s + r.spendMicros, 0);
  const targetRoas = warmSpend > 0 ? warm.reduce((s, r) => s + r.revenueMicros, 0) / warmSpend : 1;
  const violations = noViolations();
  let changes = 0;

  for (let k = 0; k < PLAN_DAYS; k++) {
    const today = addDays(firstPlanDay, k);
    if (k > 0) fetch(today, addDays(today, -REFETCH_DAYS));
    const now = market.adsets(BENCH_ACCOUNT);
    const managed = now.filter((a) => a.status === 'ACTIVE');
    const reserved = now.filter((a) => a.status !== 'ACTIVE').reduce((s, a) => s + (a.dailyBudgetMicros ?? 0), 0);
    const budgets = new Map(managed.map((a) => [a.adsetId, a.dailyBudgetMicros ?? 0]));
    const learning = new Set(managed.filter((a) => a.learning).map((a) => a.adsetId));
    const ids = new Set(budgets.keys());
    const dailyTotalMicros = scenario.dailyTotalMicros - reserved;
    const proposed = strategy.decide({
      scenario: scenario.name,
      seed,
      today,
      adsets: configs.filter((c) => ids.has(c.adsetId)),
      learning,
      rows: [...store.values()].filter((r) => ids.has(r.adsetId)),
      budgets,
      lastChange,
      changes: changeLog,
      memory,
      dailyTotalMicros,
      targetRoas,
    });
    const after = enforceGuardrails({ proposed, budgets, lastChange, learning, today, dailyTotalMicros, violations });
    for (const [id, micros] of after) {
      if (micros === budgets.get(id)) continue;
      changes++;
      changeLog.push({ adsetId: id, date: today, beforeMicros: budgets.get(id) ?? 0, afterMicros: micros });
      market.setDailyBudget(id, micros);
      lastChange.set(id, today);
    }
    clock.advance(86_400_000);
  }

  // Score the days the decisions shaped: from the day after the first plan through the day after the last.
  const from = addDays(firstPlanDay, 1);
  const to = addDays(firstPlanDay, PLAN_DAYS);
  clock.set(`${addDays(to, 1)}T06:00:00Z`);
  const scored = market.dailyResults(BENCH_ACCOUNT, from, to, { includeZeroRows: true });
  const byDate = new Map<LocalDate, DailyMetric[]>();
  for (const r of scored) byDate.set(r.date, [...(byDate.get(r.date) ?? []), r]);
  let expected = 0;
  let oracle = 0;
  let reported = 0;
  let spend = 0;
  for (const [date, dayRows] of byDate) {
    const dow = isoWeekday(date) - 1;
    // True value per conversion today: weekday, order value and the scenario's effects (fatigue, collapse, season).
    const scale = (id: string) => {
      const c = market.adsetConfig(id);
      return (
        ((c.dayOfWeek[dow] ?? 1) *
          c.averageOrderValueMicros *
          market.multiplierOn(id, 'conversionRate', date) *
          market.multiplierOn(id, 'orderValue', date)) /
        1e6
      );
    };
    let daySpend = 0;
    for (const r of dayRows) {
      const conversions = hillConversions(market.adsetConfig(r.adsetId).curve, r.spendMicros);
      // Learning resets are part of the strategy's outcome; the oracle never edits, so it never pays them.
      expected += conversions * scale(r.adsetId) * market.learningFactorOn(r.adsetId, date);
      reported += r.revenueMicros / 1e6;
      daySpend += r.spendMicros / 1e6;
    }
    spend += daySpend;
    const live = configs.filter((c) => market.statusOn(c.adsetId, date) === 'ACTIVE');
    oracle += oracleRevenue(
      live.map((c) => ({ ...c.curve, scale: scale(c.adsetId) })),
      daySpend,
    );
  }
  return { expectedRevenue: expected, oracleRevenue: oracle, reportedRevenue: reported, spend, changes, violations };
}
