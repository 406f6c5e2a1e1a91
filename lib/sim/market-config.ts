/**
 * Configuration of the market simulator, validated with zod: accounts, ad sets and each ad set's
 * true response (Hill curve, order value, CPM, CTR, weekday pattern, overdispersion).
 */
import { z } from 'zod';
import { AdSet, BudgetLevel, Platform } from '../model/ads.ts';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** Hill curve y = beta·x^alpha / (x^alpha + kappa^alpha), x = daily spend in major units, y = expected conversions. */
export const HillCurve = z.object({
  /** Saturation level: the most conversions a day can bring, however much is spent. */
  beta: z.number().nonnegative(),
  /** Shape: > 1 gives an S curve (a threshold before returns start), 1 a concave curve. */
  alpha: z.number().positive(),
  /** Half-saturation spend in major units of the account currency. */
  kappa: z.number().positive(),
});
export type HillCurve = z.infer<typeof HillCurve>;

export const SimAccountConfig = z.object({
  platform: Platform,
  accountId: z.string().min(1),
  name: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** IANA time zone: days are account-local. */
  timezone: z.string().min(1),
});
export type SimAccountConfig = z.infer<typeof SimAccountConfig>;

export const SimAdSetConfig = z.object({
  platform: Platform,
  accountId: z.string().min(1),
  adsetId: z.string().min(1),
  name: z.string(),
  campaignId: z.string().min(1),
  campaignName: z.string().default(''),
  status: AdSet.shape.status.default('ACTIVE'),
  /** Daily budget in effect from the start (micros); for a CBO ad set, the share its campaign gives it. */
  dailyBudgetMicros: z.number().int().nonnegative().safe(),
  budgetLevel: BudgetLevel.default('adset'),
  curve: HillCurve,
  /** Mean revenue per conversion (micros); each order is log-normal around it. */
  averageOrderValueMicros: z.number().int().positive().safe(),
  /** Log-normal sigma of one order's value. */
  orderValueSigma: z.number().nonnegative().default(0.4),
  /** Cost per thousand impressions (micros). */
  cpmMicros: z.number().int().positive().safe(),
  /** Clicks per impression. */
  ctr: z.number().gt(0).lt(1),
  /** Multipliers of expected conversions, Monday first. */
  dayOfWeek: z.array(z.number().nonnegative()).length(7).default([1, 1, 1, 1, 1, 1, 1]),
  /** Negative-binomial size r of daily conversions: variance = mean + mean²/r. */
  dispersion: z.number().positive().default(30),
  /** Standard deviation of the daily spend as a fraction of the budget (spend never exceeds 1.25× budget). */
  spendNoise: z.number().nonnegative().default(0.04),
});
export type SimAdSetConfig = z.infer<typeof SimAdSetConfig>;
export type SimAdSetInput = z.input<typeof SimAdSetConfig>;

/** The quantity of an ad set's day that a market effect multiplies. */
export const EffectTarget = z.enum([
  /** Delivered spend; may push a day past the platform's 1.25× pacing cap (overspend) or to 0 (collapse). */
  'spend',
  /** Cost per 1,000 impressions: the same spend buys fewer (factor > 1) or more impressions. */
  'cpm',
  /** Clicks per impression (creative fatigue). Conversions follow spend, not clicks, so they are unchanged. */
  'ctr',
  /** Expected conversions at a given spend (landing page, offer, stock): moves CPA and ROAS. */
  'conversionRate',
  /** Value of each order: moves ROAS, not CPA. */
  'orderValue',
  /** Share of true conversions (and their revenue) the platform records: 0 is a broken pixel. */
  'tracking',
]);
export type EffectTarget = z.infer<typeof EffectTarget>;

/**
 * How a multiplier evolves from the effect's first day (t = 0):
 * step: `factor` throughout; decay: floor + (1 − floor)·0.5^(t/halfLifeDays), 1 on the first day;
 * ramp: linear from 1 to `to` over `days` days, then `to`; weekly: `factors` by weekday, Monday first.
 */
export const EffectShape = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('step'), factor: z.number().nonnegative() }),
  z.object({ kind: z.literal('decay'), floor: z.number().nonnegative(), halfLifeDays: z.number().positive() }),
  z.object({ kind: z.literal('ramp'), to: z.number().nonnegative(), days: z.number().int().positive() }),
  z.object({ kind: z.literal('weekly'), factors: z.array(z.number().nonnegative()).length(7) }),
]);
export type EffectShape = z.infer<typeof EffectShape>;

/**
 * A time-varying multiplier on one quantity of one ad set, from `from` through `until` (inclusive, open-ended
 * without it). Effects on the same target multiply. Faults (overspend, CPA/ROAS steps, CTR decay) and
 * scenarios (creative fatigue, weekly seasonality, a collapse) are all effects.
 *
 * @example
 *   // creative fatigue: CTR halves every 10 days from 1 November, towards 40% of its level
 *   { adsetId: '23850000000002', target: 'ctr', from: '2026-11-01', shape: { kind: 'decay', floor: 0.4, halfLifeDays: 10 } }
 */
export const MarketEffect = z.object({
  adsetId: z.string().min(1),
  target: EffectTarget,
  from: localDate,
  until: localDate.optional(),
  shape: EffectShape,
});
export type MarketEffect = z.infer<typeof MarketEffect>;
export type MarketEffectInput = z.input<typeof MarketEffect>;

/**
 * Opt-in learning phase (off unless configured, so markets without it draw exactly as before): a budget edit
 * larger than `significantEditPct` of the budget it replaces (or any restart from 0) puts the ad set back into
 * learning for `days` days from the day the edit applies, during which its expected conversions are
 * multiplied by `conversionRateFactor`, and the platform reports the ad set as learning.
 */
export const LearningPhaseConfig = z.object({
  significantEditPct: z.number().nonnegative().default(20),
  conversionRateFactor: z.number().nonnegative().default(0.8),
  days: z.number().int().positive().default(7),
});
export type LearningPhaseConfig = z.infer<typeof LearningPhaseConfig>;

export const MarketConfig = z.object({
  seed: z.number().int(),
  /** First account-local date with delivery; by default 90 days before the clock's date at construction. */
  startDate: localDate.optional(),
  accounts: z.array(SimAccountConfig).min(1),
  adsets: z.array(SimAdSetConfig),
  /** Effects in place from the start (more can be added with `MarketSimulator.addEffect`). */
  effects: z.array(MarketEffect).default([]),
  /** Large budget edits restart learning and depress conversions for a while (see `LearningPhaseConfig`). */
  learningPhase: LearningPhaseConfig.optional(),
});
export type MarketConfig = z.infer<typeof MarketConfig>;
export type MarketConfigInput = z.input<typeof MarketConfig>;
