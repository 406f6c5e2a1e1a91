/** A small market with two Pinterest ad accounts on UTC: USD (with a CBO campaign) and JPY. */
import type { Clock } from '../../../lib/runtime/clock.ts';
import { MarketSimulator, type Maturity } from '../../../lib/sim/market.ts';
import type { SimAdSetInput } from '../../../lib/sim/market-config.ts';

export const US_ACCOUNT = '549755885175';
export const JP_ACCOUNT = '549755885176';
export const CBO_CAMPAIGN = '626736533599';
export const CBO_GROUPS = ['2680060704790', '2680060704791'] as const;
export const HOSTILE_NAME = '<b>Pins</b> "Holiday" & co 📌 <script>alert(1)</script>';

const U = 1_000_000;
const curve = { beta: 20, alpha: 1.1, kappa: 200 };
const base = { platform: 'pinterest', status: 'ACTIVE', cpmMicros: 6 * U, ctr: 0.012, averageOrderValueMicros: 60 * U, curve } as const;

const adsets: SimAdSetInput[] = [
  {
    ...base,
    accountId: US_ACCOUNT,
    adsetId: '2680060704746',
    name: 'Ad Group For Pin: 687195905986',
    campaignId: '626736533506',
    campaignName: 'Holiday',
    dailyBudgetMicros: 120 * U,
  },
  {
    ...base,
    accountId: US_ACCOUNT,
    adsetId: '2680060704747',
    name: HOSTILE_NAME,
    campaignId: '626736533506',
    campaignName: 'Holiday',
    dailyBudgetMicros: 80 * U,
  },
  {
    ...base,
    accountId: US_ACCOUNT,
    adsetId: '2680060704748',
    name: 'Retarget',
    campaignId: '626736533507',
    campaignName: 'Retarget',
    dailyBudgetMicros: 45_500_000,
    status: 'PAUSED',
  },
  {
    ...base,
    accountId: US_ACCOUNT,
    adsetId: CBO_GROUPS[0],
    name: 'CBO A',
    campaignId: CBO_CAMPAIGN,
    campaignName: 'CBO',
    dailyBudgetMicros: 60 * U,
    budgetLevel: 'campaign',
  },
  {
    ...base,
    accountId: US_ACCOUNT,
    adsetId: CBO_GROUPS[1],
    name: 'CBO B',
    campaignId: CBO_CAMPAIGN,
    campaignName: 'CBO',
    dailyBudgetMicros: 40 * U,
    budgetLevel: 'campaign',
  },
  {
    ...base,
    accountId: JP_ACCOUNT,
    adsetId: '2680060704800',
    name: '日本 A',
    campaignId: '626736533600',
    campaignName: '日本',
    dailyBudgetMicros: 15_000 * U,
    cpmMicros: 800 * U,
    averageOrderValueMicros: 9_000 * U,
    curve: { beta: 20, alpha: 1, kappa: 20_000 },
  },
  {
    ...base,
    accountId: JP_ACCOUNT,
    adsetId: '2680060704801',
    name: '日本 B',
    campaignId: '626736533600',
    campaignName: '日本',
    dailyBudgetMicros: 9_000 * U,
    cpmMicros: 800 * U,
    averageOrderValueMicros: 9_000 * U,
    curve: { beta: 20, alpha: 1, kappa: 20_000 },
  },
];

/** The market, with history from `startDate` (default 2026-04-01). */
export function pinterestMarket(clock: Clock, options: { maturity?: Maturity; startDate?: string } = {}): MarketSimulator {
  return new MarketSimulator({
    seed: 11,
    startDate: options.startDate ?? '2026-04-01',
    accounts: [
      { platform: 'pinterest', accountId: US_ACCOUNT, name: 'Acme Pins', currency: 'USD', timezone: 'UTC' },
      { platform: 'pinterest', accountId: JP_ACCOUNT, name: 'Acme ピン', currency: 'JPY', timezone: 'UTC' },
    ],
    adsets,
    clock,
    ...(options.maturity === undefined ? {} : { maturity: options.maturity }),
  });
}
