import { describe, expect, it } from 'vitest';
import type { StoredDailyMetric } from '../../../lib/model/ads.ts';
import { InvalidReportInputError, MissingExchangeRateError } from '../../../lib/report/errors.ts';
import { buildWeeklyReport, type WeeklyReportInput } from '../../../lib/report/model.ts';
import { type Figures, WeeklyReport } from '../../../lib/report/report.ts';
import { loadReportInput, metricRow } from './fixture.ts';

/** Figures written out by hand: amounts in micros, ROAS as the fraction, CPA already rounded to the micro. */
function f(spendMicros: number, revenueMicros: number, conversions: number, roas: number | null, cpaMicros: number | null): Figures {
  return { spendMicros, revenueMicros, conversions, roas, cpaMicros };
}

const ZERO = f(0, 0, 0, null, null);

// test/fixtures/report/small-client.json, week 2026-W10 (Mon 2 Mar .. Sun 8 Mar), today Mon 9 Mar,
// reporting in EUR, USD at 0.92. Rows (amounts in major units):
//   meta A1 (C1)  2 Mar 100.00 / 350.00 / 7    5 Mar 50.50 / 0 / 0     prev 23 Feb 80 / 200 / 4   16 Feb 60 / 120 / 2
//   meta A2 (C1)  3 Mar  20.00 /  90.00 / 3
//   meta A3 (C2)  6 Mar   5.00 /   0    / 0    (not in the entity list)
//   google G1     4 Mar USD 40 / 200 / 4  → EUR 36.80 / 184.00      8 Mar USD 10 / 12.34 / 1 → EUR 9.20 / 11.3528
//                 prev 25 Feb USD 30 / 150 / 3 → EUR 27.60 / 138.00   2 Feb USD 25 / 50 / 1 → EUR 23.00 / 46.00
//   26 Jan and 9 Mar rows lie outside the five weeks and are ignored.
describe('buildWeeklyReport on the small hand-computed client', () => {
  const input = loadReportInput('small-client.json');
  const report = buildWeeklyReport(input);

  it('computes the totals to the micro, with week-over-week changes', () => {
    // This week: spend 150.50 + 20 + 5 + 46.00 = 221.50; revenue 440 + 195.3528 = 635.3528; 15 conversions.
    // CPA 221.50 / 15 = 14.7666… → 14.766667. Last week: 80 + 27.60 = 107.60; 338.00; 7; CPA 15.371428… → 15.371429.
    const current = f(221_500_000, 635_352_800, 15, 635_352_800 / 221_500_000, 14_766_667);
    const previous = f(107_600_000, 338_000_000, 7, 338_000_000 / 107_600_000, 15_371_429);
    expect(report.totals).toEqual({
      current,
      previous,
      change: {
        spend: (221_500_000 - 107_600_000) / 107_600_000,
        revenue: (635_352_800 - 338_000_000) / 338_000_000,
        conversions: (15 - 7) / 7,
        roas: ((current.roas as number) - (previous.roas as number)) / (previous.roas as number),
        cpa: (14_766_667 - 15_371_429) / 15_371_429,
      },
      provisional: true,
      previousProvisional: true,
      trend: [
        { label: '2026-W06', from: '2026-02-02', to: '2026-02-08', ...f(23_000_000, 46_000_000, 1, 2, 23_000_000), provisional: false },
        { label: '2026-W07', from: '2026-02-09', to: '2026-02-15', ...ZERO, provisional: false },
        { label: '2026-W08', from: '2026-02-16', to: '2026-02-22', ...f(60_000_000, 120_000_000, 2, 2, 30_000_000), provisional: true },
        { label: '2026-W09', from: '2026-02-23', to: '2026-03-01', ...previous, provisional: true },
        { label: '2026-W10', from: '2026-03-02', to: '2026-03-08', ...current, provisional: true },
      ],
    });
    expect(report.totals.current.spendMicros).toBe(221_500_000); // €221.50 exactly
  });

  it('computes each platform, converting Google Ads from USD row by row', () => {
    expect(report.platforms.map((p) => p.platform)).toEqual(['meta', 'google-ads']);
    const [meta, google] = report.platforms;
    expect(meta).toMatchObject({
      platform: 'meta',
      current: f(175_500_000, 440_000_000, 10, 440 / 175.5, 17_550_000),
      previous: f(80_000_000, 200_000_000, 4, 2.5, 20_000_000),
      provisional: true,
      previousProvisional: true,
      restatementDays: 28,
      finalOn: '2026-04-05',
    });
    expect(google).toEqual({
      platform: 'google-ads',
      current: f(46_000_000, 195_352_800, 5, 195_352_800 / 46_000_000, 9_200_000),
      previous: f(27_600_000, 138_000_000, 3, 5, 9_200_000),
      change: {
        spend: (46_000_000 - 27_600_000) / 27_600_000,
        revenue: (195_352_800 - 138_000_000) / 138_000_000,
        conversions: (5 - 3) / 3,
        roas: (195_352_800 / 46_000_000 - 5) / 5,
        cpa: 0,
      },
      // Only the 8 Mar row is within Google's 3-day window (dates after 6 Mar).
      provisional: true,
      previousProvisional: false,
      restatementDays: 3,
      finalOn: '2026-03-11',
      trend: [
        { label: '2026-W06', from: '2026-02-02', to: '2026-02-08', ...f(23_000_000, 46_000_000, 1, 2, 23_000_000), provisional: false },
        { label: '2026-W07', from: '2026-02-09', to: '2026-02-15', ...ZERO, provisional: false },
        { label: '2026-W08', from: '2026-02-16', to: '2026-02-22', ...ZERO, provisional: false },
        { label: '2026-W09', from: '2026-02-23', to: '2026-03-01', ...f(27_600_000, 138_000_000, 3, 5, 9_200_000), provisional: false },
        {
          label: '2026-W10',
          from: '2026-03-02',
          to: '2026-03-08',
          ...f(46_000_000, 195_352_800, 5, 195_352_800 / 46_000_000, 9_200_000),
          provisional: true,
        },
      ],
    });
  });

  it('computes campaigns, naming them from the entity list or falling back to the id', () => {
    expect(
      report.campaigns.map(({ platform, campaignId, name, current, previous }) => ({ platform, campaignId, name, current, previous })),
    ).toEqual([
      {
        platform: 'meta',
        campaignId: 'C1',
        name: 'Spring sale',
        current: f(170_500_000, 440_000_000, 10, 440 / 170.5, 17_050_000),
        previous: f(80_000_000, 200_000_000, 4, 2.5, 20_000_000),
      },
      {
        platform: 'google-ads',
        campaignId: 'GC1',
        name: 'Brand',
        current: f(46_000_000, 195_352_800, 5, 195_352_800 / 46_000_000, 9_200_000),
        previous: f(27_600_000, 138_000_000, 3, 5, 9_200_000),
      },
      { platform: 'meta', campaignId: 'C2', name: 'C2', current: f(5_000_000, 0, 0, 0, null), previous: ZERO },
    ]);
  });

  it('computes ad sets sorted by spend, with names, status and provisional flags', () => {
    expect(report.adsets).toEqual([
      {
        platform: 'meta',
        accountId: 'act_1001',
        accountName: 'Acme FR',
        campaignId: 'C1',
        campaignName: 'Spring sale',
        adsetId: 'A1',
        name: 'Prospecting FR',
        status: 'ACTIVE',
        learning: false,
        current: f(150_500_000, 350_000_000, 7, 350 / 150.5, 21_500_000),
        previous: f(80_000_000, 200_000_000, 4, 2.5, 20_000_000),
        change: { spend: 70.5 / 80, revenue: 150 / 200, conversions: 3 / 4, roas: (350 / 150.5 - 2.5) / 2.5, cpa: 1_500_000 / 20_000_000 },
        provisional: true,
        previousProvisional: true,
      },
      {
        platform: 'google-ads',
        accountId: '1234567890',
        accountName: 'Acme US',
        campaignId: 'GC1',
        campaignName: 'Brand',
        adsetId: 'G1',
        name: 'Brand search',
        status: 'PAUSED',
        learning: false,
        current: f(46_000_000, 195_352_800, 5, 195_352_800 / 46_000_000, 9_200_000),
        previous: f(27_600_000, 138_000_000, 3, 5, 9_200_000),
        change: google(report).change,
        provisional: true,
        previousProvisional: false,
      },
      {
        platform: 'meta',
        accountId: 'act_1001',
        accountName: 'Acme FR',
        campaignId: 'C1',
        campaignName: 'Spring sale',
        adsetId: 'A2',
        name: 'Retargeting',
        status: 'ACTIVE',
        learning: true,
        // CPA 20 / 3 = 6.6666… → 6.666667
        current: f(20_000_000, 90_000_000, 3, 4.5, 6_666_667),
        previous: ZERO,
        change: { spend: null, revenue: null, conversions: null, roas: null, cpa: null },
        provisional: true,
        previousProvisional: false,
      },
      {
        platform: 'meta',
        accountId: 'act_1001',
        accountName: 'Acme FR',
        campaignId: 'C2',
        campaignName: 'C2',
        adsetId: 'A3',
        name: 'A3',
        status: null,
        learning: false,
        current: f(5_000_000, 0, 0, 0, null),
        previous: ZERO,
        change: { spend: null, revenue: null, conversions: null, roas: null, cpa: null },
        provisional: true,
        previousProvisional: false,
      },
    ]);
  });

  it('lists the budget moves of the week in order, with their size in EUR', () => {
    expect(report.budgetMoves).toEqual({
      moves: [
        {
          changeId: 'ch-1',
          planId: 'plan-0303',
          platform: 'meta',
          accountId: 'act_1001',
          adsetId: 'A1',
          adsetName: 'Prospecting FR',
          budgetLevel: 'adset',
          currency: 'EUR',
          beforeMicros: 100_000_000,
          afterMicros: 120_000_000,
          deltaMicros: 20_000_000,
          deltaReportingMicros: 20_000_000,
          deltaPct: 0.2,
          reason: 'Marginal ROAS 2.9 vs 2.1 for the account',
          appliedAt: '2026-03-03T07:05:00.000Z',
          outcome: 'applied',
          error: null,
          revertsChangeId: null,
        },
        {
          changeId: 'ch-2',
          planId: 'plan-0305',
          platform: 'meta',
          accountId: 'act_1001',
          adsetId: 'A2',
          adsetName: 'Retargeting',
          budgetLevel: 'adset',
          currency: 'EUR',
          beforeMicros: 30_000_000,
          afterMicros: 25_000_000,
          deltaMicros: -5_000_000,
          deltaReportingMicros: -5_000_000,
          deltaPct: -5 / 30,
          reason: 'Reverted: CPA jumped after the increase',
          appliedAt: '2026-03-05T07:10:00.000Z',
          outcome: 'reverted',
          error: null,
          revertsChangeId: 'ch-0',
        },
        {
          changeId: 'ch-3',
          planId: 'plan-0306',
          platform: 'google-ads',
          accountId: '1234567890',
          adsetId: 'G1',
          adsetName: 'Brand search',
          budgetLevel: 'adset',
          currency: 'USD',
          beforeMicros: 50_000_000,
          afterMicros: 60_000_000,
          deltaMicros: 10_000_000,
          deltaReportingMicros: 9_200_000,
          deltaPct: 0.2,
          reason: 'Marginal ROAS 4.2, best of the account',
          appliedAt: '2026-03-06T07:00:00.000Z',
          outcome: 'failed',
          error: 'budget is 55000000 on the platform, not 50000000',
          revertsChangeId: null,
        },
      ],
      // The failed move did not change a budget, so it is only counted.
      summary: {
        applied: 1,
        reverted: 1,
        failed: 1,
        skipped: 0,
        increaseMicros: 20_000_000,
        decreaseMicros: 5_000_000,
        netMicros: 15_000_000,
      },
    });
  });

  it('orders anomalies by severity and tests with concluded ones first', () => {
    expect(report.anomalies.map((a) => [a.severity, a.adsetId])).toEqual([
      ['high', 'A1'],
      ['low', 'G1'],
    ]);
    expect(report.tests).toEqual([
      {
        testId: 'q1-creatives',
        decision: 'winner',
        summary: 'Video beats static: ROAS 3.1 vs 2.4 (always-valid p = 0.01).',
        concluded: true,
      },
      { testId: 'q1-audiences', decision: 'continue', summary: 'B leads A by 4% ROAS; 38% of the planned sample.', concluded: false },
    ]);
  });

  it("summarises next week's plan, largest increase first", () => {
    expect(report.nextPlan?.planId).toBe('plan-0309');
    expect(report.nextPlan?.moves.map((m) => [m.changeId, m.deltaReportingMicros, m.outcome, m.appliedAt])).toEqual([
      ['pc-2', 4_600_000, 'planned', null],
      ['pc-1', -10_000_000, 'planned', null],
    ]);
    expect(report.nextPlan?.summary).toEqual({ changes: 2, increaseMicros: 4_600_000, decreaseMicros: 10_000_000, netMicros: -5_400_000 });
  });

  it('names the week, the previous week and the rates it used', () => {
    expect({
      week: report.week,
      previousWeek: report.previousWeek,
      rates: report.exchangeRates,
      currency: report.currency,
      today: report.today,
    }).toEqual({
      week: { label: '2026-W10', from: '2026-03-02', to: '2026-03-08' },
      previousWeek: { label: '2026-W09', from: '2026-02-23', to: '2026-03-01' },
      rates: [{ currency: 'USD', rate: 0.92 }], // GBP is configured but unused
      currency: 'EUR',
      today: '2026-03-09',
    });
  });

  it('produces a report that passes its own schema unchanged (it crosses a Lambda boundary)', () => {
    expect(WeeklyReport.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it('has no plan section when no plan is given', () => {
    const { nextPlan: _, ...withoutPlan } = input;
    expect(buildWeeklyReport(withoutPlan).nextPlan).toBeNull();
  });
});

function google(report: WeeklyReport) {
  const line = report.platforms.find((p) => p.platform === 'google-ads');
  if (!line) throw new Error('no google-ads line');
  return line;
}

/** A minimal input around a list of rows. */
function inputWith(rows: StoredDailyMetric[], overrides: Partial<WeeklyReportInput> = {}): WeeklyReportInput {
  return {
    client: 'acme',
    timezone: 'Europe/Paris',
    reportingCurrency: 'EUR',
    exchangeRates: {},
    week: { label: '2026-W10', from: '2026-03-02', to: '2026-03-08' },
    today: '2026-03-09',
    objective: 'revenue',
    accounts: [],
    adsets: [],
    metrics: rows,
    restatementDays: {},
    changes: [],
    anomalies: [],
    tests: [],
    ...overrides,
  };
}

const meta = (date: string, spendMicros: number, extra: Partial<StoredDailyMetric> = {}) =>
  metricRow({
    platform: 'meta',
    accountId: 'act_1',
    adsetId: 'a',
    campaignId: 'c',
    date,
    currency: 'EUR',
    spendMicros,
    revenueMicros: 0,
    conversions: 0,
    ...extra,
  });

describe('reporting-currency conversion', () => {
  it('converts a JPY account and a GBP account into EUR with exact rounding per row', () => {
    const rows = [
      // ¥123,457 at 0.0061 = €753.0877 exactly
      metricRow({
        platform: 'tiktok',
        accountId: 't',
        adsetId: 'j',
        campaignId: 'c',
        date: '2026-03-03',
        currency: 'JPY',
        spendMicros: 123_457_000_000,
        revenueMicros: 0,
        conversions: 0,
      }),
      // £0.000001 at 1.17 = 1.17 micros → 1 micro; £0.000003 → 3.51 → 4 micros
      metricRow({
        platform: 'linkedin',
        accountId: 'l',
        adsetId: 'g1',
        campaignId: 'c',
        date: '2026-03-03',
        currency: 'GBP',
        spendMicros: 1,
        revenueMicros: 3,
        conversions: 0,
      }),
      // £19.99 at 1.17 = €23.3883
      metricRow({
        platform: 'linkedin',
        accountId: 'l',
        adsetId: 'g2',
        campaignId: 'c',
        date: '2026-03-04',
        currency: 'GBP',
        spendMicros: 19_990_000,
        revenueMicros: 0,
        conversions: 0,
      }),
      meta('2026-03-05', 10_000_000),
    ];
    const report = buildWeeklyReport(inputWith(rows, { exchangeRates: { JPY: 0.0061, GBP: 1.17 } }));
    expect(report.platforms.map((p) => [p.platform, p.current.spendMicros, p.current.revenueMicros])).toEqual([
      ['tiktok', 753_087_700, 0],
      ['linkedin', 23_388_301, 4],
      ['meta', 10_000_000, 0],
    ]);
    expect(report.totals.current.spendMicros).toBe(753_087_700 + 23_388_301 + 10_000_000);
    expect(report.exchangeRates).toEqual([
      { currency: 'GBP', rate: 1.17 },
      { currency: 'JPY', rate: 0.0061 },
    ]);
  });

  it('fails with a typed error naming every currency that has no rate', () => {
    const rows = [meta('2026-03-03', 1, { currency: 'USD' }), meta('2026-03-04', 1, { currency: 'CHF' }), meta('2026-03-05', 1)];
    const error = captureError(() => buildWeeklyReport(inputWith(rows, { exchangeRates: { GBP: 1.2 } })));
    expect(error).toBeInstanceOf(MissingExchangeRateError);
    expect({ ...(error as MissingExchangeRateError), message: (error as Error).message }).toEqual({
      name: 'MissingExchangeRateError',
      currencies: ['CHF', 'USD'],
      reportingCurrency: 'EUR',
      message:
        'no exchange rate to EUR for CHF, USD: add CHF: <units of EUR per 1 CHF>, USD: <units of EUR per 1 USD> under report.exchangeRates',
    });
  });

  it('needs rates for the currencies of budget moves too', () => {
    const change = loadReportInput('small-client.json').changes.find((c) => c.currency === 'USD');
    expect(() => buildWeeklyReport(inputWith([], { changes: change ? [change] : [] }))).toThrow(MissingExchangeRateError);
  });
});

describe('provisional figures', () => {
  it('marks exactly the rows with date > today − restatementDays', () => {
    // today 9 Mar, 3 days: 6 Mar is final, 7 Mar is provisional.
    const final = buildWeeklyReport(inputWith([meta('2026-03-06', 1_000_000)], { restatementDays: { meta: 3 } }));
    const provisional = buildWeeklyReport(inputWith([meta('2026-03-07', 1_000_000)], { restatementDays: { meta: 3 } }));
    expect([final.totals.provisional, final.adsets[0]?.provisional, final.platforms[0]?.finalOn]).toEqual([false, false, '2026-03-11']);
    expect([provisional.totals.provisional, provisional.adsets[0]?.provisional]).toEqual([true, true]);
  });

  it('treats a platform without a configured window as final once the day is over', () => {
    const report = buildWeeklyReport(inputWith([meta('2026-03-08', 1_000_000)], { today: '2026-03-09' }));
    expect(report.platforms[0]).toMatchObject({ provisional: false, restatementDays: 0, finalOn: '2026-03-08' });
  });

  it('rejects a negative window', () => {
    expect(() => buildWeeklyReport(inputWith([], { restatementDays: { meta: -1 } }))).toThrow(InvalidReportInputError);
  });
});

describe('a week crossing the end of daylight saving time (Europe/Paris, Sunday 25 October 2026)', () => {
  // The 25-hour day is Sunday 25 Oct: it belongs to 2026-W43 (19..25 Oct); Monday 26 Oct to W44.
  const rows = [
    meta('2026-10-19', 10_000_000, { revenueMicros: 30_000_000, conversions: 1 }),
    meta('2026-10-25', 25_000_000, { revenueMicros: 50_000_000, conversions: 2 }),
    meta('2026-10-26', 99_000_000, { revenueMicros: 99_000_000, conversions: 9 }),
    meta('2026-10-18', 7_000_000, { revenueMicros: 14_000_000, conversions: 1 }),
    // A New York account, whose own DST change is a week later: its dates are its own local dates.
    metricRow({
      platform: 'google-ads',
      accountId: 'ny',
      adsetId: 'g',
      campaignId: 'c',
      date: '2026-10-25',
      currency: 'EUR',
      spendMicros: 5_000_000,
      revenueMicros: 10_000_000,
      conversions: 1,
    }),
  ];
  const report = buildWeeklyReport(
    inputWith(rows, {
      week: { label: '2026-W43', from: '2026-10-19', to: '2026-10-25' },
      today: '2026-10-26',
      restatementDays: { meta: 2 },
    }),
  );

  it('counts the 25-hour Sunday in the week and Monday in the next', () => {
    expect(report.totals.current).toEqual(f(40_000_000, 90_000_000, 4, 90 / 40, 10_000_000));
    expect(report.totals.previous).toEqual(f(7_000_000, 14_000_000, 1, 2, 7_000_000));
  });

  it('keeps Monday-to-Sunday weeks in the trend across the change', () => {
    expect(report.totals.trend.map((w) => `${w.label} ${w.from}..${w.to}`)).toEqual([
      '2026-W39 2026-09-21..2026-09-27',
      '2026-W40 2026-09-28..2026-10-04',
      '2026-W41 2026-10-05..2026-10-11',
      '2026-W42 2026-10-12..2026-10-18',
      '2026-W43 2026-10-19..2026-10-25',
    ]);
  });

  it('marks the 25-hour Sunday provisional inside a two-day window, and the week before final', () => {
    // today 26 Oct, 2 days: dates after 24 Oct are provisional.
    expect(report.platforms.find((p) => p.platform === 'meta')).toMatchObject({
      provisional: true,
      previousProvisional: false,
      finalOn: '2026-10-27',
    });
    expect(report.platforms.find((p) => p.platform === 'google-ads')).toMatchObject({ provisional: false, finalOn: '2026-10-25' });
  });
});

describe('input validation', () => {
  it('rejects a week that is not Monday..Sunday of its label', () => {
    const error = captureError(() =>
      buildWeeklyReport(inputWith([], { week: { label: '2026-W10', from: '2026-03-03', to: '2026-03-09' } })),
    );
    expect(error).toBeInstanceOf(InvalidReportInputError);
    expect((error as InvalidReportInputError).field).toBe('week');
  });

  it('rejects a rate for the reporting currency other than 1', () => {
    expect(() => buildWeeklyReport(inputWith([meta('2026-03-03', 1)], { exchangeRates: { EUR: 1.1 } }))).toThrow(InvalidReportInputError);
  });

  it('gives null ratios, not NaN or Infinity, when nothing was spent', () => {
    const report = buildWeeklyReport(inputWith([meta('2026-03-03', 0)]));
    expect(report.totals.current).toEqual(ZERO);
    expect(report.totals.change).toEqual({ spend: null, revenue: null, conversions: null, roas: null, cpa: null });
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
