/**
 * Market scenarios of the allocation benchmark (issue 5), built from MarketConfig inputs, market effects
 * (fatigue, seasonality, collapse), the opt-in learning phase and the maturity seam. Curves are fixed per
 * scenario; the seed changes every random draw of the market. Effects are dated from the first plan day.
 */

import { addDays } from '../../lib/model/dates.ts';
import type { MarketSimulator, Maturity } from '../../lib/sim/market.ts';
import type { MarketConfigInput, SimAdSetInput } from '../../lib/sim/market-config.ts';
import { sampleMarketConfig } from '../../lib/sim/sample-market.ts';

export const BENCH_ACCOUNT = 'act_bench';
const EUR = 1_000_000;

/** One market situation the allocator must handle. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The client's daily total across the managed ad sets (micros). */
  readonly dailyTotalMicros: number;
  /** Market config for a seed (no clock, no start date: the runner adds them). */
  config(seed: number): MarketConfigInput;
  /** Events during the run (effects, a launch), scheduled before the first day is simulated. */
  setup?(market: MarketSimulator, firstPlanDate: string): void;
  /** Share of a day's conversions reported by age (late conversions); final at once without it. */
  readonly maturity?: Maturity;
}

const account = { platform: 'meta', accountId: BENCH_ACCOUNT, name: 'Bench', currency: 'EUR', timezone: 'UTC' } as const;
const adsetBase = {
  platform: 'meta',
  accountId: BENCH_ACCOUNT,
  status: 'ACTIVE',
  budgetLevel: 'adset',
  cpmMicros: 8 * EUR,
  ctr: 0.012,
} as const;

function adsetOf(
  i: number,
  over: Omit<SimAdSetInput, 'platform' | 'accountId' | 'adsetId' | 'name' | 'campaignId' | 'cpmMicros' | 'ctr'>,
): SimAdSetInput {
  return { ...adsetBase, adsetId: `as${String(i).padStart(2, '0')}`, name: `Ad set ${i}`, campaignId: `c${i}`, ...over };
}

const stable: Scenario = {
  name: 'stable',
  description: 'the demo client: six ad sets of clearly different efficiency and saturation, 1,500 EUR/day',
  dailyTotalMicros: 1_500 * EUR,
  config: (seed) => {
    const sample = sampleMarketConfig(seed);
    return {
      ...sample,
      accounts: [account],
      adsets: sample.adsets.map((a) => ({ ...a, accountId: BENCH_ACCOUNT })),
    };
  },
};

const dominant: Scenario = {
  name: 'dominant',
  description: 'one far better ad set starts with the smallest budget; four mediocre ones share the rest',
  dailyTotalMicros: 1_300 * EUR,
  config: (seed) => ({
    seed,
    accounts: [account],
    adsets: [
      adsetOf(1, { dailyBudgetMicros: 100 * EUR, curve: { beta: 60, alpha: 1, kappa: 1200 }, averageOrderValueMicros: 90 * EUR }),
      ...[2, 3, 4, 5].map((i) =>
        adsetOf(i, { dailyBudgetMicros: 300 * EUR, curve: { beta: 14 + i, alpha: 1.1, kappa: 350 }, averageOrderValueMicros: 70 * EUR }),
      ),
    ],
  }),
};

const lowVolume: Scenario = {
  name: 'low-volume',
  description: 'five small ad sets with 1–4 orders a day, very variable order values and strong overdispersion',
  dailyTotalMicros: 300 * EUR,
  config: (seed) => ({
    seed,
    accounts: [account],
    adsets: [
      { beta: 6, kappa: 80 },
      { beta: 3, kappa: 40 },
      { beta: 8, kappa: 200 },
      { beta: 2.5, kappa: 60 },
      { beta: 5, kappa: 150 },
    ].map((c, i) =>
      adsetOf(i + 1, {
        dailyBudgetMicros: 60 * EUR,
        curve: { ...c, alpha: 1 },
        averageOrderValueMicros: 150 * EUR,
        orderValueSigma: 0.9,
        dispersion: 3,
      }),
    ),
  }),
};

/** Twelve ad sets whose curves vary widely (fixed by a tiny deterministic generator, not by the seed). */
const wide: Scenario = {
  name: 'wide',
  description: 'twelve ad sets, equal budgets, efficiencies from 0.8 to 4 ROAS and varied saturation, 2,400 EUR/day',
  dailyTotalMicros: 2_400 * EUR,
  config: (seed) => ({
    seed,
    accounts: [account],
    adsets: Array.from({ length: 12 }, (_, i) => {
      const kappa = 80 + ((i * 137) % 11) * 60;
      const roasAtZero = 1.2 + ((i * 7) % 12) * 0.45;
      return adsetOf(i + 1, {
        dailyBudgetMicros: 200 * EUR,
        curve: { beta: (roasAtZero * kappa) / 60, alpha: 1 + (i % 3) * 0.15, kappa },
        averageOrderValueMicros: 60 * EUR,
        dayOfWeek: i % 2 === 0 ? [0.95, 0.95, 0.97, 1, 1.05, 1.1, 0.98] : [1.06, 1.05, 1.03, 1, 0.97, 0.92, 0.97],
      });
    }),
  }),
};

/** Six ad sets of different efficiency, fixed by a tiny deterministic generator, at equal budgets. */
function sixAdsets(over: (i: number) => Partial<SimAdSetInput> = () => ({})): SimAdSetInput[] {
  return Array.from({ length: 6 }, (_, i) => {
    const kappa = 150 + ((i * 5) % 6) * 70;
    const roasAtZero = 1.6 + ((i * 4) % 6) * 0.6;
    return adsetOf(i + 1, {
      dailyBudgetMicros: 250 * EUR,
      curve: { beta: (roasAtZero * kappa) / 80, alpha: 1, kappa },
      averageOrderValueMicros: 80 * EUR,
      ...over(i),
    });
  });
}

/** The ad sets with the best return at their starting budget (the ones fatigue or a collapse should hit). */
const BEST_TWO = ['as02', 'as05'];

const fatigue: Scenario = {
  name: 'creative-fatigue',
  description: 'the two best ad sets fatigue from the second plan week: conversion rate decays towards 35% (half-life 12 days)',
  dailyTotalMicros: 1_500 * EUR,
  config: (seed) => ({ seed, accounts: [account], adsets: sixAdsets() }),
  setup(market, first) {
    for (const adsetId of BEST_TWO)
      market.addEffect({
        adsetId,
        target: 'conversionRate',
        from: addDays(first, 7),
        shape: { kind: 'decay', floor: 0.35, halfLifeDays: 12 },
      });
  },
};

const seasonality: Scenario = {
  name: 'weekly-seasonality',
  description: 'a strong shared weekly swing (0.6 on Monday to 1.5 on Saturday), opposite in half of the ad sets',
  dailyTotalMicros: 1_500 * EUR,
  config: (seed) => ({ seed, accounts: [account], adsets: sixAdsets() }),
  setup(market) {
    const weekend = [0.6, 0.7, 0.85, 1, 1.25, 1.5, 1.1];
    const weekday = [1.35, 1.3, 1.15, 1, 0.8, 0.6, 0.8];
    market.adsets(BENCH_ACCOUNT).forEach((a, i) => {
      market.addEffect({
        adsetId: a.adsetId,
        target: 'conversionRate',
        from: market.startDate,
        shape: { kind: 'weekly', factors: i % 2 === 0 ? weekend : weekday },
      });
    });
  },
};

const NEW_ADSET = 'as07';
const newAdset: Scenario = {
  name: 'new-adset-midway',
  description: 'a strong new ad set (reserved 100 EUR/day) launches two weeks into the plan with no history',
  dailyTotalMicros: 1_600 * EUR,
  config: (seed) => ({
    seed,
    accounts: [account],
    adsets: [
      ...sixAdsets(),
      adsetOf(7, {
        status: 'PAUSED',
        dailyBudgetMicros: 100 * EUR,
        curve: { beta: 40, alpha: 1, kappa: 500 },
        averageOrderValueMicros: 80 * EUR,
      }),
    ],
  }),
  setup(market, first) {
    market.setStatus(NEW_ADSET, 'ACTIVE', new Date(`${addDays(first, 13)}T12:00:00Z`));
  },
};

const learningPenalty: Scenario = {
  name: 'learning-penalty',
  description:
    'edits over 15% restart learning for 7 days at 75% conversion rate (the ad set reports learning); budgets start misallocated',
  dailyTotalMicros: 1_500 * EUR,
  config: (seed) => ({
    seed,
    accounts: [account],
    adsets: sixAdsets((i) => ({ dailyBudgetMicros: ([400, 150, 300, 100, 150, 400][i] ?? 250) * EUR })),
    learningPhase: { significantEditPct: 15, conversionRateFactor: 0.75, days: 7 },
  }),
};

const lateConversions: Scenario = {
  name: 'late-conversions',
  description: 'conversions arrive late: 35% reported the day after, 80% after 3 days, final after a week',
  dailyTotalMicros: 1_500 * EUR,
  config: (seed) => ({ seed, accounts: [account], adsets: sixAdsets() }),
  maturity: (age) => Math.min(1, 1 - 0.65 * 0.6 ** Math.max(0, age)),
};

const collapse: Scenario = {
  name: 'adset-collapse',
  description: 'the best ad set collapses three weeks into the plan: its conversion rate falls to 15% over 3 days',
  dailyTotalMicros: 1_500 * EUR,
  config: (seed) => ({ seed, accounts: [account], adsets: sixAdsets() }),
  setup(market, first) {
    market.addEffect({
      adsetId: BEST_TWO[0] ?? 'as02',
      target: 'conversionRate',
      from: addDays(first, 21),
      shape: { kind: 'ramp', to: 0.15, days: 3 },
    });
  },
};

export const SCENARIOS: readonly Scenario[] = [
  stable,
  dominant,
  fatigue,
  seasonality,
  lowVolume,
  newAdset,
  learningPenalty,
  lateConversions,
  collapse,
  wide,
];
