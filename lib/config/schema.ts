/**
 * The client config: one YAML or JSON file per client, read by both the CDK app and the CLI.
 */
import { z } from 'zod';
import { DEFAULT_STALE_AFTER_HOURS } from '../anomaly/stale.ts';
import { isLocalDate } from '../model/dates.ts';
import { decimalToMicros } from '../model/money.ts';

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Paris' },
);

/** A money amount in major units, written as a number or a decimal string; becomes integer micros. */
const amount = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    const text = typeof value === 'number' ? value.toFixed(6) : value;
    const micros = decimalToMicros(text);
    if (micros < 0) throw new Error('negative');
    return micros;
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be a non-negative amount in major units, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
});

const baseUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional();

/** Ingest runs of the platform allowed at once across the client's accounts (default: lib/usecases/ingest-lease.ts). */
const maxConcurrentRuns = z.number().int().min(1).max(10).optional();

const idList = (what: string) => z.array(z.string().regex(/^[A-Za-z0-9_-]+$/, `${what} must be plain ids`)).min(1);

export const MetaConfig = z.strictObject({
  accounts: idList('accounts').refine((ids) => ids.every((id) => id.startsWith('act_')), {
    message: 'Meta ad account ids start with act_',
  }),
  apiVersion: z
    .string()
    .regex(/^v\d+\.0$/, 'like v25.0')
    .default('v25.0'),
  baseUrl,
  purchaseActionType: z.string().min(1).default('omni_purchase'),
  restatementDays: z.number().int().min(1).max(90).default(28),

  maxConcurrentRuns,
});

const googleCustomerId = z.string().regex(/^\d{10}$/, 'a Google Ads customer id: 10 digits, no dashes');

export const GoogleAdsConfig = z.strictObject({
  customerIds: z.array(googleCustomerId).min(1),
  loginCustomerId: googleCustomerId.optional(),
  apiVersion: z.string().default('v26'),
  baseUrl,
  conversionWindowDays: z.number().int().min(1).max(90).default(30),

  maxConcurrentRuns,
});
export const TikTokConfig = z.strictObject({
  advertiserIds: idList('advertiserIds'),
  baseUrl,
  attributionWindowDays: z.number().int().min(1).max(28).default(7),

  maxConcurrentRuns,
});
export const LinkedInConfig = z.strictObject({
  accountIds: idList('accountIds'),
  version: z
    .string()
    .regex(/^\d{6}$/)
    .default('202601'),
  baseUrl,
  restatementDays: z.number().int().min(1).max(90).default(14),

  maxConcurrentRuns,
});
export const XAdsConfig = z.strictObject({
  accountIds: idList('accountIds'),
  apiVersion: z.string().default('12'),
  baseUrl,

  maxConcurrentRuns,
});
export const PinterestConfig = z.strictObject({
  adAccountIds: idList('adAccountIds'),
  baseUrl,

  maxConcurrentRuns,
});

const armPlatform = z.enum(['meta', 'google-ads', 'tiktok', 'linkedin', 'x-ads', 'pinterest']);
/** An arm that is an ad set (ad group, line item, or the campaign on platforms that budget there). */
export const AdSetArm = z.strictObject({ platform: armPlatform, adsetId: z.string().min(1) });
/** An arm that is one ad (creative). */
export const AdArm = z.strictObject({ platform: armPlatform, adId: z.string().min(1) });
export const TestArm = z.union([AdSetArm, AdArm], { error: 'an arm names its platform and either an adsetId or an adId' });
export type TestArm = z.infer<typeof TestArm>;
export type AdArm = z.infer<typeof AdArm>;

/** Whether an arm is an ad rather than an ad set. */
export function isAdArm(arm: TestArm): arm is AdArm {
  return 'adId' in arm;
}

/** The id an arm is known by: its ad's or its ad set's. */
export function armId(arm: TestArm): string {
  return isAdArm(arm) ? arm.adId : arm.adsetId;
}

export const TestConfig = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
    arms: z.array(TestArm).min(2),
    metric: z.enum(['roas', 'cpa', 'ctr', 'cvr']).default('roas'),
    method: z.enum(['sequential', 'bayesian', 'fixed']).default('sequential'),
    minDays: z.number().int().min(7).default(7),
    randomized: z.boolean().default(false),
    onConclusion: z.enum(['none', 'pause-loser', 'shift-budget']).default('none'),
    /**
     * While the test runs, its arms' budgets stay as they are (edits restart learning and tilt the comparison).
     * false leaves them to the optimizer like any ad set.
     */
    holdBudgets: z.boolean().default(true),
    /** First day of the test (client-local): earlier days of the arms are not part of it. Default: the first day every arm has data. */
    startDate: z.string().refine(isLocalDate, 'a calendar date YYYY-MM-DD').optional(),
  })
  .superRefine((test, ctx) => {
    const ads = test.arms.filter(isAdArm);
    if (ads.length === 0) return;
    if (ads.length !== test.arms.length)
      ctx.addIssue({ code: 'custom', path: ['arms'], message: 'the arms of a test are all ad sets or all ads, not a mix' });
    else if (new Set(ads.map((a) => a.platform)).size > 1)
      ctx.addIssue({ code: 'custom', path: ['arms'], message: 'ad arms must all be on one platform' });
    if (test.onConclusion === 'shift-budget')
      ctx.addIssue({
        code: 'custom',
        path: ['onConclusion'],
        message: 'ads have no budget of their own: use pause-loser (or none) for a test of ads',
      });
  });

export const ClientConfig = z
  .strictObject({
    client: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'lowercase letters, digits and dashes (it names the stack)'),
    timezone: timeZone,
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
    objective: z.enum(['revenue', 'conversions']).default('revenue'),
    budget: z.strictObject({
      dailyTotal: amount,
      mode: z.enum(['auto', 'approve', 'dry-run']).default('dry-run'),
      maxChangePct: z.number().gt(0).max(100).default(20),
      cooldownHours: z.number().int().min(0).default(72),
      minDaily: amount.default(1_000_000),
      frozen: z.array(z.string()).default([]),
    }),
    platforms: z
      .strictObject({
        meta: MetaConfig.optional(),
        'google-ads': GoogleAdsConfig.optional(),
        tiktok: TikTokConfig.optional(),
        linkedin: LinkedInConfig.optional(),
        'x-ads': XAdsConfig.optional(),
        pinterest: PinterestConfig.optional(),
      })
      .refine((p) => Object.values(p).some(Boolean), { message: 'configure at least one platform' }),
    adsets: z.strictObject({ include: z.array(z.string()).optional(), exclude: z.array(z.string()).default([]) }).default({ exclude: [] }),
    tests: z.array(TestConfig).default([]),
    report: z.strictObject({
      recipients: z.array(z.email()).min(1),
      sender: z.email().optional(),
      weekday: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']).default('monday'),
      hour: z.number().int().min(0).max(23).default(8),
      exchangeRates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()).default({}),
    }),
    /** Local only: run against the bundled market simulator and fake platforms, persisted in the data dir. */
    simulation: z.strictObject({ seed: z.number().int().nonnegative(), market: z.enum(['sample']).default('sample') }).optional(),
    alerts: z
      .strictObject({
        emails: z.array(z.email()).default([]),
        webhookUrl: z.url().optional(),
        minSeverity: z.enum(['low', 'medium', 'high']).default('high'),
        /** Hours without a successful fetch after which an account's data is announced as stale. */
        staleAfterHours: z.number().min(2).max(72).default(DEFAULT_STALE_AFTER_HOURS),
      })
      .default({ emails: [], minSeverity: 'high', staleAfterHours: DEFAULT_STALE_AFTER_HOURS }),
  })
  .superRefine((config, ctx) => {
    if (config.budget.minDaily > config.budget.dailyTotal) {
      ctx.addIssue({ code: 'custom', path: ['budget', 'minDaily'], message: 'must not exceed budget.dailyTotal' });
    }
    const ids = new Set<string>();
    config.tests.forEach((test, i) => {
      if (ids.has(test.id)) ctx.addIssue({ code: 'custom', path: ['tests', i, 'id'], message: `duplicate test id ${test.id}` });
      ids.add(test.id);
    });
  });

export type ClientConfig = z.infer<typeof ClientConfig>;
export type ClientConfigInput = z.input<typeof ClientConfig>;
export type MetaConfig = z.infer<typeof MetaConfig>;
export type TestConfig = z.infer<typeof TestConfig>;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
