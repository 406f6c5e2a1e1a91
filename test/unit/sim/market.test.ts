import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DailyMetric } from '../../../lib/model/ads.ts';
import { addDays } from '../../../lib/model/dates.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import { SimulationError } from '../../../lib/sim/errors.ts';
import { MAX_DAILY_OVERSPEND, MarketSimulator, sampleMarket } from '../../../lib/sim/market.ts';
import type { MarketConfigInput, SimAdSetInput } from '../../../lib/sim/market-config.ts';
import { hillConversions } from '../../../lib/sim/response.ts';
import { HOSTILE_ADSET_NAME, SAMPLE_ACCOUNT_ID } from '../../../lib/sim/sample-market.ts';

const EUR = 1_000_000;
/** Monday 2 November 2026, 08:00 in Paris. */
const NOW = '2026-11-02T07:00:00Z';
const BROAD = '23850000000001';
const LOOKALIKE = '23850000000002';

function market(seed = 42, now = NOW) {
  const clock = new ManualClock(now);
  return { clock, market: sampleMarket(seed, clock, { startDate: '2026-09-01' }) };
}

const byAdset = (rows: readonly DailyMetric[], adsetId: string) => rows.filter((r) => r.adsetId === adsetId);

describe('sampleMarket', () => {
  it('is the Acme Outdoor account with six ad sets budgeted 1,500.00 EUR a day', () => {
    const { market: m } = market();
    expect(m.account(SAMPLE_ACCOUNT_ID)).toEqual({
      platform: 'meta',
      accountId: 'act_1000000001',
      name: 'Acme Outdoor',
      currency: 'EUR',
      timezone: 'Europe/Paris',
    });
    const adsets = m.adsets();
    expect(adsets.map((a) => a.adsetId)).toEqual([
      '23850000000001',
      '23850000000002',
      '23850000000003',
      '23850000000004',
      '23850000000005',
      '23850000000006',
    ]);
    expect(adsets.map((a) => a.name)).toEqual([
      'Prospecting – Broad',
      'Lookalike 1%',
      'Retargeting 7d',
      'Video Views → Shop',
      'Catalog DPA',
      HOSTILE_ADSET_NAME,
    ]);
    expect(adsets.reduce((sum, a) => sum + (a.dailyBudgetMicros ?? 0), 0)).toBe(1_500 * EUR);
    expect(new Set(adsets.map((a) => `${a.status}/${a.budgetLevel}/${a.currency}/${a.learning}`))).toEqual(
      new Set(['ACTIVE/adset/EUR/false']),
    );
  });

  it('has clearly different efficiency: ROAS at today’s budgets spans from below 1.2 to above 5', () => {
    const { market: m } = market();
    const roas = m
      .adsets()
      .map((a) => m.expectedResponse(a.adsetId, a.dailyBudgetMicros ?? 0, '2026-10-29').revenueMicros / (a.dailyBudgetMicros ?? 1));
    expect(Math.min(...roas)).toBeLessThan(1.2);
    expect(Math.max(...roas)).toBeGreaterThan(5);
  });
});

describe('MarketSimulator determinism', () => {
  it('gives identical rows for the same seed, whatever the order of queries', () => {
    const a = market(7).market;
    const b = market(7).market;
    const whole = a.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-10-20');
    const pieces = [
      ...b.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-11', '2026-10-20'),
      ...b.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-10-10'),
    ];
    expect(whole).toHaveLength(20 * 6);
    expect(pieces.sort((x, y) => x.date.localeCompare(y.date) || x.adsetId.localeCompare(y.adsetId))).toEqual(whole);
  });

  it('gives different rows for another seed', () => {
    expect(market(7).market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-10-03')).not.toEqual(
      market(8).market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-10-03'),
    );
  });

  it('produces DailyMetric rows with integer money in whole cents', () => {
    const rows = market().market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-10-31');
    expect(rows[0]).toEqual({
      platform: 'meta',
      accountId: SAMPLE_ACCOUNT_ID,
      adsetId: BROAD,
      campaignId: '23850000000101',
      date: '2026-10-01',
      currency: 'EUR',
      spendMicros: expect.any(Number),
      revenueMicros: expect.any(Number),
      impressions: expect.any(Number),
      clicks: expect.any(Number),
      conversions: expect.any(Number),
    });
    for (const row of rows) {
      expect(row.spendMicros % 10_000).toBe(0);
      expect(row.revenueMicros % 10_000).toBe(0);
      expect(row.clicks).toBeLessThanOrEqual(row.impressions);
    }
  });
});

describe('MarketSimulator days', () => {
  it('serves only days strictly before the account-local today', () => {
    const { market: m } = market();
    expect(m.today(SAMPLE_ACCOUNT_ID)).toBe('2026-11-02');
    const rows = m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-30', '2026-11-09');
    expect([...new Set(rows.map((r) => r.date))]).toEqual(['2026-10-30', '2026-10-31', '2026-11-01']);
  });

  it('uses the account time zone, not UTC, for today', () => {
    // 23:30 UTC on 1 November is 00:30 on 2 November in Paris (UTC+1 in winter)
    const late = market(42, '2026-11-01T23:30:00Z').market;
    expect(late.today(SAMPLE_ACCOUNT_ID)).toBe('2026-11-02');
    expect(late.dailyResults(SAMPLE_ACCOUNT_ID, '2026-11-01', '2026-11-01')).toHaveLength(6);
    const before = market(42, '2026-11-01T22:30:00Z').market;
    expect(before.dailyResults(SAMPLE_ACCOUNT_ID, '2026-11-01', '2026-11-01')).toEqual([]);
  });

  it('has no delivery before the start date', () => {
    expect(
      market()
        .market.dailyResults(SAMPLE_ACCOUNT_ID, '2026-08-25', '2026-09-01')
        .map((r) => r.date),
    ).toEqual(Array(6).fill('2026-09-01'));
  });

  it('converts on average as its true curve says (120 days, tolerance 12%)', () => {
    const clock = new ManualClock('2027-01-05T07:00:00Z');
    const m = sampleMarket(3, clock, { startDate: '2026-09-01' });
    const rows = byAdset(m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-09-01', '2026-12-29'), LOOKALIKE);
    expect(rows).toHaveLength(120);
    const expected = rows.reduce((s, r) => s + m.expectedResponse(LOOKALIKE, r.spendMicros, r.date).conversions, 0);
    const actual = rows.reduce((s, r) => s + r.conversions, 0);
    expect(Math.abs(actual / expected - 1)).toBeLessThan(0.12);
    const orderValue = rows.reduce((s, r) => s + r.revenueMicros, 0) / actual;
    expect(Math.abs(orderValue / (75 * EUR) - 1)).toBeLessThan(0.08);
  });

  it('computes the expected response from the Hill curve and the weekday multiplier', () => {
    const { market: m } = market();
    const curve = { beta: 40.6, alpha: 1, kappa: 900 };
    // 2026-10-31 is a Saturday: Prospecting – Broad peaks at weekends (×1.1)
    const conversions = ((40.6 * 400) / (400 + 900)) * 1.1;
    expect(m.expectedResponse(BROAD, 400 * EUR, '2026-10-31')).toEqual({ conversions, revenueMicros: Math.round(conversions * 80 * EUR) });
    expect(hillConversions(curve, 900 * EUR)).toBeCloseTo(20.3, 10);
    expect(m.expectedResponse(BROAD, 0, '2026-10-31')).toEqual({ conversions: 0, revenueMicros: 0 });
  });
});

describe('MarketSimulator budgets', () => {
  it('applies a budget change from the next account-local day and shows it at once', () => {
    const { clock, market: m } = market(42, '2026-11-02T10:00:00Z');
    expect(m.setDailyBudget(BROAD, 800 * EUR)).toEqual({ effectiveFrom: '2026-11-03' });
    expect([m.budgetOn(BROAD, '2026-11-02'), m.budgetOn(BROAD, '2026-11-03'), m.adset(BROAD).dailyBudgetMicros]).toEqual([
      400 * EUR,
      800 * EUR,
      800 * EUR,
    ]);
    clock.advance(2 * 86_400_000);
    const [day2, day3] = byAdset(m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-11-02', '2026-11-03'), BROAD);
    expect(day2?.spendMicros).toBeLessThanOrEqual(MAX_DAILY_OVERSPEND * 400 * EUR);
    expect(day3?.spendMicros).toBeGreaterThan(MAX_DAILY_OVERSPEND * 400 * EUR);
    expect(day3?.spendMicros).toBeLessThanOrEqual(MAX_DAILY_OVERSPEND * 800 * EUR);
  });

  it('counts the next day in the account time zone around midnight', () => {
    const { market: m } = market();
    // 22:59 UTC is 23:59 in Paris on the 2nd; 23:01 UTC is already the 3rd
    expect(m.setDailyBudget(BROAD, 500 * EUR, new Date('2026-11-02T22:59:00Z'))).toEqual({ effectiveFrom: '2026-11-03' });
    expect(m.setDailyBudget(LOOKALIKE, 500 * EUR, new Date('2026-11-02T23:01:00Z'))).toEqual({ effectiveFrom: '2026-11-04' });
  });

  it('never spends more than 1.25× the budget in effect, and bills whole minor units (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 20 }),
            adset: fc.integer({ min: 1, max: 6 }),
            budget: fc.integer({ min: 1, max: 20_000_000_000 }),
          }),
          { maxLength: 8 },
        ),
        fc.constantFrom('EUR', 'JPY'),
        (seed, changes, currency) => {
          const clock = new ManualClock('2026-10-01T12:00:00Z');
          const m = new MarketSimulator({
            ...withCurrency(seed, currency),
            startDate: '2026-10-01',
            clock,
          });
          for (const change of [...changes].sort((a, b) => a.day - b.day)) {
            m.setDailyBudget(
              `2385000000000${change.adset}`,
              change.budget,
              new Date(Date.parse('2026-10-01T12:00:00Z') + change.day * 86_400_000),
            );
          }
          clock.set('2026-10-25T12:00:00Z');
          const unit = currency === 'JPY' ? 1_000_000 : 10_000;
          for (const row of m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-10-24')) {
            expect(row.spendMicros).toBeLessThanOrEqual(MAX_DAILY_OVERSPEND * m.budgetOn(row.adsetId, row.date));
            expect(row.spendMicros % unit).toBe(0);
            expect(row.revenueMicros % unit).toBe(0);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('pauses delivery from the next day with setStatus', () => {
    const { clock, market: m } = market();
    m.setStatus(LOOKALIKE, 'PAUSED');
    clock.advance(3 * 86_400_000);
    const rows = byAdset(m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-11-02', '2026-11-04'), LOOKALIKE);
    expect(rows.map((r) => r.date)).toEqual(['2026-11-02']);
    expect(m.adset(LOOKALIKE).status).toBe('PAUSED');
  });
});

describe('MarketSimulator history', () => {
  it('never changes a day once simulated: later budget changes, faults and time leave it identical', () => {
    const { clock, market: m } = market();
    const before = m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-11-01');
    m.setDailyBudget(BROAD, 50 * EUR);
    m.setDailyBudget(LOOKALIKE, 900 * EUR);
    m.stopDelivery('23850000000003', '2026-11-03');
    m.breakTracking('23850000000004', '2026-11-02');
    clock.advance(5 * 86_400_000);
    expect(m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-11-01')).toEqual(before);
    expect(m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-11-06').length).toBeGreaterThan(before.length);
  });

  it('refuses changes that would rewrite simulated days', () => {
    const { market: m } = market();
    m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-11-01');
    expect(() => m.stopDelivery(BROAD, '2026-11-01')).toThrow(SimulationError);
    expect(() => m.breakTracking(BROAD, '2026-10-15')).toThrow(SimulationError);
    expect(() => m.setDailyBudget(BROAD, 10 * EUR, new Date('2026-10-20T12:00:00Z'))).toThrow(SimulationError);
    expect(() => m.stopDelivery(BROAD, '2026-11-02')).not.toThrow();
  });

  it('rejects budgets that are not whole micros and unknown ids', () => {
    const { market: m } = market();
    expect(() => m.setDailyBudget(BROAD, 1.5)).toThrow(SimulationError);
    expect(() => m.setDailyBudget(BROAD, -1)).toThrow(SimulationError);
    expect(() => m.setDailyBudget('999', 1)).toThrow(SimulationError);
    expect(() => m.account('act_999')).toThrow(SimulationError);
  });
});

describe('MarketSimulator faults', () => {
  it('stopDelivery: no spend while active with budget; other ad sets and other days unchanged', () => {
    const clean = market().market;
    const { market: faulty } = market();
    faulty.stopDelivery(BROAD, '2026-10-10', '2026-10-12');
    const a = clean.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-08', '2026-10-14');
    const b = faulty.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-08', '2026-10-14');
    const stopped = (r: DailyMetric) => r.adsetId === BROAD && r.date >= '2026-10-10' && r.date <= '2026-10-12';
    expect(b).toEqual(a.filter((r) => !stopped(r)));
    expect(byAdset(faulty.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-10', '2026-10-10', { includeZeroRows: true }), BROAD)).toEqual([
      { ...(a.find((r) => stopped(r)) as DailyMetric), spendMicros: 0, revenueMicros: 0, impressions: 0, clicks: 0, conversions: 0 },
    ]);
    expect(faulty.adset(BROAD)).toEqual(clean.adset(BROAD));
  });

  it('breakTracking: conversions and revenue 0 while spend, impressions and clicks hold', () => {
    const clean = market().market;
    const { market: faulty } = market();
    faulty.breakTracking(LOOKALIKE, '2026-10-20');
    const a = clean.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-18', '2026-10-25');
    const b = faulty.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-18', '2026-10-25');
    expect(b).toEqual(a.map((r) => (r.adsetId === LOOKALIKE && r.date >= '2026-10-20' ? { ...r, conversions: 0, revenueMicros: 0 } : r)));
    expect(byAdset(a, LOOKALIKE).every((r) => r.conversions > 0)).toBe(true);
  });
});

describe('MarketSimulator effects and fault hooks', () => {
  const range = ['2026-10-01', '2026-10-31'] as const;
  const pair = () => ({ clean: market().market, faulty: market().market });
  const sum = (rows: readonly DailyMetric[], f: (r: DailyMetric) => number) => rows.reduce((s, r) => s + f(r), 0);

  it('overspend: spend past the 1.25× cap from the fault day, nothing else and no other day changed', () => {
    const { clean, faulty } = pair();
    faulty.overspend(BROAD, '2026-10-10', { factor: 1.6, untilDate: '2026-10-12' });
    const a = clean.dailyResults(SAMPLE_ACCOUNT_ID, ...range);
    const b = faulty.dailyResults(SAMPLE_ACCOUNT_ID, ...range);
    const hit = (r: DailyMetric) => r.adsetId === BROAD && r.date >= '2026-10-10' && r.date <= '2026-10-12';
    expect(b.filter((r) => !hit(r))).toEqual(a.filter((r) => !hit(r)));
    const over = b.filter(hit);
    expect(over).toHaveLength(3);
    for (const [i, row] of over.entries()) {
      const before = a.filter(hit)[i] as DailyMetric;
      expect(row.spendMicros).toBeGreaterThan(MAX_DAILY_OVERSPEND * faulty.budgetOn(BROAD, row.date));
      expect(Math.abs(row.spendMicros / before.spendMicros - 1.6)).toBeLessThan(0.001);
    }
  });

  it('stepConversionRate: conversions scale by the factor while spend, impressions and clicks hold', () => {
    const { clean, faulty } = pair();
    faulty.stepConversionRate(LOOKALIKE, '2026-10-01', 0.5);
    const a = byAdset(clean.dailyResults(SAMPLE_ACCOUNT_ID, ...range), LOOKALIKE);
    const b = byAdset(faulty.dailyResults(SAMPLE_ACCOUNT_ID, ...range), LOOKALIKE);
    const drop = (r: DailyMetric) => ({ ...r, conversions: 0, revenueMicros: 0 });
    expect(b.map(drop)).toEqual(a.map(drop));
    expect(Math.abs(sum(b, (r) => r.conversions) / sum(a, (r) => r.conversions) - 0.5)).toBeLessThan(0.08);
  });

  it('stepOrderValue: revenue scales by the factor, conversions unchanged', () => {
    const { clean, faulty } = pair();
    faulty.stepOrderValue(LOOKALIKE, '2026-10-01', 0.6);
    const a = byAdset(clean.dailyResults(SAMPLE_ACCOUNT_ID, ...range), LOOKALIKE);
    const b = byAdset(faulty.dailyResults(SAMPLE_ACCOUNT_ID, ...range), LOOKALIKE);
    expect(b.map((r) => ({ ...r, revenueMicros: 0 }))).toEqual(a.map((r) => ({ ...r, revenueMicros: 0 })));
    for (const [i, row] of b.entries())
      expect(Math.abs(row.revenueMicros - 0.6 * (a[i] as DailyMetric).revenueMicros)).toBeLessThanOrEqual(10_000);
  });

  it('decayCtr: clicks decay towards the floor while spend, impressions and conversions hold', () => {
    const { clean, faulty } = pair();
    faulty.decayCtr(LOOKALIKE, '2026-10-01', { floor: 0.4, halfLifeDays: 5 });
    expect([0, 5, 10].map((t) => faulty.multiplierOn(LOOKALIKE, 'ctr', addDays('2026-10-01', t)))).toEqual([1, 0.7, 0.55]);
    const a = byAdset(clean.dailyResults(SAMPLE_ACCOUNT_ID, ...range), LOOKALIKE);
    const b = byAdset(faulty.dailyResults(SAMPLE_ACCOUNT_ID, ...range), LOOKALIKE);
    expect(b.map((r) => ({ ...r, clicks: 0 }))).toEqual(a.map((r) => ({ ...r, clicks: 0 })));
    const late = (rows: readonly DailyMetric[]) => sum(rows.slice(-10), (r) => r.clicks);
    expect(Math.abs(late(b) / late(a) - faulty.multiplierOn(LOOKALIKE, 'ctr', '2026-10-26'))).toBeLessThan(0.08);
  });

  it('tracking at 50%: about half the conversions and revenue recorded, delivery unchanged', () => {
    const { clean, faulty } = pair();
    faulty.addEffect({ adsetId: BROAD, target: 'tracking', from: '2026-10-01', shape: { kind: 'step', factor: 0.5 } });
    const a = byAdset(clean.dailyResults(SAMPLE_ACCOUNT_ID, ...range), BROAD);
    const b = byAdset(faulty.dailyResults(SAMPLE_ACCOUNT_ID, ...range), BROAD);
    expect(b.map((r) => ({ ...r, conversions: 0, revenueMicros: 0 }))).toEqual(a.map((r) => ({ ...r, conversions: 0, revenueMicros: 0 })));
    expect(Math.abs(sum(b, (r) => r.conversions) / sum(a, (r) => r.conversions) - 0.5)).toBeLessThan(0.08);
  });

  it('composes effects: weekly and ramp shapes multiply, config effects apply from the start', () => {
    const clock = new ManualClock(NOW);
    const m = new MarketSimulator({
      ...withCurrency(42, 'EUR'),
      startDate: '2026-10-01',
      clock,
      effects: [
        { adsetId: BROAD, target: 'conversionRate', from: '2026-10-05', shape: { kind: 'weekly', factors: [1, 1, 1, 1, 1, 2, 1] } },
      ],
    });
    m.addEffect({
      adsetId: BROAD,
      target: 'conversionRate',
      from: '2026-10-10',
      until: '2026-10-20',
      shape: { kind: 'ramp', to: 0.2, days: 4 },
    });
    // 2026-10-10 is a Saturday, 10-12 a Monday, 10-14 a Wednesday, 10-24 a Saturday again (after the ramp ended)
    expect(
      ['2026-10-03', '2026-10-10', '2026-10-12', '2026-10-14', '2026-10-24'].map((d) => m.multiplierOn(BROAD, 'conversionRate', d)),
    ).toEqual([1, 2, 0.6, 0.2, 2]);
    expect(m.multiplierOn(BROAD, 'spend', '2026-10-10')).toBe(1);
  });

  it('refuses effects that would rewrite simulated days, and malformed effects', () => {
    const { market: m } = market();
    m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-11-01');
    expect(() => m.overspend(BROAD, '2026-11-01')).toThrow(SimulationError);
    expect(() => m.stepConversionRate(BROAD, '2026-10-20', 0.5)).toThrow(SimulationError);
    expect(() => m.addEffect({ adsetId: BROAD, target: 'ctr', from: '2026-11-05', shape: { kind: 'step', factor: -1 } })).toThrow(
      SimulationError,
    );
    expect(() =>
      m.addEffect({ adsetId: BROAD, target: 'ctr', from: '2026-11-05', until: '2026-11-04', shape: { kind: 'step', factor: 1 } }),
    ).toThrow(SimulationError);
    expect(() => m.addEffect({ adsetId: '999', target: 'ctr', from: '2026-11-05', shape: { kind: 'step', factor: 1 } })).toThrow(
      SimulationError,
    );
    expect(() => m.decayCtr(BROAD, '2026-11-02', { floor: 0.5, halfLifeDays: 7 })).not.toThrow();
  });
});

describe('MarketSimulator reported results', () => {
  it('equal the ground truth while every day is final', () => {
    const { market: m } = market();
    expect(m.reportedResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-11-01')).toEqual(
      m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-11-01'),
    );
  });

  it('thin recent conversions through the maturity seam', () => {
    const clock = new ManualClock(NOW);
    const m = new MarketSimulator({ ...withCurrency(42, 'EUR'), startDate: '2026-10-01', clock, maturity: (age) => (age >= 3 ? 1 : 0.5) });
    const truth = m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-28', '2026-11-01');
    const reported = m.reportedResults(SAMPLE_ACCOUNT_ID, '2026-10-28', '2026-11-01');
    for (const [i, row] of truth.entries()) {
      const seen = reported[i] as DailyMetric;
      const recent = row.date >= '2026-10-30';
      expect(seen.conversions).toBe(recent ? Math.floor(row.conversions * 0.5) : row.conversions);
      expect(seen.spendMicros).toBe(row.spendMicros);
    }
  });
});

describe('MarketSimulator learning phase (opt-in)', () => {
  const phase = { significantEditPct: 15, conversionRateFactor: 0.5, days: 3 };
  const build = (learningPhase?: typeof phase) => {
    const clock = new ManualClock('2026-10-05T07:00:00Z');
    const m = new MarketSimulator({
      ...withCurrency(42, 'EUR'),
      startDate: '2026-10-01',
      clock,
      ...(learningPhase ? { learningPhase } : {}),
    });
    return { clock, m };
  };

  it('is off by default: budget edits of any size leave rows as without the option', () => {
    const { clock, m } = build();
    m.setDailyBudget(BROAD, 1_000 * EUR);
    clock.set('2026-10-20T07:00:00Z');
    expect(m.learningOn(BROAD, '2026-10-06')).toBe(false);
    expect(m.adset(BROAD).learning).toBe(false);
    const { clock: c2, m: same } = build();
    same.setDailyBudget(BROAD, 1_000 * EUR);
    c2.set('2026-10-20T07:00:00Z');
    expect(m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-10-19')).toEqual(
      same.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-10-19'),
    );
  });

  it('a significant edit restarts learning for `days` days from the day it applies; a small one does not', () => {
    const { clock, m } = build(phase);
    const budget = m.adset(BROAD).dailyBudgetMicros ?? 0;
    m.setDailyBudget(BROAD, Math.round(budget * 1.2)); // +20% > 15%: from 2026-10-06
    m.setDailyBudget(LOOKALIKE, Math.round((m.adset(LOOKALIKE).dailyBudgetMicros ?? 0) * 1.1)); // +10%
    expect(m.adset(BROAD).learning).toBe(false);
    clock.set('2026-10-06T07:00:00Z');
    expect(m.adset(BROAD).learning).toBe(true);
    expect(m.adset(LOOKALIKE).learning).toBe(false);
    const days = ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09'];
    expect(days.map((d) => m.learningFactorOn(BROAD, d))).toEqual([1, 0.5, 0.5, 0.5, 1]);
    expect(days.map((d) => m.learningFactorOn(LOOKALIKE, d))).toEqual([1, 1, 1, 1, 1]);
  });

  it('halves conversions while learning and leaves spend, clicks and other ad sets as they were', () => {
    const runWith = (learningPhase?: typeof phase) => {
      const { clock, m } = build(learningPhase);
      m.setDailyBudget(BROAD, Math.round((m.adset(BROAD).dailyBudgetMicros ?? 0) * 1.5));
      clock.set('2026-10-10T07:00:00Z');
      return m.dailyResults(SAMPLE_ACCOUNT_ID, '2026-10-01', '2026-10-09');
    };
    const off = runWith();
    const on = runWith(phase);
    const learning = (r: DailyMetric) => r.adsetId === BROAD && r.date >= '2026-10-06' && r.date <= '2026-10-08';
    expect(on.filter((r) => !learning(r))).toEqual(off.filter((r) => !learning(r)));
    const a = off.filter(learning);
    const b = on.filter(learning);
    expect(b.map((r) => [r.spendMicros, r.impressions, r.clicks])).toEqual(a.map((r) => [r.spendMicros, r.impressions, r.clicks]));
    const conv = (rows: readonly DailyMetric[]) => rows.reduce((s, r) => s + r.conversions, 0);
    expect(conv(b) / conv(a)).toBeGreaterThan(0.3);
    expect(conv(b) / conv(a)).toBeLessThan(0.7);
  });
});

describe('MarketSimulator config', () => {
  it('rejects an unknown time zone, an orphan ad set and a bad weekday pattern', () => {
    const clock = new ManualClock(NOW);
    const config = withCurrency(1, 'EUR');
    const first = config.adsets[0] as SimAdSetInput;
    expect(
      () =>
        new MarketSimulator({
          ...config,
          clock,
          accounts: [{ ...config.accounts[0], timezone: 'Mars/Olympus' } as MarketConfigInput['accounts'][0]],
        }),
    ).toThrow();
    expect(() => new MarketSimulator({ ...config, clock, adsets: [{ ...first, accountId: 'act_2' }] })).toThrow(SimulationError);
    expect(() => new MarketSimulator({ ...config, clock, adsets: [{ ...first, dayOfWeek: [1, 1, 1] }] })).toThrow(SimulationError);
    expect(() => new MarketSimulator({ ...config, clock, adsets: [first, first] })).toThrow(SimulationError);
  });

  it('defaults the start to 90 days before the clock date', () => {
    expect(sampleMarket(1, new ManualClock(NOW)).startDate).toBe(addDays('2026-11-02', -90));
  });
});

/** The sample market's config in another currency (JPY budgets scaled so they stay realistic). */
function withCurrency(seed: number, currency: string): MarketConfigInput {
  const clock = new ManualClock(NOW);
  const sample = sampleMarket(seed, clock);
  const scale = currency === 'JPY' ? 150 : 1;
  return {
    seed,
    accounts: [{ ...sample.account(SAMPLE_ACCOUNT_ID), currency }],
    adsets: sample.adsets().map((a) => {
      const config = sample.adsetConfig(a.adsetId);
      return {
        ...config,
        dailyBudgetMicros: config.dailyBudgetMicros * scale,
        averageOrderValueMicros: config.averageOrderValueMicros * scale,
        cpmMicros: config.cpmMicros * scale,
        curve: { ...config.curve, kappa: config.curve.kappa * scale },
      };
    }),
  };
}
