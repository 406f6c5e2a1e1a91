/**
 * Market scenarios of the allocation benchmark, built only from MarketConfig inputs (lib/sim is not
 * changed here). Curves are fixed per scenario; the seed changes every random draw of the market.
 *
 * PENDING lists the scenarios of issue 5 that need simulator features not there yet: each names what it
 * needs. When the simulator grows the feature, add a Scenario here (its `setup` hook can schedule faults,
 * status changes or new ad sets on the MarketSimulator) and drop it from PENDING.
 */

import type { MarketSimulator } from '../../lib/sim/market.ts';
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
  /** Seam for events during the run (faults, new ad sets, fatigue) once the simulator supports them. */
  setup?(market: MarketSimulator, firstPlanDate: string): void;
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

export const SCENARIOS: readonly Scenario[] = [stable, dominant, lowVolume, wide];

/** Scenarios of issue 5 that wait for simulator features, with the feature each needs. */
export const PENDING: readonly { name: string; needs: string }[] = [
  { name: 'creative-fatigue', needs: 'a response curve that decays with cumulative spend or time (β drifting down)' },
  {
    name: 'weekly-seasonality',
    needs: 'a market-wide weekly or calendar multiplier (per-ad-set dayOfWeek exists; this is a stronger shared swing)',
  },
  { name: 'new-adset-midway', needs: 'adding an ad set to a running MarketSimulator (startDate per ad set)' },
  { name: 'learning-penalty', needs: 'a learning-phase state: large edits restart learning and depress the curve for ~50 conversions' },
  {
    name: 'late-conversions',
    needs: 'reportedResults with a non-trivial Maturity and the per-age maturity factors the store would derive',
  },
  {
    name: 'adset-collapse',
    needs: 'a curve change at a date (β falling to a fraction); stopDelivery/breakTracking model faults, not a collapse',
  },
];
