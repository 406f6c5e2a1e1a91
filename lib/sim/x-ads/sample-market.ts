/**
 * A small X Ads market for tests and the demo: a USD account on Los Angeles time (DST), whose campaigns budget
 * their line items, one campaign holding the budget itself, a paused line item, and a JPY account
 * on Tokyo time; ids are X-style base-36 strings, and one name is hostile.
 */
import type { Clock } from '../../runtime/clock.ts';
import { MarketSimulator, type Maturity } from '../market.ts';
import type { MarketConfigInput, SimAdSetInput } from '../market-config.ts';
import { HOSTILE_ADSET_NAME } from '../sample-market.ts';

export const X_US_ACCOUNT = '18ce54d4x5t';
export const X_JP_ACCOUNT = '5nj9k2q1abc';
/** A line item whose campaign holds the daily budget (budgetLevel 'campaign'). */
export const X_CAMPAIGN_BUDGET_LINE_ITEM = '8u94t';

const USD = 1_000_000;
const curve = { beta: 30, alpha: 1, kappa: 400 };
const us = { platform: 'x-ads', accountId: X_US_ACCOUNT, status: 'ACTIVE', budgetLevel: 'adset', cpmMicros: 6 * USD, ctr: 0.012 } as const;

const ADSETS: readonly SimAdSetInput[] = [
  {
    ...us,
    adsetId: '9cqi0',
    campaignId: '8wku2',
    campaignName: 'Prospecting',
    name: 'Lookalikes US',
    dailyBudgetMicros: 120 * USD,
    curve,
    averageOrderValueMicros: 70 * USD,
  },
  {
    ...us,
    adsetId: '9cqi1',
    campaignId: '8wku2',
    campaignName: 'Prospecting',
    name: HOSTILE_ADSET_NAME,
    dailyBudgetMicros: 80 * USD,
    curve: { beta: 20, alpha: 1.2, kappa: 150 },
    averageOrderValueMicros: 65 * USD,
  },
  {
    ...us,
    adsetId: '9cqi2',
    campaignId: '8wku2',
    campaignName: 'Prospecting',
    name: 'Interests & keywords',
    status: 'PAUSED',
    dailyBudgetMicros: 50 * USD,
    curve,
    averageOrderValueMicros: 60 * USD,
  },
  {
    ...us,
    adsetId: '9cqi3',
    campaignId: '8wku3',
    campaignName: 'Old tests',
    name: 'Short test',
    dailyBudgetMicros: 40 * USD,
    curve,
    averageOrderValueMicros: 60 * USD,
  },
  {
    ...us,
    adsetId: X_CAMPAIGN_BUDGET_LINE_ITEM,
    campaignId: '8wku4',
    campaignName: 'Retargeting – "site visitors"',
    name: 'Site visitors 30d',
    budgetLevel: 'campaign',
    dailyBudgetMicros: 90 * USD,
    curve: { beta: 14, alpha: 1.4, kappa: 70 },
    averageOrderValueMicros: 85 * USD,
    ctr: 0.02,
  },
  {
    platform: 'x-ads',
    accountId: X_JP_ACCOUNT,
    status: 'ACTIVE',
    budgetLevel: 'adset',
    adsetId: 'j1a2b',
    campaignId: 'jc001',
    campaignName: '日本 キャンペーン',
    name: '東京 リターゲティング',
    dailyBudgetMicros: 15_000 * USD,
    curve: { beta: 25, alpha: 1, kappa: 12_000 },
    averageOrderValueMicros: 6_000 * USD,
    cpmMicros: 700 * USD,
    ctr: 0.01,
  },
];

/** The configuration of the sample X market (seeded). */
export function xAdsMarketConfig(seed: number): MarketConfigInput {
  return {
    seed,
    accounts: [
      { platform: 'x-ads', accountId: X_US_ACCOUNT, name: 'Acme on X', currency: 'USD', timezone: 'America/Los_Angeles' },
      { platform: 'x-ads', accountId: X_JP_ACCOUNT, name: 'Acme X 日本', currency: 'JPY', timezone: 'Asia/Tokyo' },
    ],
    adsets: [...ADSETS],
  };
}

/** The sample X market on `clock`, with optional late conversions (`maturity`) and start date. */
export function xAdsMarket(clock: Clock, options: { seed?: number; maturity?: Maturity; startDate?: string } = {}): MarketSimulator {
  const { seed = 12, maturity, startDate } = options;
  return new MarketSimulator({
    ...xAdsMarketConfig(seed),
    clock,
    ...(maturity === undefined ? {} : { maturity }),
    ...(startDate === undefined ? {} : { startDate }),
  });
}
