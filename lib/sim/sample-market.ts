/**
 * The demo's sample client "Acme Outdoor": one Meta account in EUR on Paris time with six ad sets
 * whose true curves differ clearly in efficiency and saturation. Budgets sum to 1,500.00 EUR a day.
 *
 * At today's budgets (before weekday effects), average ROAS / marginal ROAS are roughly:
 * Retargeting 7d 5.7 / 1.7 (great on average, saturated); VIP 3.7 / 3.0 and Lookalike 1% 3.5 / 2.0
 * (room to grow); Catalog DPA 2.7 / 2.2; Prospecting – Broad 2.5 / 1.7; Video Views → Shop 1.1 / 0.9
 * (a money pit). An optimizer should move money from Video and Prospecting toward VIP, Lookalike and
 * DPA, and not pour more into Retargeting because its average looks good.
 */
import type { MarketConfigInput, SimAdSetInput } from './market-config.ts';

export const SAMPLE_ACCOUNT_ID = 'act_1000000001';

/** The hostile ad set name: HTML, quotes, an ampersand, an emoji and a script tag, all of which must stay text. */
export const HOSTILE_ADSET_NAME = '<b>VIP</b> "Winter" & co 🚀 <script>alert(1)</script>';

const EUR = 1_000_000;

const base = { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, status: 'ACTIVE', budgetLevel: 'adset' } as const;
const prospecting = { campaignId: '23850000000101', campaignName: 'Prospecting' } as const;
const retargeting = { campaignId: '23850000000102', campaignName: 'Retargeting' } as const;
const vip = { campaignId: '23850000000103', campaignName: 'VIP – Winter Sale' } as const;

/** Weekend shoppers convert more; weekday-heavy sets the other way round (Monday first). */
const WEEKEND_PEAK = [0.95, 0.95, 0.97, 1.0, 1.05, 1.1, 0.98];
const WEEKDAY_PEAK = [1.06, 1.05, 1.03, 1.0, 0.97, 0.92, 0.97];

const SAMPLE_ADSETS: readonly SimAdSetInput[] = [
  {
    ...base,
    ...prospecting,
    adsetId: '23850000000001',
    name: 'Prospecting – Broad',
    dailyBudgetMicros: 400 * EUR,
    curve: { beta: 40.6, alpha: 1, kappa: 900 },
    averageOrderValueMicros: 80 * EUR,
    cpmMicros: 7_500_000,
    ctr: 0.011,
    dayOfWeek: WEEKEND_PEAK,
    dispersion: 25,
  },
  {
    ...base,
    ...prospecting,
    adsetId: '23850000000002',
    name: 'Lookalike 1%',
    dailyBudgetMicros: 300 * EUR,
    curve: { beta: 25, alpha: 1.3, kappa: 250 },
    averageOrderValueMicros: 75 * EUR,
    cpmMicros: 9 * EUR,
    ctr: 0.014,
    dayOfWeek: WEEKEND_PEAK,
    dispersion: 30,
  },
  {
    ...base,
    ...retargeting,
    adsetId: '23850000000003',
    name: 'Retargeting 7d',
    dailyBudgetMicros: 150 * EUR,
    curve: { beta: 12, alpha: 1.5, kappa: 60 },
    averageOrderValueMicros: 90 * EUR,
    cpmMicros: 14 * EUR,
    ctr: 0.022,
    dayOfWeek: WEEKDAY_PEAK,
    dispersion: 40,
  },
  {
    ...base,
    ...prospecting,
    adsetId: '23850000000004',
    name: 'Video Views → Shop',
    dailyBudgetMicros: 200 * EUR,
    curve: { beta: 30, alpha: 1, kappa: 1500 },
    averageOrderValueMicros: 60 * EUR,
    cpmMicros: 4_500_000,
    ctr: 0.006,
    dispersion: 15,
  },
  {
    ...base,
    ...retargeting,
    adsetId: '23850000000005',
    name: 'Catalog DPA',
    dailyBudgetMicros: 250 * EUR,
    curve: { beta: 35, alpha: 1.1, kappa: 600 },
    averageOrderValueMicros: 70 * EUR,
    cpmMicros: 11 * EUR,
    ctr: 0.018,
    dayOfWeek: WEEKDAY_PEAK,
    dispersion: 30,
  },
  {
    ...base,
    ...vip,
    adsetId: '23850000000006',
    name: HOSTILE_ADSET_NAME,
    dailyBudgetMicros: 200 * EUR,
    curve: { beta: 20, alpha: 1.2, kappa: 350 },
    averageOrderValueMicros: 110 * EUR,
    orderValueSigma: 0.6,
    cpmMicros: 10 * EUR,
    ctr: 0.015,
    dispersion: 20,
  },
];

/** Config of the sample market for a seed (the clock is added by `sampleMarket`). */
export function sampleMarketConfig(seed: number): MarketConfigInput {
  return {
    seed,
    accounts: [{ platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, name: 'Acme Outdoor', currency: 'EUR', timezone: 'Europe/Paris' }],
    adsets: SAMPLE_ADSETS.map((adset) => ({ ...adset })),
  };
}
