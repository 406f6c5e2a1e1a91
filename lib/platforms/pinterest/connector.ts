/**
 * The Pinterest connector: the PlatformConnector port over the Pinterest API v5 (../shared/PLATFORM_APIS.md §7.2),
 * with bounded retries for 429s (waiting for `X-RateLimit-Reset`), 5xx and transient analytics errors, and OAuth
 * refresh on a 401 or when the access token expires within a day (the new tokens go to `tokenStore`).
 *
 * An "ad set" is a Pinterest ad group. Days: Pinterest v5 exposes no ad account time zone and reports analytics
 * by UTC date, so every Pinterest account is reported with time zone 'UTC' and its metric dates are UTC dates.
 * Metrics come from the synchronous `ad_groups/analytics` (≤250 ids, ≤90 days per call) while the range starts
 * at most `syncMaxDaysBack` (89) days before today (UTC), the synchronous endpoint's reach; an older start (a
 * back-fill) goes through async reports (≤186 days per report, ≤914 days back). Conversions are TOTAL_CHECKOUT
 * and revenue TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR, by the date of the ad action, with a 30-day click and 1-day
 * view window: a date's conversions change for 30 days, the restatement window to re-read.
 *
 * Ad level (AdLevelSource, ads.ts): `GET …/ads`, `GET …/ads/analytics` (same columns and windows), `PATCH …/ads`.
 *
 * @example
 *   const pinterest = createPinterestConnector({ credentials: { accessToken }, clock });
 *   const account = await pinterest.getAccount('549755885175');
 *   const rows = await pinterest.fetchDailyMetrics(account, '2026-10-01', '2026-10-31');
 *   await pinterest.setDailyBudget((await pinterest.listAdSets(account))[0], 45_000_000); // 45.00 a day
 *   await pinterest.setStatus((await pinterest.listAdSets(account))[0], 'PAUSED');      // [{"id":…,"status":"PAUSED"}]
 */
import type { Ad, AdAccount, AdDailyMetric, AdSet, DailyMetric } from '../../model/ads.ts';
import { addDays, type LocalDate, localDateAt } from '../../model/dates.ts';
import { type Clock, systemClock } from '../../runtime/clock.ts';
import type { AdLevelSource } from '../ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../errors.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, type RetryPolicy, retryPolicy, withRetries } from '../retry.ts';
import { fetchAdDailyMetrics, getAds, writeAdStatus } from './ads.ts';
import { budgetOf, toAdSet } from './adsets.ts';
import { syncAnalytics } from './analytics.ts';
import { type BudgetOutcome, type BudgetRequest, writeBudgets } from './budgets.ts';
import { PinterestClient } from './client.ts';
import type { AttributionWindows, PinterestContext } from './context.ts';
import type { PinterestCredentials, TokenStore } from './credentials.ts';
import { adGroupWithCampaign, listAdGroups, listCampaigns, MAX_PAGE_SIZE } from './lists.ts';
import { MAX_REPORT_DAYS_BACK, reportAnalytics } from './reports.ts';
import { AdAccount as AdAccountWire } from './schemas.ts';
import { writeStatus } from './statuses.ts';

export const DEFAULT_PINTEREST_BASE_URL = 'https://api.pinterest.com';
/** The synchronous analytics endpoint serves start dates up to 90 days back; one day of margin for clock skew. */
export const SYNC_MAX_DAYS_BACK = 89;
/** Pinterest's documented click window default, and so the days a date's conversions keep changing. */
export const CLICK_WINDOW_DAYS = 30;
export const VIEW_WINDOW_DAYS = 1;
/** Pinterest reports by UTC date (see the module comment). */
export const PINTEREST_REPORTING_TIME_ZONE = 'UTC';

export interface PinterestConnectorOptions extends RetryOptions {
  /** API origin; default https://api.pinterest.com (or a proxy or the fake). */
  readonly baseUrl?: string;
  readonly credentials: PinterestCredentials;
  /** Receives the credentials after every refresh; without it refreshed tokens live only in memory. */
  readonly tokenStore?: TokenStore;
  /** "Now", for token expiry and the synchronous endpoint's reach (default: the system clock). */
  readonly clock?: Clock;
  readonly fetch?: Fetch;
  /** Timeout per request (default 60 s). */
  readonly timeoutMs?: number;
  /** Wait after a 429 without a readable X-RateLimit-Reset (default 60 s: the per-minute categories). */
  readonly defaultRetryAfterMs?: number;
  /** Items per list page (default and max 250). */
  readonly pageSize?: number;
  /** Ranges starting further back than this many days before today (UTC) use async reports (default 89). */
  readonly syncMaxDaysBack?: number;
  /** Between polls of an async report (default 5 s). */
  readonly reportPollIntervalMs?: number;
  /** Polls of one async report before it counts as failed (default 120). */
  readonly reportMaxPolls?: number;
  /** Attribution windows (default 30-day click, 1-day view). */
  readonly windows?: AttributionWindows;
}

/** The port, ad-level reads and writes (ads.ts), and the batch budget write Pinterest offers. */
export interface PinterestConnector extends PlatformConnector, AdLevelSource {
  readonly platform: 'pinterest';
  /**
   * Writes the daily budgets of ad sets of one account in batches of 30 (ad groups, or CBO campaigns' daily caps),
   * rounded down to billable amounts, and reads them back. An item Pinterest refuses fails alone
   * (PinterestItemError); the others are written. Pinterest has no dry run: `validateOnly` checks locally, writes
   * nothing and reads the current budgets back.
   */
  setDailyBudgets(accountId: string, requests: readonly BudgetRequest[], options?: { validateOnly?: boolean }): Promise<BudgetOutcome[]>;
}

/** Creates the Pinterest connector (PlatformConnector) for one set of credentials. */
export function createPinterestConnector(options: PinterestConnectorOptions): PinterestConnector {
  return new PinterestApiConnector(options);
}

class PinterestApiConnector implements PinterestConnector {
  readonly platform = 'pinterest' as const;
  private readonly ctx: PinterestContext;
  private readonly client: PinterestClient;
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  private readonly pageSize: number;
  private readonly syncMaxDaysBack: number;
  private readonly windows: AttributionWindows;
  private readonly options: PinterestConnectorOptions;

  constructor(options: PinterestConnectorOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.client = new PinterestClient({
      baseUrl: options.baseUrl ?? DEFAULT_PINTEREST_BASE_URL,
      credentials: options.credentials,
      ...(options.tokenStore === undefined ? {} : { tokenStore: options.tokenStore }),
      clock: this.clock,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 60_000,
      defaultRetryAfterMs: options.defaultRetryAfterMs ?? 60_000,
    });
    // 5 attempts: per-minute rate categories usually clear within one reset.
    this.retry = retryPolicy(options, 5);
    this.pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
    this.syncMaxDaysBack = options.syncMaxDaysBack ?? SYNC_MAX_DAYS_BACK;
    this.windows = options.windows ?? { clickWindowDays: CLICK_WINDOW_DAYS, viewWindowDays: VIEW_WINDOW_DAYS };
    const client = this.client;
    this.ctx = {
      client,
      call: (operation) => withRetries(operation, this.retry),
      malformed: (endpoint, field, why, cause) =>
        new MalformedResponseError(
          client.clean(`Pinterest ${endpoint}: ${field} ${why}`),
          { platform: 'pinterest', endpoint, status: 200, ...(cause === undefined ? {} : { cause }) },
          field,
        ),
      convert: (read, endpoint, field) => {
        try {
          return read();
        } catch (error) {
          throw this.ctx.malformed(
            endpoint,
            field,
            `cannot be read exactly: ${error instanceof Error ? error.message : String(error)}`,
            error,
          );
        }
      },
    };
  }

  async getAccount(accountId: string): Promise<AdAccount> {
    const account = await this.ctx.call(() => this.client.get(`ad_accounts/${accountId}`, {}, AdAccountWire));
    if (account.id !== accountId)
      throw this.ctx.malformed(this.client.endpoint('GET', `ad_accounts/${accountId}`), 'id', `is ${account.id}`);
    return { platform: 'pinterest', accountId, name: account.name, currency: account.currency, timezone: PINTEREST_REPORTING_TIME_ZONE };
  }

  async listAdSets(account: AdAccount): Promise<AdSet[]> {
    const endpoints = this.endpoints(account.accountId);
    const campaigns = new Map((await listCampaigns(this.ctx, account.accountId, this.pageSize)).map((c) => [c.item.id, c]));
    const groups = await listAdGroups(this.ctx, account.accountId, this.pageSize);
    return groups.map((group) => {
      const campaign = campaigns.get(group.item.campaign_id);
      return toAdSet(account, group.item, campaign?.item, budgetOf(this.ctx, group, campaign, endpoints));
    });
  }

  async fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    if (from > to) return [];
    const today = localDateAt(this.clock.now(), PINTEREST_REPORTING_TIME_ZONE);
    const endpoint = this.client.endpoint('GET', `ad_accounts/${account.accountId}/reports`);
    if (from < addDays(today, -MAX_REPORT_DAYS_BACK)) {
      throw new PlatformRequestError(
        `Pinterest ${endpoint}: ${from} is more than ${MAX_REPORT_DAYS_BACK} days back, past what Pinterest keeps`,
        {
          platform: 'pinterest',
          endpoint,
        },
      );
    }
    const groups = await listAdGroups(this.ctx, account.accountId, this.pageSize);
    const campaignOf = new Map(groups.map((g) => [g.item.id, g.item.campaign_id]));
    const rows =
      from >= addDays(today, -this.syncMaxDaysBack)
        ? campaignOf.size === 0
          ? []
          : await syncAnalytics(this.ctx, account, campaignOf, from, to, this.windows)
        : await reportAnalytics(this.ctx, account, campaignOf, from, to, this.windows, {
            sleep: this.retry.sleep,
            pollIntervalMs: this.options.reportPollIntervalMs ?? 5_000,
            maxPolls: this.options.reportMaxPolls ?? 120,
          });
    const seen = new Set<string>();
    for (const row of rows) {
      const key = `${row.adsetId}|${row.date}`;
      if (seen.has(key)) throw this.ctx.malformed(endpoint, 'rows', `repeat ad group ${row.adsetId} on ${row.date}`);
      seen.add(key);
    }
    return rows;
  }

  async getDailyBudget(adset: AdSet): Promise<number | null> {
    const { group, campaign } = await adGroupWithCampaign(this.ctx, adset.accountId, this.pageSize, adset.adsetId);
    return budgetOf(this.ctx, group, campaign, this.endpoints(adset.accountId)).dailyMicros;
  }

  /**
   * Writes one ad set's daily budget (its ad group's, or its CBO campaign's daily cap), rounded down to the
   * billable unit, and reads it back. Pinterest has no dry run: with `validateOnly` nothing is sent and the current
   * budget is read back.
   */
  async setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    const [outcome] = await this.setDailyBudgets(adset.accountId, [{ adset, dailyBudgetMicros }], options);
    if (!outcome) throw new PlatformRequestError('Pinterest budget write: no outcome', { platform: 'pinterest', endpoint: 'budget write' });
    if (!outcome.ok) throw outcome.error;
    return outcome.write;
  }

  /**
   * Sets the ad group's `status` to ACTIVE or PAUSED (Pinterest's own values) with a one-item batch PATCH, then reads
   * the ad group and its campaign back. A paused campaign still pauses its ad groups, so a read-back other than
   * `status` is a PlatformRequestError, as is an item Pinterest refuses (e.g. an archived ad group).
   */
  setStatus(adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
    return writeStatus(this.ctx, adset, status, this.pageSize);
  }

  getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    return getAds(this.ctx, account.accountId, adIds, this.pageSize);
  }

  fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    return fetchAdDailyMetrics(this.ctx, account, adIds, from, to, {
      pageSize: this.pageSize,
      windows: this.windows,
      today: () => localDateAt(this.clock.now(), PINTEREST_REPORTING_TIME_ZONE),
      syncMaxDaysBack: this.syncMaxDaysBack,
    });
  }

  setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    return writeAdStatus(this.ctx, ad, status, this.pageSize);
  }

  setDailyBudgets(
    accountId: string,
    requests: readonly BudgetRequest[],
    options: { validateOnly?: boolean } = {},
  ): Promise<BudgetOutcome[]> {
    return writeBudgets(this.ctx, accountId, requests, { validateOnly: options.validateOnly ?? false, pageSize: this.pageSize });
  }

  private endpoints(accountId: string): { adGroups: string; campaigns: string } {
    return {
      adGroups: this.client.endpoint('GET', `ad_accounts/${accountId}/ad_groups`),
      campaigns: this.client.endpoint('GET', `ad_accounts/${accountId}/campaigns`),
    };
  }
}
