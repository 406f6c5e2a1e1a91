/**
 * `npm run bench -- ab [--sims N] [--seed S] [--quick]`: how honest and how fast the A/B evaluation is
 * on simulated daily ad data, all in one run.
 *
 * 1. A/A false-positive rate under daily looks (day 7 to 60): the sequential test side by side with a
 *    naive daily Welch t-test (and the Bayesian rule, and a single look at day 60 for calibration).
 * 2. A 50-arm experiment (40 null arms, 10 true lifts) with Benjamini–Hochberg at q = 10%: the false
 *    discovery rate over replicates.
 * 3. A true +10% ROAS lift at typical and at high volume: the median days to a conclusion.
 *
 * The data: per arm and day, spend with delivery noise and day-of-week pattern; conversions
 * negative-binomial around spend/CPA (arm-specific overdispersion) times a market shock shared by
 * the arms; revenue a sum of lognormal order values. Every look runs `evaluateTest`, the product's path.
 */

import { logGamma } from '../lib/stats/distributions.ts';
import {
  type AdDay,
  type ArmDays,
  adjustPValues,
  armMoments,
  DEFAULT_DAY_TUNING,
  DEFAULT_SEQUENTIAL_TUNING,
  type EvaluateOptions,
  evaluateTest,
  metricStats,
  normalQuantile,
} from '../lib/stats/index.ts';
import { printTable, writeBenchResult } from './results.ts';

// ---------- seeded randomness (local to the bench) ----------

/** sfc32 seeded through splitmix32: small, fast and good enough for simulation. */
class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.uniform();
  }

  /** Uniform on (0, 1). */
  uniform(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return (t + 0.5) / 4294967296;
  }

  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Lognormal with the given mean and log-scale sigma. */
  lognormal(mean: number, sigma: number): number {
    return mean * Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  /** Gamma(shape, scale) by Marsaglia–Tsang. */
  gamma(shape: number, scale: number): number {
    if (shape < 1) return this.gamma(shape + 1, scale) * this.uniform() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  }

  /** Poisson by inversion for small means and Hörmann's PTRS for large ones. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 12) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.uniform();
      while (p > limit) {
        k++;
        p *= this.uniform();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }

  /** Negative binomial with the given mean and size (variance mean + mean²/size), as a gamma–Poisson mixture. */
  negativeBinomial(mean: number, size: number): number {
    return this.poisson(this.gamma(size, mean / size));
  }
}

function logFactorial(k: number): number {
  return logGamma(k + 1);
}

// ---------- the market ----------

interface Market {
  readonly label: string;
  /** Daily spend per arm, in currency units. */
  readonly budget: number;
  readonly cpa: number;
  /** Mean order value and its log-scale spread (heavy right tail). */
  readonly orderValue: number;
  readonly orderValueSigma: number;
  /** Negative-binomial size of the arm-specific day-to-day conversion noise (smaller = more overdispersed). */
  readonly overdispersion: number;
  /** Log-scale sd of daily delivery noise on spend, per arm. */
  readonly spendNoise: number;
  /** Log-scale sd of a daily market shock on conversions shared by all arms (seasonality, news, auctions). */
  readonly marketNoise: number;
  readonly cpm: number;
  readonly ctr: number;
}

// Monday..Sunday: spend paces a little higher early in the week, conversion rates peak at the weekend.
const DOW_SPEND = [1.04, 1.02, 1.0, 0.99, 0.98, 0.97, 1.0];
const DOW_CONVERSION = [0.94, 0.96, 0.98, 1.0, 1.02, 1.06, 1.04];

const TYPICAL: Market = {
  label: 'typical: 500/day per arm, CPA 25, AOV 60',
  budget: 500,
  cpa: 25,
  orderValue: 60,
  orderValueSigma: 0.9,
  overdispersion: 40,
  spendNoise: 0.15,
  marketNoise: 0.1,
  cpm: 9,
  ctr: 0.012,
};
const HIGH: Market = { ...TYPICAL, label: 'high: 3000/day per arm, CPA 25, AOV 60', budget: 3000 };

const MICROS = 1_000_000;

/** Daily rows for each arm, generated on demand; `lifts[i]` multiplies arm i's conversion rate (so its ROAS and CPA). */
class MarketSimulation {
  readonly arms: AdDay[][];
  private day = 0;

  constructor(
    private readonly rng: Random,
    private readonly market: Market,
    private readonly lifts: readonly number[],
  ) {
    this.arms = lifts.map(() => []);
  }

  /** Extends every arm to at least `days` days and returns the arms. */
  upTo(days: number): AdDay[][] {
    const { market, rng } = this;
    for (; this.day < days; this.day++) {
      const dow = this.day % 7;
      const shock = rng.lognormal(1, market.marketNoise);
      this.lifts.forEach((lift, i) => {
        const spend = market.budget * (DOW_SPEND[dow] ?? 1) * rng.lognormal(1, market.spendNoise);
        const expected = (spend / market.cpa) * (DOW_CONVERSION[dow] ?? 1) * shock * (1 + lift);
        const conversions = rng.negativeBinomial(expected, market.overdispersion);
        let revenue = 0;
        for (let k = 0; k < conversions; k++) revenue += rng.lognormal(market.orderValue, market.orderValueSigma);
        const impressions = Math.round((spend / market.cpm) * 1000);
        const clicks = Math.max(conversions, rng.poisson(impressions * market.ctr));
        this.arms[i]?.push({
          spendMicros: Math.round(spend * MICROS),
          revenueMicros: Math.round(revenue * MICROS),
          impressions,
          clicks,
          conversions,
        });
      });
    }
    return this.arms;
  }
}

function simulate(rng: Random, market: Market, days: number, lifts: readonly number[]): AdDay[][] {
  return new MarketSimulation(rng, market, lifts).upTo(days);
}

function toArms(days: readonly AdDay[][], upTo: number): ArmDays[] {
  return days.map((rows, i) => ({ id: `arm${i}`, days: rows.slice(0, upTo) }));
}

/** Noise of the simulated market, to judge its realism: conversions per day, CV of a day's ROAS, and the textbook fixed-horizon days for a +10% lift. */
function describeMarket(seed: number, market: Market) {
  const [days = []] = simulate(new Random(seed + 3), market, 5000, [0]);
  const moments = armMoments(metricStats(days, 'roas'));
  const cv = Math.sqrt(moments.variance) / moments.mean;
  // Relative effect variance with equal n and a 10% higher treatment mean: CV²·(1 + 1.1²)/n per arm.
  const z = normalQuantile(0.975) + normalQuantile(0.8);
  return {
    market: market.label,
    conversionsPerDay: days.reduce((sum, d) => sum + d.conversions, 0) / days.length,
    roas: moments.mean,
    dailyRoasCv: cv,
    fixedHorizonDaysFor10PercentAt80Power: Math.ceil((z * z * cv * cv * (1 + 1.1 ** 2)) / 0.1 ** 2),
  };
}

// ---------- scenarios ----------

const ALPHA = 0.05;
const FIRST_LOOK = 7;

interface Rule {
  readonly name: string;
  readonly options: Omit<EvaluateOptions, 'metric'>;
  /** Only look on the last day (a correctly used fixed-horizon test). */
  readonly singleLook?: boolean;
}

const RULES: readonly Rule[] = [
  { name: `sequential, N*=${DEFAULT_DAY_TUNING} (evaluateTest default)`, options: { method: 'sequential' } },
  {
    name: `sequential, N*=${DEFAULT_SEQUENTIAL_TUNING} (sequentialTest default)`,
    options: { method: 'sequential', tuning: DEFAULT_SEQUENTIAL_TUNING },
  },
  { name: 'naive Welch t-test, daily', options: { method: 'fixed' } },
  { name: 'Bayesian 95% chance to win, daily', options: { method: 'bayesian' } },
  { name: 'Welch t-test, one look at the end', options: { method: 'fixed' }, singleLook: true },
];

/** Looks daily from day 7 until the first decision; returns the day and kind of that decision (or null). */
function firstConclusion(
  arms: MarketSimulation,
  rule: Rule,
  horizon: number,
  stopOn: readonly ('winner' | 'no-difference')[],
): { day: number; kind: 'winner' | 'no-difference'; winner: string | null } | null {
  const history: number[] = [];
  for (let day = rule.singleLook ? horizon : FIRST_LOOK; day <= horizon; day++) {
    const evaluation = evaluateTest(toArms(arms.upTo(day), day), {
      metric: 'roas',
      alpha: ALPHA,
      ...rule.options,
      previousPValues: { arm1: history },
    });
    const comparison = evaluation.comparisons[0];
    if (!comparison || comparison.kind === 'insufficient-data') continue;
    if (comparison.stats.lookPValue !== null) history.push(comparison.stats.lookPValue);
    if (comparison.kind === 'winner' && stopOn.includes('winner')) return { day, kind: 'winner', winner: comparison.winner };
    if (comparison.kind === 'no-difference' && stopOn.includes('no-difference')) return { day, kind: 'no-difference', winner: null };
  }
  return null;
}

function rate(count: number, total: number): { rate: number; standardError: number } {
  const p = count / total;
  return { rate: p, standardError: Math.sqrt((p * (1 - p)) / total) };
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

function aaFalsePositives(seed: number, sims: number, horizon: number) {
  const rng = new Random(seed);
  const counts = RULES.map(() => 0);
  for (let sim = 0; sim < sims; sim++) {
    const arms = new MarketSimulation(rng, TYPICAL, [0, 0]);
    arms.upTo(horizon);
    RULES.forEach((rule, i) => {
      // A false positive is any winner declared within the horizon (no-difference stops ignored: an upper bound).
      if (firstConclusion(arms, rule, horizon, ['winner'])) counts[i] = (counts[i] ?? 0) + 1;
    });
  }
  return RULES.map((rule, i) => ({ rule: rule.name, falsePositives: counts[i] ?? 0, ...rate(counts[i] ?? 0, sims) }));
}

function benjaminiHochberg(seed: number, replicates: number, days: number) {
  const rng = new Random(seed + 1);
  const nullArms = 40;
  const lifts = [0, ...Array.from({ length: nullArms }, () => 0), ...Array.from({ length: 10 }, (_, i) => 0.2 + 0.04 * i)];
  const q = 0.1;
  const procedures = [
    { name: `BH on sequential p (N*=${DEFAULT_DAY_TUNING}), daily looks, day ${days}`, adjust: true, sequential: true },
    { name: `BH on Welch p, day ${days}`, adjust: true, sequential: false },
    { name: `unadjusted Welch p < ${q}, day ${days}`, adjust: false, sequential: false },
  ];
  const totals = procedures.map(() => ({ fdp: 0, discoveries: 0, falseDiscoveries: 0, truePower: 0 }));
  for (let rep = 0; rep < replicates; rep++) {
    const arms = simulate(rng, TYPICAL, days, lifts);
    // Sequential: running-minimum p per arm over daily looks; fixed: one Welch test at the end.
    const history: Record<string, number[]> = {};
    let sequentialP: number[] = [];
    for (let day = FIRST_LOOK; day <= days; day++) {
      const evaluation = evaluateTest(toArms(arms, day), {
        metric: 'roas',
        method: 'sequential',
        adjustment: 'none',
        previousPValues: history,
      });
      sequentialP = evaluation.comparisons.map((c) => {
        if (c.kind === 'insufficient-data') return 1;
        if (c.stats.lookPValue === null) return c.stats.pValue ?? 1;
        const looks = history[c.treatment] ?? [];
        looks.push(c.stats.lookPValue);
        history[c.treatment] = looks;
        return c.stats.pValue ?? 1;
      });
    }
    const welch = evaluateTest(toArms(arms, days), { metric: 'roas', method: 'fixed', adjustment: 'none' });
    const welchP = welch.comparisons.map((c) => (c.kind === 'insufficient-data' ? 1 : (c.stats.pValue ?? 1)));
    procedures.forEach((procedure, i) => {
      const raw = procedure.sequential ? sequentialP : welchP;
      const adjusted = procedure.adjust ? adjustPValues(raw, 'bh') : raw;
      let discoveries = 0;
      let falseDiscoveries = 0;
      let trueDiscoveries = 0;
      adjusted.forEach((p, arm) => {
        if (p >= q) return;
        discoveries++;
        if (arm < nullArms) falseDiscoveries++;
        else trueDiscoveries++;
      });
      const total = totals[i];
      if (!total) return;
      total.fdp += discoveries === 0 ? 0 : falseDiscoveries / discoveries;
      total.discoveries += discoveries;
      total.falseDiscoveries += falseDiscoveries;
      total.truePower += trueDiscoveries / (lifts.length - 1 - nullArms);
    });
  }
  return procedures.map((procedure, i) => {
    const total = totals[i] ?? { fdp: 0, discoveries: 0, falseDiscoveries: 0, truePower: 0 };
    return {
      procedure: procedure.name,
      falseDiscoveryRate: total.fdp / replicates,
      meanDiscoveries: total.discoveries / replicates,
      meanFalseDiscoveries: total.falseDiscoveries / replicates,
      power: total.truePower / replicates,
    };
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function daysToConclusion(seed: number, sims: number, horizon: number, market: Market, rule: Rule, lift: number) {
  const days: number[] = [];
  let correct = 0;
  let wrong = 0;
  let noDifference = 0;
  const predicted: number[] = [];
  for (let sim = 0; sim < sims; sim++) {
    // One stream per simulated test, so every rule sees the same data however far it reads.
    const arms = new MarketSimulation(new Random(seed + 1000 * (sim + 1)), market, [0, lift]);
    // What the product would have told the user on day 14 about the days still needed for a +10% lift.
    const early = evaluateTest(toArms(arms.upTo(14), 14), { metric: 'roas', alpha: ALPHA, ...rule.options, detectEffect: lift })
      .comparisons[0];
    if (early?.kind === 'continue' && early.additionalDays !== null) predicted.push(14 + early.additionalDays);
    else if (early?.kind === 'continue') predicted.push(Number.POSITIVE_INFINITY);
    const conclusion = firstConclusion(arms, rule, horizon, ['winner', 'no-difference']);
    days.push(conclusion?.day ?? Number.POSITIVE_INFINITY);
    if (conclusion?.kind === 'winner' && conclusion.winner === 'arm1') correct++;
    else if (conclusion?.kind === 'winner') wrong++;
    else if (conclusion?.kind === 'no-difference') noDifference++;
  }
  const sorted = [...days].sort((a, b) => a - b);
  const sortedPredicted = [...predicted].sort((a, b) => a - b);
  const show = (d: number) => (Number.isFinite(d) ? d : `>${horizon}`);
  return {
    market: market.label,
    rule: rule.name,
    medianDays: show(percentile(sorted, 0.5)),
    p80Days: show(percentile(sorted, 0.8)),
    concludedWithin60Days: days.filter((d) => d <= 60).length / sims,
    concludedWithinHorizon: days.filter((d) => Number.isFinite(d)).length / sims,
    correctWinner: correct / sims,
    wrongWinner: wrong / sims,
    noDifference: noDifference / sims,
    predictedDaysAtDay14Median: Number.isFinite(percentile(sortedPredicted, 0.5)) ? percentile(sortedPredicted, 0.5) : `>${14 + 365}`,
  };
}

// ---------- entry point ----------

function argument(args: readonly string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  const value = index >= 0 ? Number(args[index + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
}

/** Runs the three scenarios, prints tables and writes bench-results/ab.json. */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const seed = argument(args, '--seed', 20240611);
  const sims = argument(args, '--sims', quick ? 200 : 1000);
  const replicates = argument(args, '--replicates', quick ? 40 : 200);
  const powerSims = argument(args, '--power-sims', quick ? 60 : 200);
  const aaHorizon = 60;
  const powerHorizon = 730;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const sectionSeconds: Record<string, number> = {};
  const timed = <T>(name: string, work: () => T): T => {
    const t0 = performance.now();
    const result = work();
    sectionSeconds[name] = (performance.now() - t0) / 1000;
    return result;
  };

  console.log(`A/A: ${sims} simulated tests, ROAS, daily looks from day ${FIRST_LOOK} to ${aaHorizon}, alpha ${ALPHA}, seed ${seed}`);
  const aa = timed('aa', () => aaFalsePositives(seed, sims, aaHorizon));
  printTable(aa.map((r) => ({ rule: r.rule, 'false positives': r.falsePositives, rate: pct(r.rate), '± MC s.e.': pct(r.standardError) })));

  console.log(`\n50 treatment arms vs one control (40 null, 10 with +20%..+56% ROAS), ${replicates} replicates, BH at q = 10%`);
  const bh = timed('benjaminiHochberg', () => benjaminiHochberg(seed, replicates, 28));
  printTable(
    bh.map((r) => ({
      procedure: r.procedure,
      FDR: pct(r.falseDiscoveryRate),
      'discoveries/rep': r.meanDiscoveries.toFixed(2),
      'false/rep': r.meanFalseDiscoveries.toFixed(2),
      power: pct(r.power),
    })),
  );

  console.log(
    `\nTrue +10% ROAS lift (conversion rate +10%): days to a conclusion, ${powerSims} simulated tests each, horizon ${powerHorizon} days`,
  );
  const powerRules = [RULES[0], RULES[1]].filter((r): r is Rule => r !== undefined);
  const power = timed('power', () =>
    [TYPICAL, HIGH].flatMap((market) => powerRules.map((rule) => daysToConclusion(seed, powerSims, powerHorizon, market, rule, 0.1))),
  );
  printTable(
    power.map((r) => ({
      market: r.market,
      rule: r.rule,
      'median days': r.medianDays,
      'p80 days': r.p80Days,
      '≤60 days': pct(r.concludedWithin60Days, 0),
      'correct winner': pct(r.correctWinner, 0),
      'wrong winner': pct(r.wrongWinner, 1),
      'no difference': pct(r.noDifference, 1),
      '80%-power days predicted on day 14 (median)': r.predictedDaysAtDay14Median,
    })),
  );

  const markets = timed('markets', () => [TYPICAL, HIGH].map((market) => describeMarket(seed, market)));
  console.log('\nSimulated markets (ROAS winsorized at the 99th percentile, day as the unit)');
  printTable(
    markets.map((m) => ({
      market: m.market,
      'conversions/day': m.conversionsPerDay.toFixed(1),
      ROAS: m.roas.toFixed(2),
      'CV of daily ROAS': m.dailyRoasCv.toFixed(3),
      'fixed-horizon days for +10% at 80% power (one look)': m.fixedHorizonDaysFor10PercentAt80Power,
    })),
  );

  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const file = writeBenchResult('ab', {
    seed,
    alpha: ALPHA,
    firstLook: FIRST_LOOK,
    markets: { typical: TYPICAL, high: HIGH, dayOfWeekSpend: DOW_SPEND, dayOfWeekConversion: DOW_CONVERSION, simulated: markets },
    aa: { sims, horizonDays: aaHorizon, metric: 'roas', rules: aa },
    benjaminiHochberg: { replicates, arms: 50, nullArms: 40, q: 0.1, days: 28, procedures: bh },
    power: { sims: powerSims, horizonDays: powerHorizon, lift: 0.1, results: power },
    seconds,
    cpuSeconds,
    sectionSeconds,
  });
  const sections = Object.entries(sectionSeconds)
    .map(([name, s]) => `${name} ${s.toFixed(1)} s`)
    .join(', ');
  console.log(`\n${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU (${sections}); written to ${file}`);
}
