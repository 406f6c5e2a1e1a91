/**
 * Every figure of a week's report model against sums computed directly from the store rows.
 *
 * A simulated client (Meta account in EUR) reports in USD and runs day by day on the local
 * runtime, as `adpilot demo` does, through 2026-W43: the week in which Paris leaves summer time
 * (Sunday 25 October 2026, 03:00 CEST → 02:00 CET). The weekly-report state machine builds the
 * W43 model on Monday 26 October. The simulation has one account, so a second one, in GBP on
 * another platform, is then written through the Store, with budget changes applied just either
 * side of both local midnights that bound the week (one in summer time, one in winter time), and
 * the model is rebuilt and checked again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { localConnectorFactory } from '../../../lib/local/connectors.ts';
import { type DailyCycleResult, runDailyCycle } from '../../../lib/local/daily-cycle.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { type Simulation, startSimulation } from '../../../lib/local/simulation.ts';
import type { AdSet, DailyMetric } from '../../../lib/model/ads.ts';
import { dateRange, zonedTimeToInstant } from '../../../lib/model/dates.ts';
import { WeeklyReport } from '../../../lib/report/report.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { BudgetChangeRecord } from '../../../lib/store/records.ts';
import { type ExpectedSetup, expectedReport, localDate, snapshot } from './expected.ts';

const TIMEZONE = 'Europe/Paris';
const WEEK = '2026-W43';
/** The report's five weeks, written out rather than computed. */
const WEEKS = [
  { label: '2026-W39', from: '2026-09-21', to: '2026-09-27' },
  { label: '2026-W40', from: '2026-09-28', to: '2026-10-04' },
  { label: '2026-W41', from: '2026-10-05', to: '2026-10-11' },
  { label: '2026-W42', from: '2026-10-12', to: '2026-10-18' },
  { label: '2026-W43', from: '2026-10-19', to: '2026-10-25' },
];
/** What the tests read back from the store: wider than the five weeks, so that rows outside them are there to be left out. */
const SNAPSHOT_FROM = '2026-09-01';
const SNAPSHOT_TO = '2026-10-31';
const RATES = { EUR: '1.1587', GBP: '1.3021' } as const;
const SETUP: ExpectedSetup = {
  reportingCurrency: 'USD',
  rates: RATES,
  timezone: TIMEZONE,
  weeks: WEEKS,
  // The model is built on Monday 26 October: Meta restates 28 days, Google Ads 30 (its default conversion window).
  provisionalAfter: { meta: '2026-09-28', 'google-ads': '2026-09-26' },
};

const config = parseClientConfig(
  {
    client: 'dst-usd',
    timezone: TIMEZONE,
    currency: 'USD',
    objective: 'revenue',
    budget: { dailyTotal: '1750.00', mode: 'auto', maxChangePct: 20, cooldownHours: 48, minDaily: '5.00' },
    platforms: { meta: { accounts: ['act_1000000001'] } },
    report: { recipients: ['lead@dst-usd.example'], weekday: 'monday', exchangeRates: { EUR: Number(RATES.EUR), GBP: Number(RATES.GBP) } },
    simulation: { seed: 5 },
  },
  'the report-vs-store client',
);

const dataDir = mkdtempSync(join(tmpdir(), 'adpilot-report-vs-store-'));
const clock = new ManualClock(zonedTimeToInstant('2026-10-19', 6, TIMEZONE));
let simulation: Simulation;
let runtime: LocalRuntime;
const days: DailyCycleResult[] = [];

beforeAll(async () => {
  simulation = await startSimulation(config, clock);
  runtime = await startLocalRuntime({
    config: simulation.config,
    clock,
    dataDir,
    retryIntervalMs: 0,
    connector: localConnectorFactory(simulation.config, (platform) => simulation.credentials(platform)),
  });
  // Monday 19 October (the first run backfills the 28-day restatement window) to Monday 26 October.
  for (const date of dateRange('2026-10-19', '2026-10-26')) {
    clock.set(zonedTimeToInstant(date, 6, TIMEZONE));
    days.push(await runDailyCycle(runtime, date));
  }
}, 300_000);

afterAll(async () => {
  await runtime?.close();
  await simulation?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const key = (o: Keyed) => [o.platform, o.accountId, o.campaignId, o.adsetId].join('|');
const byKey = <T extends Keyed>(list: T[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
const byChange = <T extends { changeId: string }>(list: T[]) => [...list].sort((a, b) => a.changeId.localeCompare(b.changeId));

/** The parts of the model that follow from the store, in the shape of expectedReport. */
function fromModel(model: WeeklyReport) {
  const line = (l: WeeklyReport['totals']) => ({
    current: l.current,
    previous: l.previous,
    change: l.change,
    provisional: l.provisional,
    previousProvisional: l.previousProvisional,
  });
  return {
    totals: { ...line(model.totals), trend: model.totals.trend },
    platforms: model.platforms.map((p) => ({ platform: p.platform, ...line({ ...p, trend: [] }), trend: p.trend })),
    campaigns: model.campaigns.map((c) => ({
      platform: c.platform,
      accountId: c.accountId,
      campaignId: c.campaignId,
      name: c.name,
      ...line({ ...c, trend: [] }),
    })),
    adsets: model.adsets.map((a) => ({
      platform: a.platform,
      accountId: a.accountId,
      adsetId: a.adsetId,
      name: a.name,
      campaignName: a.campaignName,
      status: a.status,
      ...line({ ...a, trend: [] }),
    })),
    budgetMoves: {
      moves: model.budgetMoves.moves.map((m) => ({
        changeId: m.changeId,
        outcome: m.outcome,
        deltaReportingMicros: m.deltaReportingMicros,
      })),
      summary: model.budgetMoves.summary,
    },
    nextPlan: model.nextPlan
      ? model.nextPlan.moves.map((m) => ({ changeId: m.changeId, deltaReportingMicros: m.deltaReportingMicros }))
      : null,
    anomalies: model.anomalies.map((a) => a.anomalyId),
    exchangeRates: model.exchangeRates,
  };
}

interface Keyed {
  readonly platform: string;
  readonly accountId?: string;
  readonly campaignId?: string;
  readonly adsetId?: string;
}

/** Both sides with every list in one order (the model's own ordering is checked separately). */
function normalized<
  T extends {
    platforms: Keyed[];
    campaigns: Keyed[];
    adsets: Keyed[];
    budgetMoves: { moves: { changeId: string }[] };
    nextPlan: { changeId: string }[] | null;
    anomalies: string[];
  },
>(report: T) {
  return {
    ...report,
    platforms: byKey(report.platforms),
    campaigns: byKey(report.campaigns),
    adsets: byKey(report.adsets),
    budgetMoves: { ...report.budgetMoves, moves: byChange(report.budgetMoves.moves) },
    nextPlan: report.nextPlan && byChange(report.nextPlan),
    anomalies: [...report.anomalies].sort(),
  };
}

async function storedModel(): Promise<WeeklyReport> {
  return WeeklyReport.parse(await runtime.ctx.store.getReportModel(WEEK));
}

/** Lines are listed by this week's spend, largest first. */
function expectSortedBySpend(lines: readonly { current: { spendMicros: number } }[]): void {
  const spends = lines.map((l) => l.current.spendMicros);
  expect(spends).toEqual([...spends].sort((a, b) => b - a));
}

describe('the weekly report model against the store', () => {
  it('ran the simulated client day by day and built the W43 report on Monday 26 October', () => {
    expect(days.map((d) => [d.date, d.ingestion.every((i) => i.ok), d.optimize.status])).toEqual(
      dateRange('2026-10-19', '2026-10-26').map((date) => [date, true, 'SUCCEEDED']),
    );
    expect(days.filter((d) => d.report).map((d) => [d.date, d.report?.status, d.report?.week])).toEqual([
      ['2026-10-19', 'SUCCEEDED', '2026-W42'],
      ['2026-10-26', 'SUCCEEDED', WEEK],
    ]);
  });

  it('every figure of the stored W43 model equals the sums of the store rows (EUR account, USD reporting)', async () => {
    const model = await storedModel();
    const data = await snapshot(runtime.ctx.store, SNAPSHOT_FROM, SNAPSHOT_TO);
    expect(model.week).toEqual(WEEKS[4]);
    expect(model.today).toBe('2026-10-26');
    // The week has all seven days of every ad set, the 25-hour Sunday included.
    const weekRows = data.rows.filter((r) => r.date >= '2026-10-19' && r.date <= '2026-10-25');
    expect(new Set(weekRows.map((r) => r.date))).toEqual(new Set(dateRange('2026-10-19', '2026-10-25')));
    expect(weekRows).toHaveLength(7 * data.adsets.length);
    expect(new Set(data.rows.map((r) => r.currency))).toEqual(new Set(['EUR']));
    // The daily plans are in the store; in this short run they change no budget, so the simulated week has
    // no budget moves: the GBP account below brings them (the same checks cover both).
    expect(model.nextPlan).not.toBeNull();
    expect(model.adsets).toHaveLength(data.adsets.length);
    // Meta restates 28 days: on 26 October, W39 (to 27 September) is final and the later weeks are not.
    expect(model.totals.trend.map((w) => [w.label, w.provisional])).toEqual(WEEKS.map((w, i) => [w.label, i > 0]));

    expect(normalized(fromModel(model))).toEqual(normalized(expectedReport(data, SETUP)));
    expectSortedBySpend(model.platforms);
    expectSortedBySpend(model.adsets);
  });

  it('converts to the cent: each line is within half a micro per row of the exact converted sum', async () => {
    const model = await storedModel();
    const { rows } = await snapshot(runtime.ctx.store, SNAPSHOT_FROM, SNAPSHOT_TO);
    const week = rows.filter((r) => r.date >= '2026-10-19' && r.date <= '2026-10-25');
    // Exact: Σ EUR micros × 1.1587, as a fraction over 10^4.
    const exact = week.reduce((s, r) => s + BigInt(r.spendMicros), 0n) * 11587n;
    const reported = BigInt(model.totals.current.spendMicros) * 10_000n;
    const error = reported > exact ? reported - exact : exact - reported;
    expect(error).toBeLessThanOrEqual(BigInt(week.length) * 5_000n);
    // So the cents shown are the exact amount's cents.
    expect(Math.round(model.totals.current.spendMicros / 10_000)).toBe(Number((exact + 50_000_000n) / 100_000_000n));
  });

  describe('with a second account in GBP written through the Store', () => {
    const account = {
      platform: 'google-ads',
      accountId: '5550001111',
      name: 'Dst UK',
      currency: 'GBP',
      timezone: 'Europe/London',
    } as const;
    const adsets: AdSet[] = [1, 2, 3].map((i) => ({
      platform: 'google-ads',
      accountId: account.accountId,
      adsetId: `88800${i}`,
      campaignId: `7770${i % 2}`,
      name: i === 2 ? 'حملة الخريف — لندن' : `UK search ${i}`,
      campaignName: i % 2 ? 'UK Brand' : 'UK Generic',
      status: 'ACTIVE',
      currency: 'GBP',
      dailyBudgetMicros: 100_000_000 * i,
      budgetLevel: 'adset',
      learning: false,
    }));
    /** Budget changes at instants just either side of the week's local midnights, in summer and in winter time. */
    const EDGES = [
      { changeId: 'gb-w42-last', appliedAt: '2026-10-18T21:59:59.000Z', local: '2026-10-18' }, // 23:59:59 CEST, Sunday of W42
      { changeId: 'gb-w43-first', appliedAt: '2026-10-18T22:00:00.000Z', local: '2026-10-19' }, // 00:00 CEST, Monday of W43
      { changeId: 'gb-w43-before-switch', appliedAt: '2026-10-25T00:30:00.000Z', local: '2026-10-25' }, // 02:30 CEST, before 03:00 → 02:00
      { changeId: 'gb-w43-last', appliedAt: '2026-10-25T22:59:59.000Z', local: '2026-10-25' }, // 23:59:59 CET
      { changeId: 'gb-w44-first', appliedAt: '2026-10-25T23:00:00.000Z', local: '2026-10-26' }, // 00:00 CET, Monday of W44
    ];

    beforeAll(async () => {
      const { store } = runtime.ctx;
      await store.putAccount(account);
      await store.upsertAdSets(adsets);
      // Google reports micros, not cents: amounts that do not convert to whole micros exercise the rounding.
      const rows: DailyMetric[] = adsets.flatMap((a, i) =>
        dateRange('2026-09-14', '2026-10-27').map((date, d) => ({
          platform: 'google-ads' as const,
          accountId: a.accountId,
          adsetId: a.adsetId,
          campaignId: a.campaignId,
          date,
          currency: 'GBP',
          spendMicros: 23_456_789 + 1_234_567 * ((i * 7 + d * 13) % 29),
          revenueMicros: 71_234_567 + 3_456_789 * ((i * 11 + d * 5) % 31),
          impressions: 5_000 + d,
          clicks: 90 + d,
          conversions: (i + d) % 4,
        })),
      );
      await store.upsertDailyMetrics(rows, new Date('2026-10-26T05:00:00.000Z'));
      for (const [i, edge] of EDGES.entries()) {
        const adset = adsets[i % adsets.length] as AdSet;
        const change: BudgetChangeRecord = {
          changeId: edge.changeId,
          planId: `plan-gb-${edge.local}`,
          platform: 'google-ads',
          accountId: adset.accountId,
          adsetId: adset.adsetId,
          adsetName: adset.name,
          campaignId: adset.campaignId,
          budgetLevel: 'adset',
          currency: 'GBP',
          beforeMicros: 100_000_000,
          afterMicros: i % 2 ? 87_654_321 : 112_345_679,
          reason: 'test change at a week boundary',
          appliedAt: edge.appliedAt,
          outcome: i === 3 ? 'reverted' : 'applied',
          readBackMicros: null,
          error: null,
          revertsChangeId: null,
        };
        await store.appendChange(change);
      }
      await store.putAnomalyIfAbsent({
        anomalyId: 'gb-anomaly-w43',
        platform: 'google-ads',
        accountId: account.accountId,
        adsetId: '888002',
        adsetName: 'حملة الخريف — لندن',
        date: '2026-10-25',
        faultType: 'spend-spike',
        metric: 'spendMicros',
        observed: 90_000_000,
        expectedLow: 20_000_000,
        expectedHigh: 60_000_000,
        severity: 'medium',
        hint: 'Spend tripled.',
        detectedAt: '2026-10-26T05:00:00.000Z',
      });
      await store.putAnomalyIfAbsent({
        anomalyId: 'gb-anomaly-w44',
        platform: 'google-ads',
        accountId: account.accountId,
        adsetId: '888001',
        adsetName: 'UK search 1',
        date: '2026-10-26',
        faultType: 'spend-spike',
        metric: 'spendMicros',
        observed: 90_000_000,
        expectedLow: 20_000_000,
        expectedHigh: 60_000_000,
        severity: 'low',
        hint: 'Next week.',
        detectedAt: '2026-10-27T05:00:00.000Z',
      });
      await runtime.invoke('build-report', { week: WEEK });
    });

    it('the edges fall where Intl says Paris is: summer time before 25 October 03:00, winter time after', () => {
      expect(EDGES.map((e) => localDate(e.appliedAt, TIMEZONE))).toEqual(EDGES.map((e) => e.local));
    });

    it('every figure of the rebuilt model equals the sums of the store rows of both accounts, each converted to USD', async () => {
      const model = await storedModel();
      const data = await snapshot(runtime.ctx.store, SNAPSHOT_FROM, SNAPSHOT_TO);
      expect(new Set(data.rows.map((r) => r.currency))).toEqual(new Set(['EUR', 'GBP']));
      expect(normalized(fromModel(model))).toEqual(normalized(expectedReport(data, SETUP)));
      expect(model.adsets).toHaveLength(9);
      expect(model.exchangeRates).toEqual([
        { currency: 'EUR', rate: 1.1587 },
        { currency: 'GBP', rate: 1.3021 },
      ]);
      expect(model.platforms.map((p) => p.platform).sort()).toEqual(['google-ads', 'meta']);
      expectSortedBySpend(model.platforms);
      expectSortedBySpend(model.adsets);
    });

    it('takes the changes applied from local Monday 00:00 to Sunday 23:59:59 across the DST change, and only those', async () => {
      const model = await storedModel();
      const gb = model.budgetMoves.moves.filter((m) => m.changeId.startsWith('gb-'));
      expect(
        byChange(gb).map((m) => ({
          changeId: m.changeId,
          outcome: m.outcome,
          currency: m.currency,
          deltaReportingMicros: m.deltaReportingMicros,
        })),
      ).toEqual([
        // ±12.345679 GBP × 1.3021 = ±16.0753086259 USD → ±16.075309
        { changeId: 'gb-w43-before-switch', outcome: 'applied', currency: 'GBP', deltaReportingMicros: 16_075_309 },
        { changeId: 'gb-w43-first', outcome: 'applied', currency: 'GBP', deltaReportingMicros: -16_075_309 },
        { changeId: 'gb-w43-last', outcome: 'reverted', currency: 'GBP', deltaReportingMicros: -16_075_309 },
      ]);
      expect(model.anomalies.filter((a) => a.anomalyId.startsWith('gb-')).map((a) => a.anomalyId)).toEqual(['gb-anomaly-w43']);
    });
  });
});
