/** Runs one strategy on one scenario and seed: warm-up, 56 days of daily re-planning, scoring against the oracle. */

import type { DailyMetric } from '../../lib/model/ads.ts';
import { addDays, isoWeekday, type LocalDate } from '../../lib/model/dates.ts';
import { ManualClock } from '../../lib/runtime/clock.ts';
import { MarketSimulator } from '../../lib/sim/market.ts';
import { oracleRevenue } from './oracle.ts';
import { BENCH_ACCOUNT, type Scenario } from './scenarios.ts';
import { COOLDOWN_DAYS, MAX_CHANGE_PCT, MIN_DAILY_MICROS, type Strategy } from './strategies.ts';

export const WARMUP_DAYS = 28;
export const PLAN_DAYS = 56;
const START: LocalDate = '2026-01-05';

export interface Violations {
  step: number;
  cooldown: number;
  minimum: number;
  total: number;
}

export interface RunResult {
  /** Expected revenue (true curves, no noise) at the spend the strategy produced, major units. */
  readonly expectedRevenue: number;
  /** The oracle's expected revenue for the same total spend each day. */
  readonly oracleRevenue: number;
  /** Revenue the market actually reported (noisy). */
  readonly reportedRevenue: number;
  readonly spend: number;
  readonly changes: number;
  readonly violations: Violations;
}

/** Simulates one strategy through warm-up and the planning days; guardrails are checked the same way for all. */
export function runStrategy(scenario: Scenario, seed: number, strategy: Strategy): RunResult {
  const firstPlanDay = addDays(START, WARMUP_DAYS);
  const clock = new ManualClock(`${firstPlanDay}T06:00:00Z`);
  const market = new MarketSimulator({ ...scenario.config(seed), startDate: START, clock });
  scenario.setup?.(market, firstPlanDay);
  const configs = market.adsets(BENCH_ACCOUNT).map((a) => market.adsetConfig(a.adsetId));
  const budgets = new Map(configs.map((c) => [c.adsetId, c.dailyBudgetMicros]));
  const lastChange = new Map<string, LocalDate>();
  const rows: DailyMetric[] = market.dailyResults(BENCH_ACCOUNT, START, addDays(firstPlanDay, -1));
  const warmSpend = rows.reduce((s, r) => s + r.spendMicros, 0);
  const targetRoas = warmSpend > 0 ? rows.reduce((s, r) => s + r.revenueMicros, 0) / warmSpend : 1;
  const violations: Violations = { step: 0, cooldown: 0, minimum: 0, total: 0 };
  let changes = 0;

  for (let k = 0; k < PLAN_DAYS; k++) {
    const today = addDays(firstPlanDay, k);
    if (k > 0) rows.push(...market.dailyResults(BENCH_ACCOUNT, addDays(today, -1), addDays(today, -1)));
    const next = strategy.decide({
      scenario: scenario.name,
      seed,
      today,
      adsets: configs,
      rows,
      budgets,
      lastChange,
      dailyTotalMicros: scenario.dailyTotalMicros,
      targetRoas,
    });
    let total = 0;
    for (const [id, current] of budgets) {
      const after = next.get(id) ?? current;
      total += after;
      if (after === current) continue;
      changes++;
      if (Math.abs(after - current) > (current * MAX_CHANGE_PCT) / 100) violations.step++;
      const last = lastChange.get(id);
      if (last !== undefined && addDays(last, COOLDOWN_DAYS) > today) violations.cooldown++;
      if (after < MIN_DAILY_MICROS) violations.minimum++;
      market.setDailyBudget(id, after);
      budgets.set(id, after);
      lastChange.set(id, today);
    }
    if (total > scenario.dailyTotalMicros) violations.total++;
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
    let daySpend = 0;
    for (const r of dayRows) {
      expected += market.expectedResponse(r.adsetId, r.spendMicros, date).revenueMicros / 1e6;
      reported += r.revenueMicros / 1e6;
      daySpend += r.spendMicros / 1e6;
    }
    spend += daySpend;
    oracle += oracleRevenue(
      configs.map((c) => ({ ...c.curve, scale: ((c.dayOfWeek[dow] ?? 1) * c.averageOrderValueMicros) / 1e6 })),
      daySpend,
    );
  }
  return { expectedRevenue: expected, oracleRevenue: oracle, reportedRevenue: reported, spend, changes, violations };
}
