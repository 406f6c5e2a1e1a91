/**
 * MarketSimulator: a deterministic ad market driven by an injected Clock. Each ad set has a true
 * response curve; days are simulated lazily, in order, only for account-local dates strictly
 * before the clock's account-local "today", and never change once simulated.
 *
 * @example
 *   const clock = new ManualClock('2026-10-15T10:00:00Z');
 *   const market = sampleMarket(42, clock);
 *   market.setDailyBudget('23850000000001', 450_000_000); // 450.00 EUR from tomorrow (Paris time)
 *   clock.advance(2 * 86_400_000);
 *   const rows = market.dailyResults('act_1000000001', '2026-10-01', '2026-10-16');
 *
 * Faults and scenarios are time-varying multipliers ("effects", see `MarketEffect`) on one quantity of an ad
 * set: spend, CPM, CTR, conversion rate, order value or the tracked share of conversions. The named fault
 * hooks (overspend, stepConversionRate, stepOrderValue, decayCtr) are effects; `addEffect` takes any other,
 * e.g. weekly seasonality or a collapse for a budget-allocation scenario:
 *
 *   market.addEffect({ adsetId, target: 'conversionRate', from: '2026-11-01', shape: { kind: 'weekly', factors: [1, 1, 1, 1, 1.2, 1.4, 1.1] } });
 *   market.addEffect({ adsetId, target: 'conversionRate', from: '2026-11-20', shape: { kind: 'ramp', to: 0.2, days: 5 } });
 *
 * Like budget changes, an effect may only start on a day not yet simulated.
 */
import type { AdAccount, AdSet, DailyMetric } from '../model/ads.ts';
import { addDays, assertTimeZone, daysBetween, isoWeekday, type LocalDate, localDateAt } from '../model/dates.ts';
import { floorToBillable, MICROS_PER_UNIT, minorUnitOffset } from '../model/money.ts';
import type { Clock } from '../runtime/clock.ts';
import { SimulationError } from './errors.ts';
import {
  type EffectShape,
  type EffectTarget,
  type LearningPhaseConfig,
  MarketConfig,
  type MarketConfigInput,
  MarketEffect,
  type MarketEffectInput,
  type SimAccountConfig,
  type SimAdSetConfig,
} from './market-config.ts';
import { Rng } from './random.ts';
import { hillConversions } from './response.ts';
import { sampleMarketConfig } from './sample-market.ts';

/** Meta lets a day's spend exceed the daily budget by up to 25%. */
export const MAX_DAILY_OVERSPEND = 1.25;

/** Default spend multiplier of the `overspend` fault: about 1.55× the budget, well past the 1.25× pacing cap. */
export const DEFAULT_OVERSPEND_FACTOR = 1.6;

/** Counts above this are thinned with a normal approximation of the binomial (fast, and exact enough). */
const EXACT_THINNING_LIMIT = 50;

/**
 * Share of a day's final conversions that the platform reports `ageDays` full days after the day ended.
 * Seam for late-arriving conversions (a later issue); today every day is final (always 1).
 */
export type Maturity = (ageDays: number) => number;
export const finalMaturity: Maturity = () => 1;

export type MarketOptions = MarketConfigInput & { clock: Clock; maturity?: Maturity };

type Status = AdSet['status'];
type FaultKind = 'stop-delivery' | 'break-tracking';
interface Fault {
  readonly kind: FaultKind;
  readonly from: LocalDate;
  readonly until: LocalDate | undefined;
}
interface Timed<T> {
  readonly from: LocalDate;
  readonly value: T;
}
interface AdSetState {
  readonly config: SimAdSetConfig;
  readonly budgets: Timed<number>[];
  readonly statuses: Timed<Status>[];
  readonly faults: Fault[];
  readonly effects: MarketEffect[];
}
interface AccountState {
  readonly config: SimAccountConfig;
  readonly adsetIds: string[];
  /** Last simulated account-local date; undefined until the first day is simulated. */
  simulatedThrough: LocalDate | undefined;
  /** Every simulated row, including days without delivery, by date. */
  readonly days: Map<LocalDate, DailyMetric[]>;
}

/** Expected outcome of a day at a given spend (no noise): for oracles and tests. */
export interface ExpectedResponse {
  readonly conversions: number;
  readonly revenueMicros: number;
}

const BEGINNING: LocalDate = '0000-01-01';

/** Value in effect on `date` in a timeline sorted by `from`. */
function valueOn<T>(timeline: readonly Timed<T>[], date: LocalDate): T {
  let found: T | undefined;
  for (const entry of timeline) {
    if (entry.from > date) break;
    found = entry.value;
  }
  if (found === undefined) throw new SimulationError(`no value in effect on ${date}`);
  return found;
}

/** Inserts a change keeping the timeline sorted; a second change for the same date replaces the first. */
function insertChange<T>(timeline: Timed<T>[], change: Timed<T>): void {
  const same = timeline.findIndex((e) => e.from === change.from);
  if (same >= 0) {
    timeline[same] = change;
    return;
  }
  const after = timeline.findIndex((e) => e.from > change.from);
  timeline.splice(after < 0 ? timeline.length : after, 0, change);
}

/** A simulated ad market: ground truth for the fake platform servers, the demo and the oracles. */
export class MarketSimulator {
  readonly seed: number;
  readonly startDate: LocalDate;
  private readonly clock: Clock;
  private readonly maturity: Maturity;
  private readonly learningPhase: LearningPhaseConfig | undefined;
  private readonly accountStates = new Map<string, AccountState>();
  private readonly adsetStates = new Map<string, AdSetState>();

  constructor(options: MarketOptions) {
    const { clock, maturity, ...raw } = options;
    const parsed = MarketConfig.safeParse(raw);
    if (!parsed.success) throw new SimulationError(`invalid market config: ${parsed.error.message}`);
    const config = parsed.data;
    this.seed = config.seed;
    this.clock = clock;
    this.maturity = maturity ?? finalMaturity;
    this.learningPhase = config.learningPhase;
    for (const account of config.accounts) {
      assertTimeZone(account.timezone);
      if (this.accountStates.has(account.accountId)) throw new SimulationError(`duplicate account ${account.accountId}`);
      this.accountStates.set(account.accountId, { config: account, adsetIds: [], simulatedThrough: undefined, days: new Map() });
    }
    for (const adset of config.adsets) {
      const account = this.accountStates.get(adset.accountId);
      if (!account) throw new SimulationError(`ad set ${adset.adsetId} names unknown account ${adset.accountId}`);
      if (account.config.platform !== adset.platform)
        throw new SimulationError(`ad set ${adset.adsetId} is not on ${account.config.platform}`);
      if (this.adsetStates.has(adset.adsetId)) throw new SimulationError(`duplicate ad set ${adset.adsetId}`);
      account.adsetIds.push(adset.adsetId);
      this.adsetStates.set(adset.adsetId, {
        config: adset,
        budgets: [{ from: BEGINNING, value: adset.dailyBudgetMicros }],
        statuses: [{ from: BEGINNING, value: adset.status }],
        faults: [],
        effects: [],
      });
    }
    for (const effect of config.effects) this.pushEffect(effect);
    for (const account of this.accountStates.values()) account.adsetIds.sort();
    const first = config.accounts[0];
    this.startDate = config.startDate ?? addDays(localDateAt(clock.now(), first?.timezone ?? 'UTC'), -90);
  }

  /** The simulation's current instant (its clock). */
  now(): Date {
    return this.clock.now();
  }

  /** Every account of the market. */
  accounts(): AdAccount[] {
    return [...this.accountStates.keys()].map((id) => this.account(id));
  }

  /** One account as the platform reports it. */
  account(accountId: string): AdAccount {
    const { config } = this.accountState(accountId);
    return {
      platform: config.platform,
      accountId: config.accountId,
      name: config.name,
      currency: config.currency,
      timezone: config.timezone,
    };
  }

  /** Ad sets with their current configured budget and status (a change shows at once, though it applies from the next day). */
  adsets(accountId?: string): AdSet[] {
    const ids = accountId === undefined ? [...this.adsetStates.keys()] : this.accountState(accountId).adsetIds;
    return ids.map((id) => this.adset(id));
  }

  /** One ad set with its current configured budget and status. */
  adset(adsetId: string): AdSet {
    const state = this.adsetState(adsetId);
    const { config } = state;
    return {
      platform: config.platform,
      accountId: config.accountId,
      adsetId: config.adsetId,
      campaignId: config.campaignId,
      name: config.name,
      campaignName: config.campaignName,
      status: state.statuses.at(-1)?.value ?? config.status,
      currency: this.accountState(config.accountId).config.currency,
      dailyBudgetMicros: state.budgets.at(-1)?.value ?? config.dailyBudgetMicros,
      budgetLevel: config.budgetLevel,
      learning: this.learningOn(adsetId, this.today(config.accountId)),
    };
  }

  /** The true configuration of an ad set (its response curve and noise), for oracles and tests. */
  adsetConfig(adsetId: string): SimAdSetConfig {
    return this.adsetState(adsetId).config;
  }

  /** The account-local date of the clock: this day is in progress and not reported. */
  today(accountId: string): LocalDate {
    return localDateAt(this.clock.now(), this.accountState(accountId).config.timezone);
  }

  /** The daily budget (micros) in effect on an account-local date. */
  budgetOn(adsetId: string, date: LocalDate): number {
    return valueOn(this.adsetState(adsetId).budgets, date);
  }

  /** The status in effect on an account-local date. */
  statusOn(adsetId: string, date: LocalDate): Status {
    return valueOn(this.adsetState(adsetId).statuses, date);
  }

  /**
   * Sets an ad set's daily budget (micros) at instant `at` (default: now). It applies from the next
   * account-local day, so no simulated day changes. Returns the first date it applies to.
   */
  setDailyBudget(adsetId: string, micros: number, at: Date = this.clock.now()): { effectiveFrom: LocalDate } {
    if (!Number.isSafeInteger(micros) || micros < 0) throw new SimulationError(`budget must be whole micros >= 0: ${micros}`);
    const state = this.adsetState(adsetId);
    const effectiveFrom = this.nextLocalDay(state, at);
    insertChange(state.budgets, { from: effectiveFrom, value: micros });
    return { effectiveFrom };
  }

  /** Sets an ad set's status at instant `at` (default: now); like budgets it applies from the next account-local day. */
  setStatus(adsetId: string, status: Status, at: Date = this.clock.now()): { effectiveFrom: LocalDate } {
    const state = this.adsetState(adsetId);
    const effectiveFrom = this.nextLocalDay(state, at);
    insertChange(state.statuses, { from: effectiveFrom, value: status });
    return { effectiveFrom };
  }

  /** Fault: the ad set spends nothing from `fromDate` (through `untilDate`, inclusive, if given) although active with a budget. */
  stopDelivery(adsetId: string, fromDate: LocalDate, untilDate?: LocalDate): void {
    this.addFault(adsetId, { kind: 'stop-delivery', from: fromDate, until: untilDate });
  }

  /** Fault: conversions and revenue read 0 from `fromDate` (through `untilDate` if given) while spend and clicks hold. */
  breakTracking(adsetId: string, fromDate: LocalDate, untilDate?: LocalDate): void {
    this.addFault(adsetId, { kind: 'break-tracking', from: fromDate, until: untilDate });
  }

  /**
   * Fault: spend runs at `factor` (default 1.6) times its usual pacing from `fromDate`, past the platform's
   * 1.25× daily cap (a pacing bug, or a second budget feeding the ad set). Conversions follow the extra spend.
   */
  overspend(adsetId: string, fromDate: LocalDate, options: { factor?: number; untilDate?: LocalDate } = {}): void {
    const factor = options.factor ?? DEFAULT_OVERSPEND_FACTOR;
    this.addEffect(step(adsetId, 'spend', fromDate, factor, options.untilDate));
  }

  /** Fault: expected conversions at a given spend are multiplied by `factor` from `fromDate` (CPA ×1/factor, ROAS ×factor). */
  stepConversionRate(adsetId: string, fromDate: LocalDate, factor: number, untilDate?: LocalDate): void {
    this.addEffect(step(adsetId, 'conversionRate', fromDate, factor, untilDate));
  }

  /** Fault: each order is worth `factor` times as much from `fromDate` (ROAS moves, CPA does not). */
  stepOrderValue(adsetId: string, fromDate: LocalDate, factor: number, untilDate?: LocalDate): void {
    this.addEffect(step(adsetId, 'orderValue', fromDate, factor, untilDate));
  }

  /** Fault: creative fatigue, CTR decaying from `fromDate` towards `floor` of its level, halving the gap every `halfLifeDays`. */
  decayCtr(adsetId: string, fromDate: LocalDate, options: { floor: number; halfLifeDays: number; untilDate?: LocalDate }): void {
    this.addEffect({
      adsetId,
      target: 'ctr',
      from: fromDate,
      ...(options.untilDate === undefined ? {} : { until: options.untilDate }),
      shape: { kind: 'decay', floor: options.floor, halfLifeDays: options.halfLifeDays },
    });
  }

  /** Adds a time-varying multiplier (see `MarketEffect`); it may not start on a day already simulated. */
  addEffect(effect: MarketEffectInput): void {
    const parsed = MarketEffect.safeParse(effect);
    if (!parsed.success) throw new SimulationError(`invalid effect: ${parsed.error.message}`);
    const state = this.adsetState(parsed.data.adsetId);
    this.assertNotSimulated(this.accountState(state.config.accountId), parsed.data.from, parsed.data.adsetId);
    this.pushEffect(parsed.data);
  }

  /** The product of the effects on `target` of an ad set in force on `date` (1 without any): for oracles and tests. */
  multiplierOn(adsetId: string, target: EffectTarget, date: LocalDate): number {
    let product = 1;
    for (const effect of this.adsetState(adsetId).effects) {
      if (effect.target !== target || date < effect.from || (effect.until !== undefined && date > effect.until)) continue;
      product *= shapeValue(effect.shape, daysBetween(effect.from, date), date);
    }
    return product;
  }

  /**
   * Whether the ad set is in a learning phase restarted by a significant budget edit on `date` (always false
   * unless the market was configured with `learningPhase`).
   */
  learningOn(adsetId: string, date: LocalDate): boolean {
    const phase = this.learningPhase;
    if (!phase) return false;
    const budgets = this.adsetState(adsetId).budgets;
    for (let i = budgets.length - 1; i >= 1; i--) {
      const change = budgets[i];
      const before = budgets[i - 1];
      if (!change || !before || change.from > date) continue;
      if (daysBetween(change.from, date) >= phase.days) return false;
      const significant =
        before.value === 0 ? change.value > 0 : (Math.abs(change.value - before.value) / before.value) * 100 > phase.significantEditPct;
      if (significant) return true;
    }
    return false;
  }

  /** Multiplier of expected conversions from the learning phase on `date` (1 outside it): for oracles and tests. */
  learningFactorOn(adsetId: string, date: LocalDate): number {
    return this.learningPhase && this.learningOn(adsetId, date) ? this.learningPhase.conversionRateFactor : 1;
  }

  /**
   * Ground truth: final rows for the account-local dates in [from, to] that are complete (before today),
   * sorted by date then ad set id. Only days with delivery, as the platforms report, unless `includeZeroRows`.
   */
  dailyResults(accountId: string, from: LocalDate, to: LocalDate, options: { includeZeroRows?: boolean } = {}): DailyMetric[] {
    const state = this.accountState(accountId);
    const yesterday = addDays(this.today(accountId), -1);
    const last = to < yesterday ? to : yesterday;
    this.simulateThrough(state, last);
    const out: DailyMetric[] = [];
    for (let date = from < this.startDate ? this.startDate : from; date <= last; date = addDays(date, 1)) {
      for (const row of state.days.get(date) ?? []) {
        if (options.includeZeroRows || row.spendMicros > 0 || row.impressions > 0) out.push({ ...row });
      }
    }
    return out;
  }

  /** What the platform reports now for [from, to]: the ground truth seen through `maturity` (identical while every day is final). */
  reportedResults(accountId: string, from: LocalDate, to: LocalDate): DailyMetric[] {
    const today = this.today(accountId);
    const unit = MICROS_PER_UNIT / minorUnitOffset(this.accountState(accountId).config.currency);
    return this.dailyResults(accountId, from, to).map((row) => {
      const share = Math.min(1, Math.max(0, this.maturity(daysBetween(row.date, today) - 1)));
      if (share >= 1 || row.conversions === 0) return row;
      const conversions = Math.floor(row.conversions * share);
      const revenueMicros = Math.round((row.revenueMicros * conversions) / row.conversions / unit) * unit;
      return { ...row, conversions, revenueMicros };
    });
  }

  /** Expected conversions and revenue of a day at `spendMicros` on `date` (true curve and weekday, no noise, no faults). */
  expectedResponse(adsetId: string, spendMicros: number, date: LocalDate): ExpectedResponse {
    const { config } = this.adsetState(adsetId);
    const conversions = hillConversions(config.curve, spendMicros) * (config.dayOfWeek[isoWeekday(date) - 1] ?? 1);
    return { conversions, revenueMicros: Math.round(conversions * config.averageOrderValueMicros) };
  }

  private nextLocalDay(state: AdSetState, at: Date): LocalDate {
    const account = this.accountState(state.config.accountId);
    const effectiveFrom = addDays(localDateAt(at, account.config.timezone), 1);
    this.assertNotSimulated(account, effectiveFrom, state.config.adsetId);
    return effectiveFrom;
  }

  private pushEffect(effect: MarketEffect): void {
    if (effect.until !== undefined && effect.until < effect.from)
      throw new SimulationError(`effect on ${effect.adsetId} ends (${effect.until}) before it starts (${effect.from})`);
    this.adsetState(effect.adsetId).effects.push(effect);
  }

  private addFault(adsetId: string, fault: Fault): void {
    const state = this.adsetState(adsetId);
    this.assertNotSimulated(this.accountState(state.config.accountId), fault.from, adsetId);
    state.faults.push(fault);
  }

  /** History is immutable: a change may only affect days that were never simulated (and so never served). */
  private assertNotSimulated(account: AccountState, date: LocalDate, adsetId: string): void {
    if (account.simulatedThrough !== undefined && date <= account.simulatedThrough) {
      throw new SimulationError(`cannot change ${adsetId} from ${date}: days through ${account.simulatedThrough} are already final`);
    }
  }

  private simulateThrough(account: AccountState, last: LocalDate): void {
    const first = account.simulatedThrough === undefined ? this.startDate : addDays(account.simulatedThrough, 1);
    for (let date = first; date <= last; date = addDays(date, 1)) {
      account.days.set(
        date,
        account.adsetIds.map((id) => this.simulateDay(this.adsetState(id), account.config, date)),
      );
      account.simulatedThrough = date;
    }
  }

  /**
   * One ad set on one day. Every random draw comes from a stream seeded by (seed, ad set, date) and
   * is taken whatever the faults, so a fault changes only the figures it is about. Effects that thin or add
   * counts (CTR, tracking) draw from a second stream, so they leave the main stream, and so the other
   * figures, as they were; spend and CPM effects change the counts that follow from them.
   */
  private simulateDay(state: AdSetState, account: SimAccountConfig, date: LocalDate): DailyMetric {
    const { config } = state;
    const row: DailyMetric = {
      platform: config.platform,
      accountId: config.accountId,
      adsetId: config.adsetId,
      campaignId: config.campaignId,
      date,
      currency: account.currency,
      spendMicros: 0,
      revenueMicros: 0,
      impressions: 0,
      clicks: 0,
      conversions: 0,
    };
    const budget = valueOn(state.budgets, date);
    const active = valueOn(state.statuses, date) === 'ACTIVE';
    const faultOn = (kind: FaultKind) =>
      state.faults.some((f) => f.kind === kind && f.from <= date && (f.until === undefined || date <= f.until));
    if (!active || budget === 0 || faultOn('stop-delivery')) return row;

    const effect = (target: EffectTarget) => this.multiplierOn(config.adsetId, target, date);
    const rng = Rng.fromParts(this.seed, config.adsetId, date);
    const side = Rng.fromParts(this.seed, config.adsetId, date, 'effects');
    // The pacing cap holds for healthy delivery; a spend effect is what may break it.
    const spendShare = Math.min(MAX_DAILY_OVERSPEND, Math.max(0, rng.normal(0.97, config.spendNoise))) * effect('spend');
    const spendMicros = floorToBillable(Math.floor(budget * spendShare), account.currency);
    const cpmMicros = config.cpmMicros * Math.exp(rng.normal(0, 0.05)) * effect('cpm');
    const impressions = cpmMicros > 0 ? rng.poisson((spendMicros / cpmMicros) * 1000) : 0;
    const clickMean = impressions * config.ctr * Math.exp(rng.normal(0, 0.08));
    const clicks = Math.min(impressions, scaleCount(rng.poisson(clickMean), clickMean, effect('ctr'), side));
    const learning = this.learningPhase ? this.learningFactorOn(config.adsetId, date) : 1;
    const expected = this.expectedResponse(config.adsetId, spendMicros, date).conversions * effect('conversionRate') * learning;
    const conversions = rng.negativeBinomial(expected, config.dispersion);
    const sigma = config.orderValueSigma;
    const orderValue = config.averageOrderValueMicros * effect('orderValue');
    const trackedShare = faultOn('break-tracking') ? 0 : Math.min(1, effect('tracking'));
    let revenue = 0;
    let tracked = 0;
    for (let i = 0; i < conversions; i++) {
      const value = orderValue * rng.logNormal((-sigma * sigma) / 2, sigma);
      if (trackedShare >= 1 || (trackedShare > 0 && side.next() < trackedShare)) {
        revenue += value;
        tracked += 1;
      }
    }
    const unit = MICROS_PER_UNIT / minorUnitOffset(account.currency);
    return { ...row, spendMicros, impressions, clicks, conversions: tracked, revenueMicros: Math.round(revenue / unit) * unit };
  }

  private accountState(accountId: string): AccountState {
    const state = this.accountStates.get(accountId);
    if (!state) throw new SimulationError(`unknown account ${accountId}`);
    return state;
  }

  private adsetState(adsetId: string): AdSetState {
    const state = this.adsetStates.get(adsetId);
    if (!state) throw new SimulationError(`unknown ad set ${adsetId}`);
    return state;
  }
}

/**
 * The demo's sample client: Meta account act_1000000001 "Acme Outdoor" (EUR, Europe/Paris) with six
 * ad sets of clearly different efficiency and saturation, budgets summing to 1,500.00 EUR a day.
 *
 * @example
 *   const market = sampleMarket(7, new ManualClock('2026-11-02T07:00:00Z'));
 *   const fake = await startFakeMeta({ market });
 */
export function sampleMarket(seed: number, clock: Clock, options: { startDate?: LocalDate } = {}): MarketSimulator {
  return new MarketSimulator({ ...sampleMarketConfig(seed), ...options, clock });
}

function step(adsetId: string, target: EffectTarget, from: LocalDate, factor: number, until: LocalDate | undefined): MarketEffectInput {
  return { adsetId, target, from, ...(until === undefined ? {} : { until }), shape: { kind: 'step', factor } };
}

/** Value of an effect's multiplier `t` days after it started, on `date`. */
function shapeValue(shape: EffectShape, t: number, date: LocalDate): number {
  switch (shape.kind) {
    case 'step':
      return shape.factor;
    case 'decay':
      return shape.floor + (1 - shape.floor) * 0.5 ** (t / shape.halfLifeDays);
    case 'ramp':
      return t >= shape.days ? shape.to : 1 + ((shape.to - 1) * t) / shape.days;
    case 'weekly':
      return shape.factors[isoWeekday(date) - 1] ?? 1;
  }
}

/**
 * A count drawn at mean `mean`, as if drawn at `factor`·mean: binomial thinning for factor < 1 (Poisson
 * thinned is Poisson), an independent Poisson top-up for factor > 1. Draws only from `side`.
 */
function scaleCount(count: number, mean: number, factor: number, side: Rng): number {
  if (factor === 1) return count;
  if (factor > 1) return count + side.poisson(mean * (factor - 1));
  if (factor <= 0 || count === 0) return 0;
  if (count <= EXACT_THINNING_LIMIT) {
    let kept = 0;
    for (let i = 0; i < count; i++) if (side.next() < factor) kept++;
    return kept;
  }
  const kept = Math.round(side.normal(count * factor, Math.sqrt(count * factor * (1 - factor))));
  return Math.min(count, Math.max(0, kept));
}
