import { describe, expect, it } from 'vitest';
import { AnomalyInputError } from '../../../lib/anomaly/errors.ts';
import { type AdSetHour, detectBudgetExhaustion } from '../../../lib/anomaly/hourly.ts';
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

/** 14 days of €100 budgets paced over CURVE with ±10% hourly noise, then today with `pace(hour)` as multiplier. */
function hours(pace: (hour: number) => number = () => 1, seed = 7): AdSetHour[] {
  const random = rng(seed);
  const out: AdSetHour[] = [];
  for (let day = -14; day <= 0; day++) {
    const date = addDays(TODAY, day);
    for (let hour = 0; hour < 24; hour++) {
      const noise = 1 + 0.2 * (random() - 0.5);
      const multiplier = day === 0 ? pace(hour) : 1;
      out.push({ date, hour, spendMicros: Math.round(100 * M * (CURVE[hour] ?? 0) * noise * multiplier) });
    }
  }
  return out;
}

const judge = (all: AdSetHour[], hour: number, budgetChangedToday = false) =>
  detectBudgetExhaustion({ adset: ADSET, hours: all, date: TODAY, hour, budgetChangedToday });

/** The first hour of today whose run raises the alarm. */
function firstAlarm(all: AdSetHour[]): number | null {
  for (let hour = 0; hour < 24; hour++) if (judge(all, hour) !== null) return hour;
  return null;
}

describe('budget exhausted early (hourly)', () => {
  it('stays quiet on a normally paced day, judged every hour', () => {
    expect(firstAlarm(hours())).toBeNull();
  });

  it('catches spend at 3× pace from 09:00 within the first hours, with the day so far and the usual range', () => {
    const all = hours((h) => (h >= 9 ? 3 : 1));
    // 09:00 alone usually carries under 4% of the day, too little to extrapolate; 09:00–11:00 is enough.
    expect(firstAlarm(all)).toBe(10);
    const anomaly = judge(all, 10);
    // The alarm rests on 09:00–11:00 (the strongest window), whose usual spend is the ad set's median pacing.
    const usual9to11 = CURVE.slice(9, 11).reduce((a, b) => a + b, 0) * 100 * M;
    expect(anomaly?.faultType).toBe('budget-exhausted-early');
    expect(anomaly?.severity).toBe('high');
    expect((anomaly?.expected.high ?? 0) / (usual9to11 * 1.75)).toBeCloseTo(1, 1);
    expect(anomaly?.observed).toBeGreaterThan(anomaly?.expected.high ?? Number.POSITIVE_INFINITY);
    expect(anomaly?.hint).toMatch(
      /daily budget by 11:00 on 2026-02-16, .* the last 2 hours ran at 3.0× its usual pace, so the budget runs out around 17:00/,
    );
  });

  it('does not call a late, modest pick-up an early exhaustion', () => {
    // 1.6× from 18:00 spends about the budget by midnight: busy, not broken.
    expect(firstAlarm(hours((h) => (h >= 18 ? 1.6 : 1)))).toBeNull();
  });

  it('holds on a day adpilot changed the budget, and needs a week of history', () => {
    const all = hours((h) => (h >= 9 ? 3 : 1));
    expect(judge(all, 12, true)).toBeNull();
    expect(judge(all.slice(-24 * 4), 12)).toBeNull();
  });

  it('rejects an hour outside 0–23, naming the field', () => {
    expect(() => judge(hours(), 24)).toThrow(new AnomalyInputError('hour', 'not an hour: 24'));
  });
});
