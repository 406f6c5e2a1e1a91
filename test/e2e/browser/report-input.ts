/**
 * A realistic, deterministic weekly-report input of any size: three platforms in three
 * currencies, campaigns, ad sets with five weeks of daily rows, budget moves of every outcome,
 * anomalies, A/B tests and next week's plan, optionally with hostile platform names. Used by
 * the browser test (a few dozen ad sets) and bench/report.bench.ts (500 ad sets).
 */
import type { AdAccount, AdSet, Platform, StoredDailyMetric } from '../../../lib/model/ads.ts';
import { addDays, dateRange } from '../../../lib/model/dates.ts';
import type { WeeklyReportInput } from '../../../lib/report/model.ts';
import type { AnomalyRecord, BudgetChangeRecord, PlannedChange } from '../../../lib/store/records.ts';

/** What a platform may send as a name: markup, quotes, RTL scripts, emoji, controls, 300 characters. */
export const HOSTILE_NAMES = [
  '<script>alert("pwned")</script>',
  '"><img src=x onerror=alert("pwned")>',
  "' onmouseover='alert(1)' x='",
  '</td></tr></table><script>document.title="pwned"</script>',
  'حملة الربيع 2026 — متجر القاهرة',
  'מבצע חורף – ירושלים',
  '🚀🔥 Black Friday 👨‍👩‍👧‍👦 ünïcödé 🇫🇷',
  'x'.repeat(300),
  `${'Very long campaign name with many words '.repeat(8)}`.slice(0, 300),
  '<style>body{display:none}</style><a href="javascript:alert(1)">click</a>',
  '\u202eevil override\u202c & <b>bold</b>',
] as const;

export interface SyntheticReportOptions {
  readonly adsets: number;
  /** Every third platform-provided name is taken from HOSTILE_NAMES. @default false */
  readonly hostile?: boolean;
  /** @default 7 */
  readonly seed?: number;
}

const MICROS = 1_000_000;
/** The week crossing the end of daylight saving time in Europe (Sunday 25 Oct 2026). */
const WEEK = { label: '2026-W43', from: '2026-10-19', to: '2026-10-25' } as const;
const TREND_START = addDays(WEEK.from, -28);

const ACCOUNTS: readonly AdAccount[] = [
  { platform: 'meta', accountId: 'act_1000000001', name: 'Acme Outdoor EU', currency: 'EUR', timezone: 'Europe/Paris' },
  { platform: 'google-ads', accountId: '1234567890', name: 'Acme Outdoor US', currency: 'USD', timezone: 'America/New_York' },
  { platform: 'tiktok', accountId: '7012345678901234567', name: 'Acme Outdoor UK', currency: 'GBP', timezone: 'Europe/London' },
];

const AUDIENCES = ['Prospecting – Broad', 'Lookalike 1%', 'Retargeting 7d', 'Catalog DPA', 'Video Views → Shop', 'VIP Winter Sale'];
const MARKETS = ['FR', 'DE', 'UK', 'US', 'ES', 'IT', 'NL', 'BE'];

/** Small deterministic PRNG (mulberry32): the same seed gives the same report everywhere. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Amounts as platforms report them: whole cents. */
const cents = (major: number) => Math.max(0, Math.round(major * 100)) * 10_000;

/** The input of the report of 2026-W43 for a client with `adsets` ad sets. */
export function syntheticReportInput(options: SyntheticReportOptions): WeeklyReportInput {
  const rand = random(options.seed ?? 7);
  let names = 0;
  const name = (benign: string) => {
    names += 1;
    return options.hostile && names % 3 === 0 ? (HOSTILE_NAMES[(names / 3) % HOSTILE_NAMES.length] as string) : benign;
  };
  const adsets: AdSet[] = Array.from({ length: options.adsets }, (_, i) => {
    // Half on Meta, three tenths on Google Ads, the rest on TikTok.
    const account = ACCOUNTS[i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2] as AdAccount;
    const campaign = i % 12;
    return {
      platform: account.platform,
      accountId: account.accountId,
      adsetId: `${account.platform === 'meta' ? '2385' : account.platform === 'tiktok' ? '17' : '9'}${String(100000 + i)}`,
      campaignId: `${account.accountId}-c${campaign}`,
      name: name(`${AUDIENCES[i % AUDIENCES.length]} ${MARKETS[i % MARKETS.length]} #${i + 1}`),
      campaignName: name(`${['Prospecting', 'Retargeting', 'Winter Sale', 'Brand'][campaign % 4]} ${2026} · ${campaign + 1}`),
      status: i % 17 === 16 ? 'PAUSED' : 'ACTIVE',
      currency: account.currency,
      dailyBudgetMicros: cents(20 + rand() * 380),
      budgetLevel: 'adset',
      learning: i % 11 === 3,
    };
  });

  const metrics: StoredDailyMetric[] = [];
  for (const adset of adsets) {
    const efficiency = 0.6 + rand() * 4.4;
    const orderValue = 40 + rand() * 120;
    for (const date of dateRange(TREND_START, WEEK.to)) {
      const spend = ((adset.dailyBudgetMicros ?? 0) / MICROS) * (0.7 + rand() * 0.35);
      const revenue = spend * efficiency * (0.6 + rand() * 0.8);
      metrics.push({
        platform: adset.platform,
        accountId: adset.accountId,
        adsetId: adset.adsetId,
        campaignId: adset.campaignId,
        date,
        currency: adset.currency,
        spendMicros: cents(spend),
        revenueMicros: cents(revenue),
        impressions: Math.round(spend * 120),
        clicks: Math.round(spend * 1.4),
        conversions: Math.round(revenue / orderValue),
        fetchedAt: '2026-10-26T05:00:00.000Z',
        firstFetchedAt: `${addDays(date, 1)}T05:00:00.000Z`,
        revision: 0,
      });
    }
  }

  const moved = adsets.slice(0, Math.min(adsets.length, 40));
  const outcomes = ['applied', 'applied', 'applied', 'applied', 'failed', 'applied', 'reverted', 'skipped'] as const;
  const changes: BudgetChangeRecord[] = moved.map((a, i) => {
    const before = a.dailyBudgetMicros ?? 0;
    const after = cents((before / MICROS) * (i % 3 === 0 ? 0.8 : 1.2));
    const outcome = outcomes[i % outcomes.length] as BudgetChangeRecord['outcome'];
    return {
      ...plannedChange(
        a,
        `chg-${i}`,
        before,
        after,
        name(i % 3 === 0 ? 'Marginal ROAS 0.9 below target 2.0' : 'Marginal ROAS 3.1 above target 2.0'),
      ),
      planId: `plan-2026-10-${19 + (i % 7)}`,
      appliedAt: `2026-10-${19 + (i % 7)}T05:00:0${i % 10}.000Z`,
      outcome,
      readBackMicros: outcome === 'applied' ? after : null,
      error: outcome === 'failed' ? name('Meta error 100: (#100) Invalid parameter daily_budget') : null,
      revertsChangeId: outcome === 'reverted' ? `chg-${i - 1}` : null,
    };
  });

  const anomalyMetrics = [
    ['delivery-stop', 'spendMicros', 0, 180 * MICROS, 260 * MICROS],
    ['cpa-jump', 'cpaMicros', 64 * MICROS, 18 * MICROS, 31 * MICROS],
    ['ctr-drop', 'ctr', 0.002, 0.009, 0.016],
    ['tracking-break', 'conversions', 0, 11, 24],
  ] as const;
  const anomalies: AnomalyRecord[] = adsets.slice(0, Math.min(adsets.length, 6)).map((a, i) => {
    const [faultType, metric, observed, expectedLow, expectedHigh] = anomalyMetrics[
      i % anomalyMetrics.length
    ] as (typeof anomalyMetrics)[number];
    return {
      anomalyId: `anomaly-${i}`,
      platform: a.platform,
      accountId: a.accountId,
      adsetId: a.adsetId,
      adsetName: a.name,
      date: addDays(WEEK.from, i),
      faultType,
      metric,
      observed,
      expectedLow,
      expectedHigh,
      severity: (['high', 'medium', 'low'] as const)[i % 3] as AnomalyRecord['severity'],
      hint: name(`"${a.name.slice(0, 40)}" moved outside its usual range. Check delivery, the pixel and the payment method.`),
      detectedAt: `${addDays(WEEK.from, i + 1)}T05:00:00.000Z`,
    };
  });

  const planned = adsets.slice(0, Math.min(adsets.length, 8));
  return {
    client: 'acme-outdoor',
    timezone: 'Europe/Paris',
    reportingCurrency: 'EUR',
    exchangeRates: { USD: 0.8621, GBP: 1.1706 },
    week: { ...WEEK },
    today: '2026-10-26',
    objective: 'revenue',
    accounts: ACCOUNTS,
    adsets,
    metrics,
    restatementDays: { meta: 28, 'google-ads': 30, tiktok: 7 },
    changes,
    anomalies,
    tests: [
      { testId: name('q4-creatives'), decision: 'winner', summary: name('Arm B beats arm A on ROAS: +18% (95% interval +6% to +31%).') },
      { testId: 'lookalike-vs-broad', decision: 'continue', summary: 'Not enough conversions yet: 212 of about 600 needed.' },
    ],
    nextPlan: {
      planId: 'plan-2026-10-26',
      changes: planned.map((a, i) =>
        plannedChange(
          a,
          `next-${i}`,
          a.dailyBudgetMicros ?? 0,
          cents(((a.dailyBudgetMicros ?? 0) / MICROS) * (i % 2 ? 0.85 : 1.15)),
          'Rebalance toward marginal ROAS',
        ),
      ),
    },
  };
}

function plannedChange(a: AdSet, changeId: string, beforeMicros: number, afterMicros: number, reason: string): PlannedChange {
  return {
    changeId,
    platform: a.platform as Platform,
    accountId: a.accountId,
    adsetId: a.adsetId,
    adsetName: a.name,
    campaignId: a.campaignId,
    budgetLevel: a.budgetLevel,
    currency: a.currency,
    beforeMicros,
    afterMicros,
    reason,
  };
}
