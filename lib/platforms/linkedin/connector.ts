/**
 * The LinkedIn connector: the PlatformConnector port over the LinkedIn Marketing API (../shared/PLATFORM_APIS.md §4),
 * with bounded retries for throttles (HTTP 429) and transient errors. This file assembles it; the parts are
 * campaigns.ts (campaigns and groups as ad sets), analytics.ts (daily rows, sliced by slices.ts), budgets.ts and
 * statuses.ts (the writes), ads.ts (the ad level), over client.ts and the shared context.ts.
 *
 * Mapping: a LinkedIn **campaign** is an adpilot ad set (it holds the budget; adsetId = campaign id) and a
 * **campaign group** is an adpilot campaign (campaignId = group id). Every request carries `LinkedIn-Version`
 * and `X-Restli-Protocol-Version: 2.0.0`.
 *
 * Time zone: LinkedIn ad accounts have none and `adAnalytics` days are UTC days, so AdAccount.timezone is 'UTC'
 * and every metric date is a UTC date.
 *
 * Metrics come from `adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY` with a `fields` projection,
 * filtered by the account and by explicit campaign lists. The finder has no paging and silently cuts answers at
 * 15,000 elements, so reads are sliced by dates × campaigns (see slices.ts). Conversions are
 * `externalWebsiteConversions` and revenue `conversionValueInLocalCurrency` (both [U]: absent reads as 0).
 *
 * Budgets are `dailyBudget: {amount: "150.00", currencyCode}` on the campaign, written with a Rest.li
 * PARTIAL_UPDATE and read back. A campaign with only a lifetime (`totalBudget`) budget has no daily budget, and
 * adpilot does not add one. Pausing and re-activating use the same PARTIAL_UPDATE with `{"status":"PAUSED"}` /
 * `{"status":"ACTIVE"}` and read the campaign's status back.
 *
 * @example
 *   const linkedin = createLinkedInConnector({ accessToken, version: '202601' });
 *   const account = await linkedin.getAccount('512345678');
 *   const rows = await linkedin.fetchDailyMetrics(account, '2026-09-01', '2026-10-30');
 *   await linkedin.setDailyBudget((await linkedin.listAdSets(account))[0], 150_000_000); // "150.00"
 *   await linkedin.setStatus((await linkedin.listAdSets(account))[0], 'PAUSED');       // {"status":"PAUSED"}
 *
 * Ad level (AdLevelSource, ads.ts): a **creative** is an adpilot ad (adsetId = its campaign, campaignId = that
 * campaign's group), listed with `q=criteria` [U], reported with `pivot=CREATIVE` sliced like campaign reads, and
 * paused with a PARTIAL_UPDATE of `intendedStatus` [U], read back by GET.
 */
import type { Ad, AdAccount, AdDailyMetric, AdSet, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import { type Clock, systemClock } from '../../runtime/clock.ts';
import type { AdLevelSource } from '../ads.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, retryPolicy } from '../retry.ts';
import { fetchAdDailyMetrics, getAds, setAdStatus } from './ads.ts';
import { analytics } from './analytics.ts';
import { getDailyBudget, setDailyBudget } from './budgets.ts';
import { groupNames, groupsByCampaign, LISTED_STATUSES, listCampaigns, toAdSet } from './campaigns.ts';
import { LinkedInClient } from './client.ts';
import { type LinkedInContext, linkedInContext } from './context.ts';
import { restliValue } from './restli.ts';
import { AdAccountEntity } from './schemas.ts';
import { MAX_ANALYTICS_ELEMENTS, MAX_CAMPAIGNS_PER_REQUEST } from './slices.ts';
import { setStatus } from './statuses.ts';
import { CAMPAIGN_URN, idToString } from './values.ts';

export { ANALYTICS_FIELDS } from './analytics.ts';
export { LISTED_STATUSES } from './campaigns.ts';

export const DEFAULT_LINKEDIN_BASE_URL = 'https://api.linkedin.com';
export const DEFAULT_LINKEDIN_VERSION = '202601';
/** Largest `pageSize` of the campaign and campaign group finders. */
export const MAX_PAGE_SIZE = 1000;

export interface LinkedInConnectorOptions extends RetryOptions {
  /** API origin; default https://api.linkedin.com (or a proxy or the fake). `/rest/` is appended. */
  readonly baseUrl?: string;
  readonly accessToken: string;
  /** YYYYMM, sent as `LinkedIn-Version` (default 202601). */
  readonly version?: string;
  readonly fetch?: Fetch;
  /** Timeout per request (default 60 s). */
  readonly timeoutMs?: number;
  /** Wait after a 429 that names neither a daily limit nor Retry-After (default 5 s). */
  readonly defaultRetryAfterMs?: number;
  /** Elements per finder page (default 500, max 1000). */
  readonly pageSize?: number;
  /** The analytics cap the slicing respects (default 15,000). */
  readonly maxElements?: number;
  /** Campaigns named per analytics request (default 100). */
  readonly maxCampaignsPerRequest?: number;
  /** "Now", for the time left until LinkedIn's daily limits reset at midnight UTC (default the system clock). */
  readonly clock?: Clock;
}

/** Creates the LinkedIn connector (PlatformConnector with ad-level reads and writes) for one access token. */
export function createLinkedInConnector(options: LinkedInConnectorOptions): PlatformConnector & AdLevelSource {
  return new LinkedInConnector(options);
}

class LinkedInConnector implements PlatformConnector, AdLevelSource {
  readonly platform = 'linkedin' as const;
  private readonly ctx: LinkedInContext;

  constructor(options: LinkedInConnectorOptions) {
    const client = new LinkedInClient({
      baseUrl: options.baseUrl ?? DEFAULT_LINKEDIN_BASE_URL,
      accessToken: options.accessToken,
      version: options.version ?? DEFAULT_LINKEDIN_VERSION,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 60_000,
      defaultRetryAfterMs: options.defaultRetryAfterMs ?? 5_000,
      clock: options.clock ?? systemClock,
    });
    // 5 attempts, as Airbyte's LinkedIn analytics streams retry.
    const retry = retryPolicy(options, 5);
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? 500));
    this.ctx = linkedInContext(client, retry, pageSize, {
      maxElements: Math.min(MAX_ANALYTICS_ELEMENTS, Math.max(1, options.maxElements ?? MAX_ANALYTICS_ELEMENTS)),
      maxCampaigns: Math.max(1, options.maxCampaignsPerRequest ?? MAX_CAMPAIGNS_PER_REQUEST),
    });
  }

  async getAccount(accountId: string): Promise<AdAccount> {
    const { client, call, convert, malformed } = this.ctx;
    const path = `adAccounts/${restliValue(accountId)}`;
    const endpoint = client.endpoint('GET', path);
    const entity = await call(() => client.get(path, [], AdAccountEntity));
    const id = convert(() => idToString(entity.id), endpoint, 'id');
    if (id !== accountId) throw malformed(endpoint, 'id', `is ${id}, asked for ${accountId}`);
    return { platform: 'linkedin', accountId, name: entity.name, currency: entity.currency, timezone: 'UTC' };
  }

  async listAdSets(account: AdAccount): Promise<AdSet[]> {
    const [campaigns, groups] = await Promise.all([listCampaigns(this.ctx, account.accountId), groupNames(this.ctx, account.accountId)]);
    return campaigns.map(({ value, path }) => toAdSet(this.ctx, account, value, path, groups));
  }

  async fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    if (from > to) return [];
    const groupOf = await groupsByCampaign(this.ctx, account.accountId, LISTED_STATUSES);
    const parents = new Map([...groupOf].map(([adsetId, campaignId]) => [adsetId, { adsetId, campaignId }]));
    const rows = await analytics(this.ctx, account, { urn: CAMPAIGN_URN, what: 'campaign', parents }, from, to);
    return rows.map(({ row }) => row);
  }

  getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    return getAds(this.ctx, account, adIds);
  }

  fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    return fetchAdDailyMetrics(this.ctx, account, adIds, from, to);
  }

  setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    return setAdStatus(this.ctx, ad, status);
  }

  getDailyBudget(adset: AdSet): Promise<number | null> {
    return getDailyBudget(this.ctx, adset);
  }

  setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    return setDailyBudget(this.ctx, adset, dailyBudgetMicros, options);
  }

  setStatus(adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
    return setStatus(this.ctx, adset, status);
  }
}
