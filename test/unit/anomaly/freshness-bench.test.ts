import { describe, expect, it } from 'vitest';
import {
  type AccountTimeline,
  FRESHNESS_DESIGN,
  type FreshnessDesign,
  judgeAccount,
  type RunOutcome,
  runFreshnessSuite,
} from '../../../bench/anomaly/freshness.ts';

/** A short hand-made window: checks 0–1 are warm-up, 2–11 judged. */
const DESIGN: FreshnessDesign = { ...FRESHNESS_DESIGN, start: '2026-03-02T00:00:00Z', warmupHours: 2, judgedHours: 10, tailHours: 0 };
const at = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00Z`);
/** Twelve hourly runs starting at :05 except where `minutes` says otherwise, failing where `outcomes` says. */
function timeline(outcomes: Partial<Record<number, RunOutcome>>, outage?: AccountTimeline['outage'], minutes: Record<number, number> = {}) {
  return {
    accountId: 'acct',
    runStartMs: Array.from({ length: 12 }, (_, i) => at(`${String(i).padStart(2, '0')}:${String(minutes[i] ?? 5).padStart(2, '0')}`)),
    outcomes: Array.from({ length: 12 }, (_, i): RunOutcome => outcomes[i] ?? 'ok'),
    failureProbability: 0,
    ...(outage ? { outage } : {}),
  } satisfies AccountTimeline;
}
const OUTAGE_FROM_3 = { firstRun: 3, endMs: at('03:07') + 6 * 3_600_000, hours: 6 };
const outageRuns = { 3: 'outage', 4: 'outage', 5: 'outage', 6: 'outage', 7: 'outage', 8: 'outage' } as const;

describe('judgeAccount', () => {
  it('announces an outage once, at the check where the last fetch is over the limit old, delay from its first failed run', () => {
    const t = timeline(outageRuns, OUTAGE_FROM_3, { 2: 3, 3: 7 });
    // Watermark 02:03: 03:50 is 1.78 h old, 04:50 2.78 h, 05:50 3.78 h > 3: announced at 05:50, 2 h 43 min after 03:07.
    expect(judgeAccount(t, DESIGN, 3)).toEqual({
      announcements: [{ check: 5, atMs: at('05:50'), lastFetchedRun: 2, severity: 'high' }],
      outage: { fate: 'during', delayHours: 163 / 60, severity: 'high' },
      falseAlerts: 0,
    });
    expect(judgeAccount(t, DESIGN, 2).outage).toEqual({ fate: 'during', delayHours: 103 / 60, severity: 'high' });
  });

  it("counts the delay from the outage's own first run when a transient failure had started the silence", () => {
    const t = timeline({ 2: 'failed', ...outageRuns }, OUTAGE_FROM_3, { 1: 10, 3: 7 });
    // Watermark 01:10: 04:50 is 3.67 h old. From the silence's start (02:05) it would be 2.75 h; from the outage's 03:07, 1 h 43 min.
    expect(judgeAccount(t, DESIGN, 3)).toEqual({
      announcements: [{ check: 4, atMs: at('04:50'), lastFetchedRun: 1, severity: 'high' }],
      outage: { fate: 'during', delayHours: 103 / 60, severity: 'high' },
      falseAlerts: 0,
    });
  });

  it('counts an outage whose silence was announced before it began as caught with delay 0, and not as a false alert', () => {
    const outage = { firstRun: 4, endMs: at('04:05') + 6 * 3_600_000, hours: 6 };
    const t = timeline({ 1: 'incident', 2: 'incident', 3: 'failed', 4: 'outage', 5: 'outage', 6: 'outage' }, outage);
    expect(judgeAccount(t, DESIGN, 3)).toEqual({
      announcements: [{ check: 3, atMs: at('03:50'), lastFetchedRun: 0, severity: 'high' }],
      outage: { fate: 'before', delayHours: 0, severity: 'high' },
      falseAlerts: 0,
    });
  });

  it('misses an outage that ends before the limit is reached', () => {
    const outage = { firstRun: 3, endMs: at('05:05'), hours: 2 - 2 / 60 };
    const t = timeline({ 3: 'outage', 4: 'outage' }, outage, { 3: 7 });
    expect(judgeAccount(t, DESIGN, 3)).toEqual({
      announcements: [],
      outage: { fate: 'missed', delayHours: null, severity: null },
      falseAlerts: 0,
    });
  });

  it('counts healthy failures four runs long as one false alert in the judged hours, none in the warm-up', () => {
    const judged = timeline({ 5: 'failed', 6: 'incident', 7: 'incident', 8: 'failed' });
    expect(judgeAccount(judged, DESIGN, 3)).toEqual({
      announcements: [{ check: 7, atMs: at('07:50'), lastFetchedRun: 4, severity: 'high' }],
      outage: null,
      falseAlerts: 1,
    });
    expect(judgeAccount(judged, DESIGN, 4).announcements).toEqual([{ check: 8, atMs: at('08:50'), lastFetchedRun: 4, severity: 'high' }]);
    expect(judgeAccount(judged, DESIGN, 5).falseAlerts).toBe(0);
    // Never fetched: silent since monitoring began at 00:00, stale at 03:50 (a warm-up check when warm-up is 4 h).
    const warmup = timeline({ 0: 'failed', 1: 'failed', 2: 'failed', 3: 'failed' });
    expect(judgeAccount(warmup, { ...DESIGN, warmupHours: 4, judgedHours: 8 }, 3)).toEqual({
      announcements: [{ check: 3, atMs: at('03:50'), lastFetchedRun: -1, severity: 'high' }],
      outage: null,
      falseAlerts: 0,
    });
  });
});

describe('runFreshnessSuite', () => {
  const small = { faultySeries: 30, cleanSeries: 40 };

  it('catches nothing with a limit longer than any outage', () => {
    const r = runFreshnessSuite({ ...small, maxAgeHours: 1000 });
    expect(r.recall).toBe(0);
    expect(r.falseAlerts).toBe(0);
    expect(r.missed).toHaveLength(30);
    expect(r.missed.every((m) => m.fate === 'missed')).toBe(true);
  });

  it('catches every 48 h outage 2.58–2.83 h after its first failed run, with no false alert, when runs never fail otherwise', () => {
    const r = runFreshnessSuite({ ...small, runFailureProbability: [0, 0], incidentsPerMonth: 0, outageHours: [48, 48] });
    expect(r.recall).toBe(1);
    const [shortest = Number.NaN, longest = Number.NaN] = r.delayRangeHours;
    expect(shortest).toBeGreaterThan(2 + 35 / 60);
    expect(longest).toBeLessThanOrEqual(2 + 50 / 60);
    // At every limit L: the L-th failed run's check, (L − 1) h 50 min after the hour of the first.
    for (const s of r.sweep) {
      expect(s.recall).toBe(1);
      expect(s.falseAlerts + s.falseAlertsOnFaultyAccounts).toBe(0);
      expect(s.delayRangeHours[0]).toBeGreaterThan(s.maxAgeHours - 25 / 60);
      expect(s.delayRangeHours[1]).toBeLessThanOrEqual(s.maxAgeHours - 10 / 60);
    }
  });

  it('gives fewer false alerts the longer the limit, on the same timelines, and is deterministic', () => {
    const r = runFreshnessSuite(small);
    const falseAlerts = r.sweep.map((s) => s.falseAlerts);
    expect(r.sweep.map((s) => s.maxAgeHours)).toEqual([2, 3, 4, 6]);
    expect(falseAlerts[0]).toBeGreaterThan(falseAlerts[1] ?? 0);
    expect(falseAlerts).toEqual([...falseAlerts].sort((a, b) => b - a));
    const { runtimeMs: _a, ...first } = r;
    const { runtimeMs: _b, ...again } = runFreshnessSuite(small);
    expect(again).toEqual(first);
  });
});
