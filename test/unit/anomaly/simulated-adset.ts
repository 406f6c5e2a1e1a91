/** A seeded generator of realistic daily ad-set metrics for the detector tests, with faults to inject. */
import type { AdSetDay, AdSetFacts } from '../../../lib/anomaly/types.ts';
import { addDays, isoWeekday } from '../../../lib/model/dates.ts';

/** mulberry32: a small seeded PRNG so every test series is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function poisson(random: () => number, lambda: number): number {
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/** Multiplicative effects per day index (0 = first day) that a test injects. */
export interface Faults {
  readonly spend?: (day: number) => number;
  readonly ctr?: (day: number) => number;
  readonly cvr?: (day: number) => number;
  /** Share of true conversions the platform still records (0 = tracking broken). */
  readonly tracked?: (day: number) => number;
  readonly orderValue?: (day: number) => number;
}

export interface SeriesOptions {
  readonly seed: number;
  readonly days: number;
  readonly start?: string;
  /** Mean daily spend in currency units before weekday effects. */
  readonly spend?: number;
  readonly ctr?: number;
  readonly cvr?: number;
  readonly faults?: Faults;
}

const WEEKDAY = [1.05, 1.05, 1.0, 1.0, 0.95, 0.85, 0.9];

/** Daily metrics of a healthy ad set (weekday pattern, Poisson counts, overdispersed conversion rate), faults applied. */
export function simulateAdSet(options: SeriesOptions): AdSetDay[] {
  const { seed, days, start = '2026-01-05', spend = 90, ctr = 0.015, cvr = 0.05, faults = {} } = options;
  const random = rng(seed);
  const out: AdSetDay[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(start, i);
    const spent = spend * (WEEKDAY[isoWeekday(date) - 1] ?? 1) * Math.exp(0.05 * normal(random)) * (faults.spend?.(i) ?? 1);
    const spendMicros = Math.round(spent * 1e6);
    const impressions = poisson(random, (spent / 10) * 1000);
    const clicks = poisson(random, impressions * ctr * Math.exp(0.05 * normal(random)) * (faults.ctr?.(i) ?? 1));
    const trueConversions = poisson(random, clicks * cvr * Math.exp(0.15 * normal(random)) * (faults.cvr?.(i) ?? 1));
    const tracked = faults.tracked?.(i) ?? 1;
    let conversions = 0;
    for (let c = 0; c < trueConversions; c++) if (random() < tracked) conversions++;
    const orderValue = 60 * Math.exp(0.2 * normal(random)) * (faults.orderValue?.(i) ?? 1);
    out.push({ date, spendMicros, revenueMicros: Math.round(conversions * orderValue * 1e6), impressions, clicks, conversions });
  }
  return out;
}

/** A healthy Meta ad set with a €100 daily budget. */
export const ADSET: AdSetFacts = {
  platform: 'meta',
  accountId: 'act_1',
  adsetId: '2385000000001',
  name: 'Prospecting – Lookalike 1%',
  status: 'ACTIVE',
  dailyBudgetMicros: 100_000_000,
  learning: false,
  currency: 'EUR',
};
