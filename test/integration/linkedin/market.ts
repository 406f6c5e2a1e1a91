/**
 * A small market with LinkedIn accounts for the connector-vs-fake tests: a USD account with five campaigns in two
 * campaign groups (one paused, one removed, one with a hostile name) and a JPY account with two campaigns.
 * LinkedIn reports UTC days, so both accounts are on UTC.
 */
import type { Clock } from '../../../lib/runtime/clock.ts';
import { MarketSimulator, type Maturity } from '../../../lib/sim/market.ts';
import type { SimAdSetInput } from '../../../lib/sim/market-config.ts';
import { HOSTILE_ADSET_NAME } from '../../../lib/sim/sample-market.ts';

export const US_ACCOUNT = '512345678';
export const JP_ACCOUNT = '512345679';
const UNIT = 1_000_000;

const curve = { beta: 12, alpha: 1.1, kappa: 150 };
const us = {
  platform: 'linkedin',
  accountId: US_ACCOUNT,
  cpmMicros: 30 * UNIT,
  ctr: 0.006,
  curve,
  averageOrderValueMicros: 400 * UNIT,
} as const;
const brand = { campaignId: '700000001', campaignName: 'Brand <EMEA> & "friends"' } as const;
const leads = { campaignId: '700000002', campaignName: 'Lead gen 2026' } as const;

const ADSETS: SimAdSetInput[] = [
  { ...us, ...brand, adsetId: '600000001', name: 'Decision makers – DACH', dailyBudgetMicros: 120 * UNIT },
  { ...us, ...brand, adsetId: '600000002', name: HOSTILE_ADSET_NAME, dailyBudgetMicros: 80 * UNIT },
  { ...us, ...leads, adsetId: '600000003', name: 'Retarget site visitors', dailyBudgetMicros: 55_500_000 },
  { ...us, ...leads, adsetId: '600000004', name: 'Paused test', status: 'PAUSED', dailyBudgetMicros: 40 * UNIT },
  { ...us, ...leads, adsetId: '600000005', name: 'Removed one', status: 'DELETED', dailyBudgetMicros: 30 * UNIT },
  {
    platform: 'linkedin',
    accountId: JP_ACCOUNT,
    campaignId: '700000003',
    campaignName: '日本',
    adsetId: '600000006',
    name: 'IT leaders Japan',
    dailyBudgetMicros: 15_000 * UNIT,
    cpmMicros: 3_000 * UNIT,
    ctr: 0.005,
    curve: { beta: 8, alpha: 1, kappa: 20_000 },
    averageOrderValueMicros: 40_000 * UNIT,
  },
  {
    platform: 'linkedin',
    accountId: JP_ACCOUNT,
    campaignId: '700000003',
    campaignName: '日本',
    adsetId: '600000007',
    name: 'Finance Japan',
    dailyBudgetMicros: 9_000 * UNIT,
    cpmMicros: 2_500 * UNIT,
    ctr: 0.004,
    curve: { beta: 6, alpha: 1.2, kappa: 12_000 },
    averageOrderValueMicros: 30_000 * UNIT,
  },
];

/** The market, on `clock`, with late conversions when `maturity` is given. */
export function linkedinMarket(clock: Clock, options: { maturity?: Maturity } = {}): MarketSimulator {
  return new MarketSimulator({
    seed: 11,
    clock,
    ...(options.maturity ? { maturity: options.maturity } : {}),
    accounts: [
      { platform: 'linkedin', accountId: US_ACCOUNT, name: 'Acme B2B', currency: 'USD', timezone: 'UTC' },
      { platform: 'linkedin', accountId: JP_ACCOUNT, name: 'Acme 日本', currency: 'JPY', timezone: 'UTC' },
    ],
    adsets: ADSETS,
  });
}
