/**
 * The Bayesian response model: per budget entity a Michaelis–Menten curve R(x) = β·x/(x + κ) from daily
 * spend (major units) to the objective (revenue in major units, or conversions), fitted on a grid over κ
 * with β conjugate given κ (quasi-Poisson likelihood with a Gamma prior), so the posterior is exact on
 * the grid and costs O(days × grid) per entity.
 *
 * - Pooling: the prior of β is centred on the portfolio's return; the prior of log(κ / typical spend) is
 *   estimated from all entities (empirical Bayes, two passes).
 * - Day of week: portfolio multipliers, shrunk towards 1, divide out weekday swings.
 * - Recency: each day's likelihood is weighted 0.5^(age / half-life), so drift and fatigue are followed.
 * - Immature days: a day whose conversions are expected to reach only a share m of their final value is
 *   modelled as a thinned observation (mean m·R), which is exact for Poisson counts; the missing part is
 *   nowcast from the posterior with its uncertainty instead of being read as final.
 * - Overdispersion: a quasi-Poisson scale estimated from Pearson residuals tempers the likelihood.
 * - Change points: when an entity's recent days run at a clearly different level than its earlier days
 *   (change-point.ts), its history restarts at the change, so a collapse is followed within days.
 */
import { daysBetween, isoWeekday, type LocalDate } from '../model/dates.ts';
import { MICROS_PER_UNIT } from '../model/money.ts';
import { type ChangePointOptions, detectLevelChange, type LevelDay } from './change-point.ts';
import type { MichaelisMentenCurve } from './curves.ts';
import type { SeededRandom } from './random.ts';

/** One day of an entity's history. */
export interface HistoryDay {
  readonly date: LocalDate;
  readonly spendMicros: number;
  readonly revenueMicros: number;
  readonly conversions: number;
  /** Expected share (0, 1] of the day's final conversions already reported (from the store's revision history); 1 = final. */
  readonly maturity?: number;
  /** Standard deviation of `maturity` (from the nowcast); it tempers the day's weight. @default 0 */
  readonly maturitySd?: number;
}

export type Objective = 'revenue' | 'conversions';

/** Tuning of the model; the defaults suit daily data over 4–12 weeks. */
export interface ResponseModelOptions {
  /** Days after which a day's weight halves. @default 21 */
  readonly halfLifeDays?: number;
  /** Grid of κ as multiples of the entity's typical spend. @default 24 points from 0.05 to 20 */
  readonly kappaRatios?: readonly number[];
  /** Gamma prior shape of β (pseudo-observations in count units). @default 1 */
  readonly priorShape?: number;
  /** Pseudo-count (in days of portfolio response) shrinking weekday multipliers to 1. @default 1 */
  readonly weekdayShrinkDays?: number;
  /**
   * How the pooled κ prior is centred: 0 = at the portfolio's typical κ/spend ratio times the entity's own spend,
   * 1 = at the portfolio's typical κ in currency. Saturation is a property of the audience more than of the
   * budget someone happened to set, so an ad set kept small should not be assumed to saturate just above it
   * (the absolute centre did better on every benchmark scenario but the demo one, within 0.3 points). @default 1
   */
  readonly absoluteKappaWeight?: number;
  /** Change-point test on each entity's level; `false` turns it off. @default the test's defaults */
  readonly changePoint?: ChangePointOptions | false;
}

/** An entity's posterior: a distribution over the κ grid, and β | κ ~ Gamma(shape, rate) in count units. */
export interface EntityPosterior {
  readonly id: string;
  /** κ grid in major units of spend. */
  readonly kappas: readonly number[];
  readonly weights: readonly number[];
  readonly shapes: readonly number[];
  readonly rates: readonly number[];
  /** Response per count unit (β in objective units = count β × unit). */
  readonly unit: number;
  /** Recency-weighted typical daily spend (major units) the κ grid is scaled on. */
  readonly typicalSpend: number;
  /** Sum of recency weights of days with spend: the evidence behind the curve. */
  readonly effectiveDays: number;
  /** Nowcast of the response still to be reported for immature days: mean and standard deviation (objective units). */
  readonly nowcast: { readonly mean: number; readonly sd: number };
  /** A level change detected in the recent days: the history before it was set aside. Null when none. */
  readonly levelChange: { readonly since: LocalDate; readonly ratio: number } | null;
}

/** The fitted portfolio: one posterior per entity plus the shared pieces. */
export interface PortfolioModel {
  readonly objective: Objective;
  readonly entities: readonly EntityPosterior[];
  /** Weekday multipliers, Monday first, mean 1. */
  readonly weekday: readonly number[];
  /** Portfolio return per unit of spend (ROAS, or conversions per unit) over the weighted history. */
  readonly pooledReturn: number;
  /** Prior of log(κ / typical spend) after pooling (relative centre), and of log κ (absolute centre). */
  readonly kappaPrior: KappaPrior;
  /** Quasi-Poisson dispersion of the count units. */
  readonly dispersion: number;
}

/** The pooled κ prior: normal on log κ, centred between the relative and the absolute pooled centres. */
export interface KappaPrior {
  /** Mean of log(κ / typical spend) across the portfolio. */
  readonly mean: number;
  readonly sd: number;
  /** Mean of log κ (major units) across the portfolio. */
  readonly absoluteMean: number;
  /** Weight of the absolute centre (0..1). */
  readonly absoluteWeight: number;
}

const DEFAULT_RATIOS = Array.from({ length: 24 }, (_, i) => 0.05 * (20 / 0.05) ** (i / 23));

interface Prepared {
  readonly id: string;
  readonly x: number[];
  readonly y: number[];
  readonly w: number[];
  readonly m: number[];
  readonly dow: number[];
  /** Days between each day and the plan date (0 = the day before it). */
  readonly age: number[];
  /** Each day's recency weight (the part of `w` that is not about the day's own evidence). */
  readonly recency: number[];
  readonly dates: LocalDate[];
  readonly typicalSpend: number;
  readonly effectiveDays: number;
}

/** Fits the response model of every entity of a portfolio as of `asOf` (the first day not in the history). */
export function fitPortfolio(
  entities: readonly { id: string; history: readonly HistoryDay[]; fallbackSpendMicros: number }[],
  objective: Objective,
  asOf: LocalDate,
  options: ResponseModelOptions = {},
): PortfolioModel {
  const halfLife = options.halfLifeDays ?? 21;
  const ratios = options.kappaRatios ?? DEFAULT_RATIOS;
  const priorShape = options.priorShape ?? 1;
  // Portfolios share their dates: parse each date once.
  const dates = new Map<LocalDate, DateInfo>();
  const dateInfo = (date: LocalDate) => {
    let info = dates.get(date);
    if (!info) {
      const age = Math.max(0, daysBetween(date, asOf) - 1);
      info = { weight: 0.5 ** (age / halfLife), dow: isoWeekday(date) - 1, age };
      dates.set(date, info);
    }
    return info;
  };
  const prepared = entities.map((e) => prepare(e.id, e.history, e.fallbackSpendMicros, objective, dateInfo));

  // Pooled return, from nowcast-corrected response (y / m).
  let ySum = 0;
  let xSum = 0;
  for (const p of prepared) {
    p.x.forEach((x, t) => {
      const w = p.w[t] ?? 0;
      ySum += (w * (p.y[t] ?? 0)) / (p.m[t] ?? 1);
      xSum += w * x;
    });
  }
  const pooledReturn = xSum > 0 && ySum > 0 ? ySum / xSum : 1;

  // Count unit: revenue is measured in (average order value × dispersion) so it behaves like a count.
  const conversions = entities.reduce((s, e) => s + e.history.reduce((t, h) => t + h.conversions, 0), 0);
  const revenue = entities.reduce((s, e) => s + e.history.reduce((t, h) => t + h.revenueMicros, 0), 0) / MICROS_PER_UNIT;
  const baseUnit = objective === 'revenue' && conversions > 0 && revenue > 0 ? revenue / conversions : 1;

  const fitAll = (weekday: readonly number[], unit: number, prior: KappaPrior) =>
    prepared.map((p) => fitEntity(p, weekday, unit, pooledReturn, prior, ratios, priorShape));

  // Pass 1 ignores weekdays and uses a wide κ prior; its fits yield the weekday multipliers (from
  // residual ratios, so saturation is not mistaken for a weekday effect), the pooled κ prior and the dispersion.
  const flat = [1, 1, 1, 1, 1, 1, 1];
  const first = fitAll(flat, baseUnit, { mean: 0, sd: 1.5, absoluteMean: 0, absoluteWeight: 0 });
  const weekday = weekdayMultipliers(first, prepared, options.weekdayShrinkDays ?? 1);
  const kappaPrior = poolKappa(first, options.absoluteKappaWeight ?? 1);
  const dispersion = pearsonDispersion(first, prepared, weekday);
  const unit = baseUnit * dispersion;
  const fitted = fitAll(weekday, unit, kappaPrior);
  const changeOptions = options.changePoint;
  // An entity whose level changed recently is refitted on the days since the change (with the pooled priors).
  const entitiesOut =
    changeOptions === false
      ? fitted
      : fitted.map((post, i) => {
          const p = prepared[i];
          const change = p ? detectLevelChange(levelDays(post, p, weekday), changeOptions) : null;
          if (!p || !change) return post;
          const kept = sinceChange(p, change.oldestAge);
          const since = [...kept.dates].sort()[0] ?? p.dates[0] ?? '';
          return {
            ...fitEntity(kept, weekday, unit, pooledReturn, kappaPrior, ratios, priorShape),
            levelChange: { since, ratio: change.ratio },
          };
        });
  return { objective, entities: entitiesOut, weekday, pooledReturn, kappaPrior, dispersion };
}

interface DateInfo {
  readonly weight: number;
  readonly dow: number;
  readonly age: number;
}

function prepare(
  id: string,
  history: readonly HistoryDay[],
  fallbackSpendMicros: number,
  objective: Objective,
  dateInfo: (date: LocalDate) => DateInfo,
): Prepared {
  const out: Prepared = { id, x: [], y: [], w: [], m: [], dow: [], age: [], recency: [], dates: [], typicalSpend: 0, effectiveDays: 0 };
  let wx = 0;
  let ws = 0;
  for (const day of history) {
    // A day without spend says nothing about the curve (and its late conversions belong to earlier spend).
    if (!(day.spendMicros > 0)) continue;
    const { weight: recency, dow, age } = dateInfo(day.date);
    const x = day.spendMicros / MICROS_PER_UNIT;
    const m = Math.min(1, Math.max(0.02, day.maturity ?? 1));
    // An uncertain maturity adds variance (μ·cv)² to the day's Poisson variance μ: weight μ/(μ + μ²cv²).
    const cv = (day.maturitySd ?? 0) / m;
    const w = recency / (1 + cv * cv * (Math.max(0, day.conversions) / m));
    out.x.push(x);
    out.y.push(objective === 'revenue' ? Math.max(0, day.revenueMicros) / MICROS_PER_UNIT : Math.max(0, day.conversions));
    out.w.push(w);
    out.m.push(m);
    out.dow.push(dow);
    out.age.push(age);
    out.recency.push(recency);
    out.dates.push(day.date);
    wx += w * x;
    ws += w;
  }
  const typicalSpend = ws > 0 ? wx / ws : Math.max(fallbackSpendMicros / MICROS_PER_UNIT, 1);
  return { ...out, typicalSpend, effectiveDays: ws };
}

function fitEntity(
  p: Prepared,
  weekday: readonly number[],
  unit: number,
  pooledReturn: number,
  prior: KappaPrior,
  ratios: readonly number[],
  priorShape: number,
): EntityPosterior {
  // Centre of log(κ / typical spend) for this entity: the relative centre, pulled towards the portfolio's κ in currency.
  const centre = (1 - prior.absoluteWeight) * prior.mean + prior.absoluteWeight * (prior.absoluteMean - Math.log(p.typicalSpend));
  const n = p.x.length;
  // Per-day constants, so the grid loop does one log per (day, κ).
  const numer = new Float64Array(n);
  const counts = new Float64Array(n);
  const weights = new Float64Array(n);
  let countSum = 0;
  let constLog = 0;
  for (let t = 0; t < n; t++) {
    const x = p.x[t] ?? 0;
    numer[t] = (p.m[t] ?? 1) * (weekday[p.dow[t] ?? 0] ?? 1) * x;
    weights[t] = p.w[t] ?? 0;
    counts[t] = (weights[t] ?? 0) * ((p.y[t] ?? 0) / unit);
    countSum += counts[t] ?? 0;
    constLog += (counts[t] ?? 0) * Math.log(numer[t] ?? 1);
  }
  const kappas: number[] = [];
  const logPost: number[] = [];
  const shapes: number[] = [];
  const rates: number[] = [];
  for (const r of ratios) {
    const kappa = r * p.typicalSpend;
    // Prior mean of β: the portfolio's return at the entity's typical spend.
    const priorMean = Math.max(1e-9, (pooledReturn * (p.typicalSpend + kappa)) / unit);
    const priorRate = priorShape / priorMean;
    let gSum = 0;
    let logLik = constLog;
    for (let t = 0; t < n; t++) {
      const denom = (p.x[t] ?? 0) + kappa;
      gSum += ((weights[t] ?? 0) * (numer[t] ?? 0)) / denom;
      logLik -= (counts[t] ?? 0) * Math.log(denom);
    }
    const shape = priorShape + countSum;
    const rate = priorRate + gSum;
    // Gamma–Poisson marginal likelihood up to terms equal across the grid.
    const logMarginal = logLik + priorShape * Math.log(priorRate) - shape * Math.log(rate);
    const z = (Math.log(r) - centre) / prior.sd;
    kappas.push(kappa);
    logPost.push(logMarginal - 0.5 * z * z);
    shapes.push(shape);
    rates.push(rate);
  }
  const top = Math.max(...logPost);
  const raw = logPost.map((l) => Math.exp(l - top));
  const norm = raw.reduce((s, v) => s + v, 0);
  const posterior: EntityPosterior = {
    id: p.id,
    kappas,
    weights: raw.map((v) => v / norm),
    shapes,
    rates,
    unit,
    typicalSpend: p.typicalSpend,
    effectiveDays: p.effectiveDays,
    nowcast: { mean: 0, sd: 0 },
    levelChange: null,
  };
  return { ...posterior, nowcast: nowcastImmature(posterior, p, weekday) };
}

/** Each day's observed and fitted response in count units, for the change-point test (evidence weight without recency). */
function levelDays(post: EntityPosterior, p: Prepared, weekday: readonly number[]): LevelDay[] {
  // Grid points with negligible posterior weight do not change the expectation: skip them (this runs for every entity).
  const grid = post.kappas.flatMap((kappa, j) => {
    const c = (post.weights[j] ?? 0) * ((post.shapes[j] ?? 0) / (post.rates[j] ?? 1));
    return c > 0 && (post.weights[j] ?? 0) > 1e-6 ? [{ kappa, c }] : [];
  });
  return p.x.map((x, t) => {
    const g = (p.m[t] ?? 1) * (weekday[p.dow[t] ?? 0] ?? 1);
    let expected = 0;
    for (const { kappa, c } of grid) expected += (c * g * x) / (x + kappa);
    const recency = p.recency[t] ?? 1;
    return { age: p.age[t] ?? 0, observed: (p.y[t] ?? 0) / post.unit, expected, weight: recency > 0 ? (p.w[t] ?? 0) / recency : 0 };
  });
}

/** The prepared days no older than `oldestAge` only, with typical spend and evidence recomputed. */
function sinceChange(p: Prepared, oldestAge: number): Prepared {
  const cutoff = oldestAge;
  const keep = p.age.flatMap((age, t) => (age <= cutoff ? [t] : []));
  const pick = <T>(xs: readonly T[]) => keep.flatMap((t) => (xs[t] === undefined ? [] : [xs[t] as T]));
  const x = pick(p.x);
  const w = pick(p.w);
  const ws = w.reduce((s, v) => s + v, 0);
  const wx = x.reduce((s, v, i) => s + v * (w[i] ?? 0), 0);
  return {
    id: p.id,
    x,
    y: pick(p.y),
    w,
    m: pick(p.m),
    dow: pick(p.dow),
    age: pick(p.age),
    recency: pick(p.recency),
    dates: pick(p.dates),
    typicalSpend: ws > 0 ? wx / ws : p.typicalSpend,
    effectiveDays: ws,
  };
}

/** Response still to come on immature days: Σ (1 − m)·E[R(x)] with Poisson-plus-posterior uncertainty. */
function nowcastImmature(post: EntityPosterior, p: Prepared, weekday: readonly number[]): { mean: number; sd: number } {
  let mean = 0;
  let variance = 0;
  for (let t = 0; t < p.x.length; t++) {
    const m = p.m[t] ?? 1;
    if (m >= 1) continue;
    const x = p.x[t] ?? 0;
    const d = weekday[p.dow[t] ?? 0] ?? 1;
    let first = 0;
    let second = 0;
    post.kappas.forEach((kappa, j) => {
      const g = (1 - m) * d * (x / (x + kappa)) * post.unit;
      const a = post.shapes[j] ?? 1;
      const b = post.rates[j] ?? 1;
      const w = post.weights[j] ?? 0;
      first += w * g * (a / b);
      second += w * g * g * ((a * (a + 1)) / (b * b));
    });
    mean += first;
    // Posterior variance of the mean plus the count noise of what is still to arrive.
    variance += Math.max(0, second - first * first) + first * post.unit;
  }
  return { mean, sd: Math.sqrt(variance) };
}

/** Portfolio weekday multipliers: observed over fitted response per weekday, shrunk to 1, mean 1. */
function weekdayMultipliers(posteriors: readonly EntityPosterior[], prepared: readonly Prepared[], shrinkDays: number): number[] {
  const observed = new Array<number>(7).fill(0);
  const fitted = new Array<number>(7).fill(0);
  let days = 0;
  posteriors.forEach((post, i) => {
    const p = prepared[i];
    if (!p) return;
    const curve = posteriorMeanCurve(post);
    for (let t = 0; t < p.x.length; t++) {
      const d = p.dow[t] ?? 0;
      const w = p.w[t] ?? 0;
      const x = p.x[t] ?? 0;
      observed[d] = (observed[d] ?? 0) + (w * (p.y[t] ?? 0)) / (p.m[t] ?? 1);
      fitted[d] = (fitted[d] ?? 0) + (w * curve.beta * x) / (x + curve.kappa);
      days += w;
    }
  });
  const fittedTotal = fitted.reduce((s, v) => s + v, 0);
  if (!(fittedTotal > 0)) return [1, 1, 1, 1, 1, 1, 1];
  // Pseudo-response worth `shrinkDays` days of the portfolio on each weekday.
  const pseudo = (shrinkDays * fittedTotal) / Math.max(1, days / Math.max(1, posteriors.length));
  const raw = observed.map((o, d) => (o + pseudo) / ((fitted[d] ?? 0) + pseudo));
  const mean = raw.reduce((s, v) => s + v, 0) / 7;
  return raw.map((v) => v / mean);
}

function poolKappa(posteriors: readonly EntityPosterior[], absoluteWeight: number): KappaPrior {
  const informed = posteriors.filter((p) => p.effectiveDays > 0);
  if (informed.length === 0) return { mean: 0, sd: 1.2, absoluteMean: 0, absoluteWeight: 0 };
  let wSum = 0;
  let mSum = 0;
  let aSum = 0;
  const means = informed.map((p) => {
    let mean = 0;
    p.kappas.forEach((k, j) => {
      mean += (p.weights[j] ?? 0) * Math.log(k / p.typicalSpend);
    });
    return mean;
  });
  informed.forEach((p, i) => {
    const w = Math.min(p.effectiveDays, 30);
    wSum += w;
    mSum += w * (means[i] ?? 0);
    aSum += w * ((means[i] ?? 0) + Math.log(p.typicalSpend));
  });
  const mean = mSum / wSum;
  const absolute = aSum / wSum;
  // Spread of the entities around the centre each will be given (relative, absolute or between).
  const between =
    informed.reduce((s, p, i) => {
      const rel = means[i] ?? 0;
      const centre = (1 - absoluteWeight) * mean + absoluteWeight * (absolute - Math.log(p.typicalSpend));
      return s + (rel - centre) ** 2;
    }, 0) / Math.max(1, informed.length - 1);
  // Shrink the pooled centre towards κ = typical spend and keep the prior wide enough to learn from.
  const shrunk = (mean * informed.length) / (informed.length + 2);
  const absoluteMean = absolute - (mean - shrunk);
  return { mean: shrunk, sd: Math.min(1.5, Math.max(0.6, Math.sqrt(between + 0.25))), absoluteMean, absoluteWeight };
}

function pearsonDispersion(posteriors: readonly EntityPosterior[], prepared: readonly Prepared[], weekday: readonly number[]): number {
  let chi = 0;
  let dof = 0;
  posteriors.forEach((post, i) => {
    const p = prepared[i];
    if (!p) return;
    for (let t = 0; t < p.x.length; t++) {
      const x = p.x[t] ?? 0;
      const g = (p.m[t] ?? 1) * (weekday[p.dow[t] ?? 0] ?? 1);
      let mu = 0;
      post.kappas.forEach((kappa, j) => {
        mu += (post.weights[j] ?? 0) * ((post.shapes[j] ?? 0) / (post.rates[j] ?? 1)) * g * (x / (x + kappa));
      });
      if (!(mu > 0)) continue;
      const c = (p.y[t] ?? 0) / post.unit;
      const w = p.w[t] ?? 0;
      chi += (w * (c - mu) ** 2) / mu;
      dof += w;
    }
    dof -= 2;
  });
  if (!(dof > 1)) return 1;
  return Math.min(50, Math.max(1, chi / dof));
}

/** Posterior mean of an entity's response and marginal response at daily spend `x` (major units, average weekday). */
export function posteriorAt(post: EntityPosterior, x: number): { response: number; marginal: number } {
  let response = 0;
  let marginal = 0;
  post.kappas.forEach((kappa, j) => {
    const beta = ((post.shapes[j] ?? 0) / (post.rates[j] ?? 1)) * post.unit;
    const w = post.weights[j] ?? 0;
    response += (w * beta * x) / (x + kappa);
    marginal += (w * beta * kappa) / (x + kappa) ** 2;
  });
  return { response, marginal };
}

/**
 * A Michaelis–Menten curve with the posterior-expected response and marginal response at spend `x` (major
 * units): the expected-revenue curve of the posterior, locally. Budgets move at most a step from `x`, so the
 * split that maximizes expected return can be solved in closed form on these curves.
 */
export function posteriorLocalCurve(post: EntityPosterior, x: number): MichaelisMentenCurve {
  const at = posteriorAt(post, x);
  // For R = βx/(x + κ): q = x·R'/R = κ/(x + κ), so κ = q·x/(1 − q) and β = R/(1 − q).
  const q = x > 0 && at.response > 0 ? (x * at.marginal) / at.response : Number.NaN;
  if (!(q > 0 && q < 1)) return posteriorMeanCurve(post);
  return { beta: at.response / (1 - q), kappa: (q * x) / (1 - q) };
}

/** Posterior means of β and κ (objective units, major units of spend). */
export function posteriorMeanCurve(post: EntityPosterior): MichaelisMentenCurve {
  let beta = 0;
  let kappa = 0;
  post.kappas.forEach((k, j) => {
    const w = post.weights[j] ?? 0;
    beta += (w * (post.shapes[j] ?? 0) * post.unit) / (post.rates[j] ?? 1);
    kappa += w * k;
  });
  return { beta, kappa };
}

/** One curve drawn from the posterior (Thompson sampling). */
export function drawCurve(post: EntityPosterior, rng: SeededRandom): MichaelisMentenCurve {
  const j = rng.pick(post.weights);
  const beta = rng.gamma(post.shapes[j] ?? 1, post.rates[j] ?? 1) * post.unit;
  return { beta, kappa: post.kappas[j] ?? post.typicalSpend };
}
