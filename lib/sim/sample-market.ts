/**
 * The demo's sample client "Acme Outdoor": one Meta account in EUR on Paris time with six ad sets
 * whose true curves differ clearly in efficiency and saturation. Budgets sum to 1,500.00 EUR a day.
 * The same client can also run on the other platforms (`SAMPLE_ACCOUNTS`), each with a few ad sets of its own.
 *
 * At today's budgets (before weekday effects), average ROAS / marginal ROAS are roughly:
 * Retargeting 7d 5.7 / 1.7 (great on average, saturated); VIP 3.7 / 3.0 and Lookalike 1% 3.5 / 2.0
 * (room to grow); Catalog DPA 2.7 / 2.2; Prospecting – Broad 2.5 / 1.7; Video Views → Shop 1.1 / 0.9
 * (a money pit). An optimizer should move money from Video and Prospecting toward VIP, Lookalike and
 * DPA, and not pour more into Retargeting because its average looks good.
 */
import type { Platform } from '../model/ads.ts';
import type { MarketConfigInput, SimAccountConfig, SimAdSetInput } from './market-config.ts';

export const SAMPLE_ACCOUNT_ID = 'act_1000000001';

/** The hostile ad set name: HTML, quotes, an ampersand, an emoji and a script tag, all of which must stay text. */
export const HOSTILE_ADSET_NAME = '<b>VIP</b> "Winter" & co 🚀 <script>alert(1)</script>';

const EUR = 1_000_000;

/** Ids of sample Meta ad sets the demo names (its A/B test's arms). */
export const SAMPLE_ADSET_IDS = { broad: '23850000000001', video: '23850000000004' } as const;

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
    adsetId: SAMPLE_ADSET_IDS.broad,
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
    adsetId: SAMPLE_ADSET_IDS.video,
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

/** The sample client's account on each platform. Ids are shaped like each platform's own. */
export const SAMPLE_ACCOUNTS: { readonly [P in Platform]: SimAccountConfig & { readonly platform: P } } = {
  meta: { platform: 'meta', accountId: SAMPLE_ACCOUNT_ID, name: 'Acme Outdoor', currency: 'EUR', timezone: 'Europe/Paris' },
  'google-ads': { platform: 'google-ads', accountId: '4455667788', name: 'Acme Outdoor Search', currency: 'EUR', timezone: 'Europe/Paris' },
  tiktok: { platform: 'tiktok', accountId: '7100000000000000042', name: 'Acme Outdoor TikTok', currency: 'EUR', timezone: 'Europe/London' },
  linkedin: { platform: 'linkedin', accountId: '508800042', name: 'Acme Outdoor B2B', currency: 'EUR', timezone: 'UTC' },
  'x-ads': { platform: 'x-ads', accountId: '18ce54acme', name: 'Acme Outdoor on X', currency: 'EUR', timezone: 'Europe/Paris' },
  pinterest: { platform: 'pinterest', accountId: '549755800042', name: 'Acme Outdoor Pins', currency: 'EUR', timezone: 'UTC' },
};

type OtherPlatform = Exclude<Platform, 'meta'>;

/** A few ad sets per other platform: search converts well but saturates, video-led platforms are broader and cheaper. */
const OTHER_ADSETS: { readonly [P in OtherPlatform]: readonly Omit<SimAdSetInput, 'platform' | 'accountId' | 'status'>[] } = {
  'google-ads': [
    // Google Ads budgets live on campaigns: the campaign is the ad set.
    {
      adsetId: '21000000001',
      campaignId: '21000000001',
      name: 'Search – Brand',
      campaignName: 'Search – Brand',
      budgetLevel: 'campaign',
      dailyBudgetMicros: 150 * EUR,
      curve: { beta: 14, alpha: 1.2, kappa: 90 },
      averageOrderValueMicros: 85 * EUR,
      cpmMicros: 40 * EUR,
      ctr: 0.08,
      dispersion: 40,
    },
    {
      adsetId: '21000000002',
      campaignId: '21000000002',
      name: 'Search – Generic Tents',
      campaignName: 'Search – Generic Tents',
      budgetLevel: 'campaign',
      dailyBudgetMicros: 350 * EUR,
      curve: { beta: 30, alpha: 1.1, kappa: 700 },
      averageOrderValueMicros: 120 * EUR,
      cpmMicros: 30 * EUR,
      ctr: 0.05,
      dispersion: 25,
    },
  ],
  tiktok: [
    {
      adsetId: '1810000000000001',
      campaignId: '1710000000000001',
      name: 'Spark Ads – Trail Running',
      campaignName: 'TikTok Always-on',
      dailyBudgetMicros: 250 * EUR,
      curve: { beta: 22, alpha: 1, kappa: 700 },
      averageOrderValueMicros: 55 * EUR,
      cpmMicros: 5 * EUR,
      ctr: 0.009,
      dispersion: 15,
    },
    {
      adsetId: '1810000000000002',
      campaignId: '1710000000000001',
      name: 'UGC – Camping Hacks 🏕️',
      campaignName: 'TikTok Always-on',
      dailyBudgetMicros: 150 * EUR,
      curve: { beta: 14, alpha: 1.2, kappa: 260 },
      averageOrderValueMicros: 65 * EUR,
      cpmMicros: 6 * EUR,
      ctr: 0.011,
      dispersion: 20,
    },
  ],
  linkedin: [
    {
      adsetId: '610000001',
      campaignId: '620000001',
      name: 'Corporate Gifting – HR Managers',
      campaignName: 'B2B Gifting',
      dailyBudgetMicros: 200 * EUR,
      curve: { beta: 6, alpha: 1.1, kappa: 400 },
      averageOrderValueMicros: 400 * EUR,
      cpmMicros: 35 * EUR,
      ctr: 0.006,
      dispersion: 10,
    },
  ],
  'x-ads': [
    {
      adsetId: '8v7jacme1',
      campaignId: 'hwtqacme1',
      name: 'Promoted – Winter Sale',
      campaignName: 'Winter Sale',
      dailyBudgetMicros: 120 * EUR,
      curve: { beta: 7, alpha: 1, kappa: 350 },
      averageOrderValueMicros: 70 * EUR,
      cpmMicros: 6 * EUR,
      ctr: 0.007,
      dispersion: 12,
    },
  ],
  pinterest: [
    {
      adsetId: '2680000000001',
      campaignId: '6260000000001',
      name: 'Shopping – Camp Kitchen',
      campaignName: 'Pinterest Shopping',
      dailyBudgetMicros: 180 * EUR,
      curve: { beta: 15, alpha: 1.1, kappa: 420 },
      averageOrderValueMicros: 75 * EUR,
      cpmMicros: 7 * EUR,
      ctr: 0.01,
      dispersion: 20,
    },
  ],
};

/**
 * Config of the sample market for a seed (the clock is added by `sampleMarket`): the Meta account, plus the
 * sample account of each other platform asked for. Each ad set draws its own random stream, so adding
 * platforms leaves the Meta ad sets' days unchanged.
 */
export function sampleMarketConfig(seed: number, platforms: readonly Platform[] = ['meta']): MarketConfigInput {
  const others = platforms.filter((p): p is OtherPlatform => p !== 'meta');
  return {
    seed,
    accounts: [SAMPLE_ACCOUNTS.meta, ...others.map((p) => SAMPLE_ACCOUNTS[p])],
    adsets: [
      ...SAMPLE_ADSETS.map((adset) => ({ ...adset })),
      ...others.flatMap((p) =>
        OTHER_ADSETS[p].map((adset) => ({ ...adset, platform: p, accountId: SAMPLE_ACCOUNTS[p].accountId, status: 'ACTIVE' as const })),
      ),
    ],
  };
}
