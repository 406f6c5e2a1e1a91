import { describe, expect, it } from 'vitest';
import { AnomalyInputError } from '../../../lib/anomaly/errors.ts';
import { type AdSetHour, type BudgetExhaustionInput, detectBudgetExhaustion } from '../../../lib/anomaly/hourly.ts';
import { addDays } from '../../../lib/model/dates.ts';
import { ADSET, rng } from './simulated-adset.ts';

const M = 1_000_000;
const TODAY = '2026-02-16';
/** Share of a day's spend by hour: quiet nights, a lunch bump and an evening peak (sums to 1). */
const CURVE = (() => {
  const raw = Array.from({ length: 24 }, (_, h) => 0.08 + Math.exp(-(((h - 20) / 3.5) ** 2)) + 0.5 * Math.exp(-(((h - 12.5) / 2.5) ** 2)));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / total);
})();

interface Day {
  /** Today's multiplier of the usual pace, by hour. */
  readonly pace?: (hour: number) => number;
  /** σ of the hourly log-noise; without it, ±10% uniform noise. */
  readonly sigma?: number;
  readonly seed?: number;
  /** Where the platform stops delivering today (the budget plus its allowed overdelivery). */
  readonly capMicros?: number;
}

/** 14 days of €100 budgets paced over CURVE with hourly noise, then today with `pace(hour)` as multiplier. */
function hours({ pace = () => 1, sigma, seed = 7, capMicros = Number.POSITIVE_INFINITY }: Day = {}): AdSetHour[] {
  const random = rng(seed);
  const noise = () => {
    if (sigma === undefined) return 1 + 0.2 * (random() - 0.5);
    const gaussian = Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
    return Math.exp(sigma * gaussian);
  };
  const out: AdSetHour[] = [];
  for (let day = -14; day <= 0; day++) {
    const date = addDays(TODAY, day);
    let spent = 0;
    for (let hour = 0; hour < 24; hour++) {
      const multiplier = day === 0 ? pace(hour) : 1;
      const want = Math.round(100 * M * (CURVE[hour] ?? 0) * noise() * multiplier);
      const spend = day === 0 ? Math.max(0, Math.min(want, capMicros - spent)) : want;
      spent += spend;
      out.push({ date, hour, spendMicros: spend });
    }
  }
  return out;
}

const judge = (all: AdSetHour[], hour: number, more: Partial<BudgetExhaustionInput> = {}) =>
  detectBudgetExhaustion({ adset: ADSET, hours: all, date: TODAY, hour, ...more });

/** The first hour of today whose run raises the alarm. */
function firstAlarm(all: AdSetHour[], more: Partial<BudgetExhaustionInput> = {}): number | null {
  for (let hour = 0; hour < 24; hour++) if (judge(all, hour, more) !== null) return hour;
  return null;
}

/** The first hour h from which today's usual spend since `from` reaches `share` of the day. */
function hourReaching(from: number, share: number): number {
  let sum = 0;
  for (let h = from; h < 24; h++) {
    sum += CURVE[h] ?? 0;
    if (sum >= share) return h;
  }
  return 24;
}

describe('budget exhausted early (hourly)', () => {
  it('stays quiet on a normally paced day, judged every hour, also with noisy hours', () => {
    expect(firstAlarm(hours())).toBeNull();
    expect(firstAlarm(hours({ sigma: 0.3, seed: 11 }))).toBeNull();
  });

  it('catches spend at 3× pace from 09:00 within the first hours, with the day so far and the usual range', () => {
    const all = hours({ pace: (h) => (h >= 9 ? 3 : 1) });
    // 09:00 alone usually carries under 4% of the day, too little to extrapolate; 09:00–11:00 is enough.
    expect(hourReaching(9, 0.04)).toBe(10);
    expect(firstAlarm(all)).toBe(10);
    const anomaly = judge(all, 10);
    // The break is placed at 09:00; its usual spend is the budget over the ad set's median pacing of 09:00–11:00.
    const usual9to11 = (CURVE[9] ?? 0) + (CURVE[10] ?? 0);
    const spent9to11 = all.filter((h) => h.date === TODAY && (h.hour === 9 || h.hour === 10)).reduce((s, h) => s + h.spendMicros, 0);
    expect(anomaly).toEqual({
      faultType: 'budget-exhausted-early',
      metric: 'spendMicros',
      observed: spent9to11,
      expected: { low: expect.any(Number), high: expect.any(Number) },
      severity: 'high',
      hint: expect.stringMatching(
        /^"Prospecting – Lookalike 1%" has spent .* daily budget by 11:00 on 2026-02-16, .* since 09:00 it has spent at 3\.\d× its usual pace, so the budget runs out around 1[67]:00 and the ad set misses the rest of the day\./,
      ),
      date: TODAY,
    });
    expect((anomaly?.expected.high ?? 0) / (usual9to11 * 100 * M * 1.75)).toBeCloseTo(1, 1);
    expect((anomaly?.expected.low ?? 0) / ((usual9to11 * 100 * M) / 1.75)).toBeCloseTo(1, 1);
  });

  it('judges a break in the thin night hours on the first hours that carry enough of the day', () => {
    // 3× from 05:00: hours that usually carry under 1% of the day are too thin to gauge a pace on, so the
    // evidence starts at 08:00 and is enough once the gauged hours since carry 4% of the day.
    const all = hours({ pace: (h) => (h >= 5 ? 3 : 1) });
    expect(CURVE.slice(5, 8).every((share) => share < 0.01)).toBe(true);
    expect(CURVE[8]).toBeGreaterThanOrEqual(0.01);
    const enough = hourReaching(8, 0.04);
    expect(enough).toBe(10);
    expect(firstAlarm(all)).toBe(enough);
    // 08:00 sits at the 1% edge (0.0101), so the profile from noisy days may count it thin and start at 09:00.
    expect(judge(all, enough)?.hint).toMatch(/since 0[89]:00 it has spent at 3\.\d× its usual pace/);
  });

  it('accumulates evidence on noisy hours: 2× pace under hourly noise σ 0.3 is caught, not just three hours of it', () => {
    // Three hours at 2× give z = ln 2/(0.3/√3) ≈ 4.0 only; the hours since the break keep adding evidence.
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const all = hours({ pace: (h) => (h >= 10 ? 2 : 1), sigma: 0.3, seed });
      const alarm = firstAlarm(all) ?? 24;
      expect(alarm).toBeGreaterThanOrEqual(11);
      expect(alarm).toBeLessThanOrEqual(16);
      // The break is placed within an hour of 10:00.
      expect(judge(all, alarm)?.hint).toMatch(/since (09|10|11):00 it has spent at \d\.\d× its usual pace/);
    }
  });

  it('still reports the day after the budget ran out, from the hours before the platform stopped', () => {
    // Judged first at 18:00 (earlier runs missed): the empty hours after the cap do not dilute the pace.
    const all = hours({ pace: (h) => (h >= 9 ? 3 : 1), capMicros: 110 * M });
    const ranOut = all
      .filter((h) => h.date === TODAY)
      .findIndex((_, i, today) => today.slice(0, i + 1).reduce((s, h) => s + h.spendMicros, 0) >= 100 * M);
    expect(ranOut).toBeGreaterThan(10);
    expect(ranOut).toBeLessThan(18);
    expect(judge(all, 18)?.hint).toMatch(
      new RegExp(
        `daily budget by 19:00 on 2026-02-16, .* so the budget is already gone \\(it ran out around ${String(ranOut + 1).padStart(2, '0')}:00\\) `,
      ),
    );
  });

  it('does not call a late, modest pick-up an early exhaustion', () => {
    // 1.6× from 18:00 spends about the budget by midnight: busy, not broken.
    expect(firstAlarm(hours({ pace: (h) => (h >= 18 ? 1.6 : 1) }))).toBeNull();
  });

  it('holds on a day adpilot changed the budget at an unknown time, and judges from the change when it is known', () => {
    const broken = hours({ pace: (h) => (h >= 9 ? 3 : 1) });
    expect(judge(broken, 12, { budgetChangedToday: true })).toBeNull();
    // Changed before the day's delivery: the whole day ran under the budget it is judged against.
    expect(firstAlarm(broken, { budgetChangedToday: true, budgetChangedAtHour: 0 })).toBe(10);
    // Cut from €100 to €40 at 12:00, and paced normally under it: the morning's €100 pace is not held against €40.
    const cut = hours({ pace: (h) => (h >= 12 ? 0.4 : 1) });
    const cutAdset = { ...ADSET, dailyBudgetMicros: 40 * M };
    expect(firstAlarm(cut, { adset: cutAdset, budgetChangedAtHour: 12 })).toBeNull();
    // Unaware of the change, the morning looks like 2.5× the new budget's pace.
    expect(firstAlarm(cut, { adset: cutAdset })).not.toBeNull();
  });

  it('needs five days of history', () => {
    const all = hours({ pace: (h) => (h >= 9 ? 3 : 1) });
    expect(judge(all.slice(-24 * 6), 12)).not.toBeNull();
    expect(judge(all.slice(-24 * 5), 12)).toBeNull();
  });

  it('rejects an hour outside 0–23, naming the field', () => {
    expect(() => judge(hours(), 24)).toThrow(new AnomalyInputError('hour', 'not an hour: 24'));
    expect(() => judge(hours(), 12, { budgetChangedAtHour: -1 })).toThrow(new AnomalyInputError('budgetChangedAtHour', 'not an hour: -1'));
  });
});
