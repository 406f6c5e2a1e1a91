/**
 * Ad-level reads and writes, an optional connector capability: ad-level A/B tests compare ads (creatives) of
 * one platform, so the connector must list those ads, report their daily delivery and pause the losing one.
 * The shared PlatformConnector port stays ad-set level; a use case asks `hasAdLevel(connector)` first.
 */
import type { Ad, AdAccount, AdDailyMetric } from '../model/ads.ts';
import type { LocalDate } from '../model/dates.ts';
import type { PlatformConnector, StatusWrite, WritableStatus } from './port.ts';

/** The capability: the ads an A/B test names, their daily rows and their status. */
export interface AdLevelSource {
  /** The ads of the account with these ids that exist (any status), with their ad set and campaign. */
  getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]>;
  /** One row per ad per account-local date in [from, to] with delivery, for these ads, as the platform reports it now. */
  fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]>;
  /** Pauses or re-activates one ad and reads its status back. */
  setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite>;
}

/** Whether a connector can read and pause single ads. */
export function hasAdLevel<C extends PlatformConnector>(connector: C): connector is C & AdLevelSource {
  const c = connector as Partial<AdLevelSource>;
  return typeof c.getAds === 'function' && typeof c.fetchAdDailyMetrics === 'function' && typeof c.setAdStatus === 'function';
}
