/** Daily ad data for A/B test scenarios, written straight into a Store: seeded, so every run sees the same numbers. */
import type { ClientConfigInput } from '../../../lib/config/schema.ts';
import type { AdSet, DailyMetric } from '../../../lib/model/ads.ts';
import { dateRange, type LocalDate } from '../../../lib/model/dates.ts';
import type { Store } from '../../../lib/store/store.ts';

export const ACCOUNT_ID = 'act_1000000001';

/** A client config with the given tests on one Meta account. */
export function clientConfig(tests: NonNullable<ClientConfigInput['tests']>): ClientConfigInput {
  return {
    client: 'acme',
    timezone: 'Europe/Paris',
    currency: 'EUR',
    budget: { dailyTotal: '1500.00', mode: 'dry-run' },
    platforms: { meta: { accounts: [ACCOUNT_ID] } },
    tests,
    report: { recipients: ['lead@acme.example'] },
  };
}

/** An active Meta ad set of the account. */
export function adset(adsetId: string, name: string, overrides: Partial<AdSet> = {}): AdSet {
  return {
    platform: 'meta',
    accountId: ACCOUNT_ID,
    adsetId,
    campaignId: 'c-1',
    name,
    campaignName: 'Campaign',
    status: 'ACTIVE',
    currency: 'EUR',
    dailyBudgetMicros: 100_000_000,
    budgetLevel: 'adset',
    learning: false,
    ...overrides,
  };
}

/** mulberry32: a small seeded generator, so scenarios do not depend on Math.random. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface ArmProfile {
  /** Mean daily ROAS. */
  readonly roas: number;
  /** Day-to-day spread of ROAS, relative (0.2 = 20%). @default 0.2 */
  readonly spread?: number;
  /** Mean daily impressions. @default 10_000 */
  readonly impressions?: number;
  readonly seed: number;
}

/** One row per date: about 100 EUR of spend, revenue at the profile's ROAS with day-to-day noise, 50 EUR per order. */
export function dailyRows(adsetId: string, from: LocalDate, to: LocalDate, profile: ArmProfile): DailyMetric[] {
  const random = generator(profile.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return dateRange(from, to).map((date) => {
    const spend = 100 * (1 + 0.1 * normal());
    const roas = Math.max(0.1, profile.roas * (1 + (profile.spread ?? 0.2) * normal()));
    const revenue = spend * roas;
    const impressions = Math.round((profile.impressions ?? 10_000) * (1 + 0.01 * normal()));
    return {
      platform: 'meta',
      accountId: ACCOUNT_ID,
      adsetId,
      campaignId: 'c-1',
      date,
      currency: 'EUR',
      spendMicros: Math.round(spend * 100) * 10_000,
      revenueMicros: Math.round(revenue * 100) * 10_000,
      impressions,
      clicks: Math.round(impressions * 0.02),
      conversions: Math.round(revenue / 50),
    };
  });
}

/** Stores the account, the ad sets and their rows. */
export async function seed(store: Store, adsets: readonly AdSet[], rows: readonly DailyMetric[], fetchedAt: Date): Promise<void> {
  await store.putAccount({ platform: 'meta', accountId: ACCOUNT_ID, name: 'Acme', currency: 'EUR', timezone: 'Europe/Paris' });
  await store.upsertAdSets(adsets);
  await store.upsertDailyMetrics(rows, fetchedAt);
}
