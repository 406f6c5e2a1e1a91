/** evaluateTest wires metrics, methods, multiplicity and the decision rule; checked against the low-level functions. */
import { describe, expect, it } from 'vitest';
import {
  type AdDay,
  type ArmDays,
  adjustPValues,
  bayesianTest,
  type Comparison,
  DEFAULT_DAY_TUNING,
  describeComparison,
  evaluateTest,
  formatEffect,
  InvalidStatsInputError,
  metricStats,
  sequentialTest,
  welchTest,
} from '../../../lib/stats/index.ts';

const MICROS = 1_000_000;

/** A day with the given spend (major units), ROAS, CPA and CTR; a deterministic wobble `w` keeps the variance non-zero. */
function day(spend: number, roas: number, cpa: number, w: number): AdDay {
  const conversions = Math.round((spend / cpa) * (1 + w));
  const clicks = conversions * 20;
  return {
    spendMicros: Math.round(spend * MICROS),
    revenueMicros: Math.round(spend * roas * (1 + w) * MICROS),
    impressions: clicks * 50,
    clicks,
    conversions,
  };
}

const wobble = (i: number, size: number) => size * Math.sin(1.7 * i + 0.3);
function arm(id: string, n: number, roas: number, cpa: number, noise: number, phase = 0): ArmDays {
  return { id, days: Array.from({ length: n }, (_, i) => day(300 + 40 * Math.cos(i), roas, cpa, wobble(i + phase, noise))) };
}

describe('evaluateTest', () => {
  it('declares the treatment the ROAS winner and reports exactly the sequential and posterior statistics', () => {
    const control = arm('a', 21, 2, 20, 0.05);
    const treatment = arm('b', 21, 3, 20, 0.05, 1);
    const c = metricStats(control.days, 'roas');
    const t = metricStats(treatment.days, 'roas');
    const sequential = sequentialTest(c, t, { tuning: DEFAULT_DAY_TUNING });
    const posterior = bayesianTest(c, t);
    if (sequential.kind !== 'ok' || posterior.kind !== 'ok') throw new Error('expected estimates');
    expect(evaluateTest([control, treatment], { metric: 'roas' })).toEqual({
      metric: 'roas',
      method: 'sequential',
      lowerIsBetter: false,
      alpha: 0.05,
      adjustment: 'holm',
      comparisons: [
        {
          control: 'a',
          treatment: 'b',
          days: { control: 21, treatment: 21 },
          values: { control: c.sumNum / c.sumDen, treatment: t.sumNum / t.sumDen },
          kind: 'winner',
          winner: 'b',
          loser: 'a',
          stats: {
            effect: sequential.effect,
            ci: sequential.ci,
            pValue: sequential.pValue,
            adjustedPValue: sequential.pValue,
            lookPValue: sequential.lookPValue,
            chanceToWin: posterior.chanceToWin,
            risk: posterior.risk,
          },
        },
      ],
    });
  });

  it('treats lower CPA as better: a cheaper treatment wins with a negative effect', () => {
    const evaluation = evaluateTest([arm('a', 14, 2, 25, 0.05), arm('b', 14, 2, 15, 0.05, 2)], { metric: 'cpa', method: 'fixed' });
    const [comparison] = evaluation.comparisons;
    expect(evaluation.lowerIsBetter).toBe(true);
    expect(comparison).toMatchObject({ kind: 'winner', winner: 'b', loser: 'a' });
    if (comparison?.kind !== 'winner') throw new Error('expected a winner');
    expect(comparison.stats.effect).toBeLessThan(0);
    expect(comparison.stats.chanceToWin).toBeGreaterThan(0.99);
  });

  it('does not decide before the minimum runtime, and says how many days are missing', () => {
    const [comparison] = evaluateTest([arm('a', 5, 2, 20, 0.05), arm('b', 5, 3, 20, 0.05, 1)], {
      metric: 'roas',
      method: 'fixed',
    }).comparisons;
    expect(comparison).toMatchObject({ kind: 'continue', reason: 'minimum-runtime', additionalDays: 2 });
  });

  it('returns insufficient data (not an error) for a one-day arm or an arm without spend', () => {
    const noSpend: ArmDays = {
      id: 'b',
      days: [0, 1, 2].map(() => ({ spendMicros: 0, revenueMicros: 0, impressions: 0, clicks: 0, conversions: 0 })),
    };
    const control = arm('a', 10, 2, 20, 0.05);
    const oneDay = arm('b', 1, 2, 20, 0.05);
    const value = (a: ArmDays) => {
      const stats = metricStats(a.days, 'roas');
      return stats.sumNum / stats.sumDen;
    };
    const evaluation = evaluateTest([control, oneDay, { ...noSpend, id: 'c' }], { metric: 'roas' });
    expect(evaluation.comparisons).toEqual([
      {
        control: 'a',
        treatment: 'b',
        days: { control: 10, treatment: 1 },
        values: { control: value(control), treatment: value(oneDay) },
        kind: 'insufficient-data',
        reason: 'too-few-units',
        message: 'each arm needs at least 2 units (days), got 10 and 1',
      },
      {
        control: 'a',
        treatment: 'c',
        days: { control: 10, treatment: 3 },
        values: { control: value(control), treatment: null },
        kind: 'insufficient-data',
        reason: 'zero-denominator',
        message: 'an arm has a zero denominator sum (no spend, clicks or conversions)',
      },
    ]);
  });

  it('calls a tight interval inside ±minimumEffect "no difference"', () => {
    const [comparison] = evaluateTest([arm('a', 28, 3, 20, 0.01), arm('b', 28, 3, 20, 0.01, 0.5)], {
      metric: 'roas',
      method: 'fixed',
    }).comparisons;
    expect(comparison?.kind).toBe('no-difference');
    if (comparison?.kind !== 'no-difference') throw new Error('expected no difference');
    expect(comparison.stats.ci[0]).toBeGreaterThan(-0.05);
    expect(comparison.stats.ci[1]).toBeLessThan(0.05);
  });

  it('keeps a noisy, undecided test running with an estimate of the days still needed', () => {
    const [comparison] = evaluateTest([arm('a', 10, 3, 20, 0.4), arm('b', 10, 3.1, 20, 0.4, 1)], {
      metric: 'roas',
      method: 'fixed',
      detectEffect: 0.5,
    }).comparisons;
    expect(comparison).toMatchObject({ kind: 'continue', reason: 'not-significant', additionalDays: expect.any(Number) });
  });

  it('adjusts the p-values of several treatment arms with Holm', () => {
    const arms = [arm('a', 14, 2, 20, 0.2), arm('b', 14, 2.2, 20, 0.2, 1), arm('c', 14, 2.5, 20, 0.2, 2), arm('d', 14, 1.9, 20, 0.2, 3)];
    const evaluation = evaluateTest(arms, { metric: 'roas', method: 'fixed' });
    const control = metricStats(arms[0]?.days ?? [], 'roas');
    const raw = arms.slice(1).map((a) => {
      const result = welchTest(control, metricStats(a.days, 'roas'));
      if (result.kind !== 'ok') throw new Error('expected an estimate');
      return result.pValue;
    });
    const stats = evaluation.comparisons.map((c) => (c.kind === 'insufficient-data' ? null : [c.stats.pValue, c.stats.adjustedPValue]));
    const holm = adjustPValues(raw, 'holm');
    expect(stats).toEqual(raw.map((p, i) => [p, holm[i]]));
  });

  it('carries the running minimum of earlier looks: a past significant look still decides', () => {
    const arms = [arm('a', 10, 3, 20, 0.3), arm('b', 10, 3, 20, 0.3, 1)];
    const [comparison] = evaluateTest(arms, { metric: 'roas', previousPValues: { b: [0.2, 0.001] } }).comparisons;
    expect(comparison).toMatchObject({ kind: 'winner', stats: { pValue: 0.001, adjustedPValue: 0.001 } });
  });

  it('winsorizes daily revenue at the 99th percentile for ROAS unless told not to', () => {
    const control = arm('a', 14, 2, 20, 0.05);
    const spike = { ...control, id: 'b', days: control.days.map((d, i) => (i === 3 ? { ...d, revenueMicros: d.revenueMicros * 50 } : d)) };
    const capped = evaluateTest([control, spike], { metric: 'roas' }).comparisons[0]?.values.treatment ?? 0;
    const raw = evaluateTest([control, spike], { metric: 'roas', winsorizeQuantile: null }).comparisons[0]?.values.treatment ?? 0;
    const sorted = spike.days.map((d) => d.revenueMicros).sort((x, y) => x - y);
    const cap = (sorted[12] ?? 0) + 0.87 * ((sorted[13] ?? 0) - (sorted[12] ?? 0));
    const spend = spike.days.reduce((s, d) => s + d.spendMicros, 0);
    expect(raw).toBeCloseTo(spike.days.reduce((s, d) => s + d.revenueMicros, 0) / spend, 12);
    expect(capped).toBeCloseTo(spike.days.reduce((s, d) => s + Math.min(d.revenueMicros, cap), 0) / spend, 12);
  });

  it('decides by chance to win with the Bayesian method and reports no p-value', () => {
    const [comparison] = evaluateTest([arm('a', 14, 2, 20, 0.05), arm('b', 14, 2.6, 20, 0.05, 1)], {
      metric: 'roas',
      method: 'bayesian',
    }).comparisons;
    expect(comparison).toMatchObject({ kind: 'winner', winner: 'b', stats: { pValue: null, adjustedPValue: null, lookPValue: null } });
  });

  it('rejects a test without a treatment arm or with duplicate arm ids', () => {
    expect(() => evaluateTest([arm('a', 7, 2, 20, 0.1)], { metric: 'roas' })).toThrow(InvalidStatsInputError);
    expect(() => evaluateTest([arm('a', 7, 2, 20, 0.1), arm('a', 7, 2, 20, 0.1)], { metric: 'roas' })).toThrow(InvalidStatsInputError);
  });
});

describe('describeComparison', () => {
  const stats = {
    effect: 0.1412,
    ci: [0.061, 0.2249] as const,
    pValue: 0.001,
    adjustedPValue: 0.001,
    lookPValue: 0.004,
    chanceToWin: 0.9921,
    risk: [0.14, 0] as const,
  };
  const base = { control: 'a1', treatment: 'b1', days: { control: 12, treatment: 12 }, values: { control: 2, treatment: 2.28 } };
  const names = { a1: 'A', b1: 'B' };

  it.each<{ comparison: Comparison; text: string }>([
    {
      comparison: { ...base, kind: 'winner', winner: 'b1', loser: 'a1', stats },
      text: 'B beats A on ROAS: +14% [+6%, +22%], chance to win 99.2%, 12 days',
    },
    {
      comparison: {
        ...base,
        kind: 'winner',
        winner: 'a1',
        loser: 'b1',
        stats: { ...stats, effect: -0.2, ci: [-0.3, -0.1], chanceToWin: 0.004 },
      },
      // The control won: its ROAS against B's is 1/0.8 − 1 = +25%, the interval [1/0.9 − 1, 1/0.7 − 1].
      text: 'A beats B on ROAS: +25% [+11%, +43%], chance to win 99.6%, 12 days',
    },
    {
      comparison: {
        ...base,
        kind: 'winner',
        winner: 'a1',
        loser: 'b1',
        stats: { ...stats, effect: -0.6, ci: [-1.1, -0.1], chanceToWin: 0.001 },
      },
      text: 'A beats B on ROAS: B -60% [-110%, -10%] against it, chance to win 99.9%, 12 days',
    },
    {
      comparison: { ...base, kind: 'no-difference', stats: { ...stats, effect: 0.004, ci: [-0.03, 0.038] } },
      text: 'No meaningful difference between B and A on ROAS: +0.4% [-3%, +4%], 12 days',
    },
    {
      comparison: {
        ...base,
        kind: 'continue',
        reason: 'not-significant',
        additionalDays: 40,
        stats: { ...stats, ci: [-0.05, 0.33], chanceToWin: 0.71 },
      },
      text: 'No winner yet between B and A on ROAS: +14% [-5%, +33%], chance to win 71.0%, 12 days; about 40 more days to detect a meaningful lift',
    },
    {
      comparison: { ...base, kind: 'continue', reason: 'minimum-runtime', additionalDays: 1, stats },
      text: 'No winner yet between B and A on ROAS: +14% [+6%, +22%], chance to win 99.2%, 12 days; minimum runtime not reached, 1 more day',
    },
    {
      comparison: {
        ...base,
        kind: 'insufficient-data',
        reason: 'too-few-units',
        message: 'each arm needs at least 2 units (days), got 1 and 1',
      },
      text: 'B vs A on ROAS: not enough data yet (each arm needs at least 2 units (days), got 1 and 1), 12 days',
    },
  ])('$text', ({ comparison, text }) => {
    expect(describeComparison(comparison, 'roas', names)).toBe(text);
  });

  it('formats effects as signed percentages', () => {
    expect([0.1412, -0.2, 0.004, -0.0001, 0, 1.5].map(formatEffect)).toEqual(['+14%', '-20%', '+0.4%', '0%', '0%', '+150%']);
  });
});
