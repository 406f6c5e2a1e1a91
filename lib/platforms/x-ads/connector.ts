/**
 * The X Ads connector: the PlatformConnector port over the X Ads API v12 (../shared/PLATFORM_APIS.md §7.1),
 * every request signed with OAuth 1.0a, with bounded retries: a 429 waits until the rate-limit reset (ad-account
 * headers first), a 503 honours `retry-after`, 5xx, timeouts and bad pages are tried again.
 *
 * An "ad set" is a **line item**. Its budget lives where the account puts it: on the line item when its
 * `daily_budget_amount_local_micro` is set (the campaign optimizes at line-item level, budgetLevel 'adset'), else on
 * the campaign (budgetLevel 'campaign', the campaign's daily budget, shared by its line items). Budgets are written
 * with PUT on that entity, rounded down to the billable unit, and read back. Pausing and re-activating PUT the
 * line item's `entity_status` (ACTIVE | PAUSED) and read its status back.
 *
 * Daily metrics come from the synchronous `stats` endpoint per line item, DAY granularity, in windows of at most
 * 7 days aligned to account-local midnight with TODAY's UTC offset (X's rule), at most 20 line items per call, and
 * one call per metric group (ENGAGEMENT, BILLING, WEB_CONVERSION) merged. Ranges longer than `asyncAfterWindows`
 * windows (default 5, i.e. more than 35 days: back-fills; the 30-day restatement re-read stays synchronous) use
 * async stats jobs instead: one job per ≤90 days × ≤20 line items × metric group, polled, then downloaded as gzip.
 * Spend is `billed_charge_local_micro`, impressions and clicks the ENGAGEMENT ones, conversions and revenue
 * `conversion_purchases.metric` and `.sale_amount` ([U] unit: `saleAmountUnit`).
 *
 * Ad level (AdLevelSource, ads.ts): an ad is a promoted tweet; the same stats with `entity=PROMOTED_TWEET`.
 *
 * @example
 *   const x = createXAdsConnector({ consumerKey, consumerSecret, accessToken, accessTokenSecret, clock });
 *   const account = await x.getAccount('18ce54d4x5t');
 *   const rows = await x.fetchDailyMetrics(account, '2026-10-01', '2026-10-30'); // 5 windows × 3 groups
 *   await x.setDailyBudget((await x.listAdSets(account))[0], 45_000_000);       // 45.00 a day
 *   await x.setStatus((await x.listAdSets(account))[0], 'PAUSED');             // entity_status=PAUSED
 */
import type { z } from 'zod';
import type { Ad, AdAccount, AdDailyMetric, AdSet, DailyMetric } from '../../model/ads.ts';
import { assertTimeZone, type LocalDate } from '../../model/dates.ts';
import { type Clock, systemClock } from '../../runtime/clock.ts';
import type { AdLevelSource } from '../ads.ts';
import { PlatformRequestError } from '../errors.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, retryPolicy } from '../retry.ts';
import { XAdsAdLevel } from './ads.ts';
import { randomNonce, XAdsClient, type XAdsParams } from './client.ts';
import type { OAuth1Credentials } from './oauth1.ts';
import { XAdsRequests } from './requests.ts';
import { Account, Campaign, FundingInstrument, LineItem, single } from './schemas.ts';
import { DailyStatsFold } from './stats.ts';
import { StatsReader } from './stats-reader.ts';
import { billableBudget, dayWindows, MAX_JOB_DAYS, MAX_SYNC_DAYS, type SaleAmountUnit } from './values.ts';

export const DEFAULT_X_ADS_BASE_URL = 'https://ads-api.x.com';
export const DEFAULT_X_ADS_API_VERSION = '12';
/** X's largest `count`. */
export const MAX_PAGE_SIZE = 1000;
/** Synchronous windows up to which a range is read synchronously (5 × 7 = 35 days); longer ranges use async jobs. */
export const DEFAULT_ASYNC_AFTER_WINDOWS = 5;
/** Jobs created before polling; X allows 100 concurrent per ads account, and other clients may hold some. */
export const MAX_JOBS_IN_FLIGHT = 60;

export interface XAdsConnectorOptions extends RetryOptions, OAuth1Credentials {
  /** API origin; default https://ads-api.x.com (or the sandbox, a proxy or the fake). */
  readonly baseUrl?: string;
  /** Default "12". */
  readonly apiVersion?: string;
  readonly fetch?: Fetch;
  /** Timeout per request (default 60 s). */
  readonly timeoutMs?: number;
  /** Source of `oauth_timestamp`, of "today" for window alignment and of "now" for rate-limit resets (default: system clock). */
  readonly clock?: Clock;
  /** `oauth_nonce` generator (default 16 random bytes in hex). */
  readonly nonce?: () => string;
  /** `count` per entity page (default 200, max 1000). */
  readonly pageSize?: number;
  /** Ranges of more than this many 7-day windows use async stats jobs (default 5). */
  readonly asyncAfterWindows?: number;
  /** Wait between job polls (default 15 s, as the Singer tap). */
  readonly jobPollIntervalMs?: number;
  /** Polls before a job that is still processing fails the read (default 20). */
  readonly maxJobPolls?: number;
  /** Jobs created before they are polled (default 60 of X's 100 concurrent per ads account). */
  readonly maxJobsInFlight?: number;
  /** Unit of `conversion_purchases.sale_amount` [U] (default micros, as every other X amount). */
  readonly saleAmountUnit?: SaleAmountUnit;
}

/** Creates the X Ads connector (PlatformConnector, with ad-level reads and writes) for one set of OAuth 1.0a credentials. */
export function createXAdsConnector(options: XAdsConnectorOptions): PlatformConnector & AdLevelSource {
  return new XAdsConnector(options);
}

interface BudgetState {
  readonly lineItem: LineItem;
  readonly campaign: Campaign;
  readonly level: AdSet['budgetLevel'];
  readonly dailyBudgetMicros: number | null;
}

/** Where a line item's daily budget lives: on itself when set (line-item optimization), else on its campaign. */
export function budgetOf(lineItem: LineItem, campaign: Campaign): { level: AdSet['budgetLevel']; dailyBudgetMicros: number | null } {
  const own = lineItem.daily_budget_amount_local_micro;
  if (campaign.budget_optimization !== 'CAMPAIGN' && own !== null && own !== undefined) return { level: 'adset', dailyBudgetMicros: own };
  return { level: 'campaign', dailyBudgetMicros: campaign.daily_budget_amount_local_micro ?? null };
}

/** The adpilot status of a line item: deleted wins, then a paused campaign pauses its line items. */
export function statusOf(lineItem: LineItem, campaign: Campaign): AdSet['status'] {
  if (lineItem.deleted || campaign.deleted) return 'DELETED';
  return lineItem.entity_status === 'ACTIVE' && campaign.entity_status === 'ACTIVE' ? 'ACTIVE' : 'PAUSED';
}

class XAdsConnector implements PlatformConnector, AdLevelSource {
  readonly platform = 'x-ads' as const;
  private readonly adLevel: XAdsAdLevel;
  private readonly client: XAdsClient;
  private readonly requests: XAdsRequests;
  private readonly stats: StatsReader;
  private readonly clock: Clock;
  private readonly asyncAfterWindows: number;
  private readonly saleAmountUnit: SaleAmountUnit;

  constructor(options: XAdsConnectorOptions) {
    this.clock = options.clock ?? systemClock;
    this.client = new XAdsClient({
      baseUrl: options.baseUrl ?? DEFAULT_X_ADS_BASE_URL,
      apiVersion: options.apiVersion ?? DEFAULT_X_ADS_API_VERSION,
      credentials: {
        consumerKey: options.consumerKey,
        consumerSecret: options.consumerSecret,
        accessToken: options.accessToken,
        accessTokenSecret: options.accessTokenSecret,
      },
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 60_000,
      clock: this.clock,
      nonce: options.nonce ?? randomNonce,
    });
    // 5 attempts: a 429 waits for its reset (up to maxRetryWaitMs), so few attempts cover a whole window.
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? 200));
    this.requests = new XAdsRequests(this.client, retryPolicy(options, 5), pageSize);
    this.stats = new StatsReader(this.requests, {
      jobPollIntervalMs: options.jobPollIntervalMs ?? 15_000,
      maxJobPolls: Math.max(1, options.maxJobPolls ?? 20),
      maxJobsInFlight: Math.min(100, Math.max(1, options.maxJobsInFlight ?? MAX_JOBS_IN_FLIGHT)),
    });
    this.asyncAfterWindows = Math.max(1, options.asyncAfterWindows ?? DEFAULT_ASYNC_AFTER_WINDOWS);
    this.saleAmountUnit = options.saleAmountUnit ?? 'micros';
    this.adLevel = new XAdsAdLevel({
      requests: this.requests,
      stats: this.stats,
      clock: this.clock,
      asyncAfterWindows: this.asyncAfterWindows,
      saleAmountUnit: this.saleAmountUnit,
    });
  }

  /** Promoted tweets by id (see ads.ts). */
  getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    return this.adLevel.getAds(account, adIds);
  }

  /** PROMOTED_TWEET DAY stats (see ads.ts). */
  fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    return this.adLevel.fetchAdDailyMetrics(account, adIds, from, to);
  }

  /** A promoted tweet's entity_status, read back (see ads.ts). */
  setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    return this.adLevel.setAdStatus(ad, status);
  }

  async getAccount(accountId: string): Promise<AdAccount> {
    const path = `accounts/${encodeURIComponent(accountId)}`;
    const { data } = await this.requests.call(() => this.client.request('GET', path, {}, single(Account)));
    if (data.id !== accountId)
      throw this.requests.malformed(this.client.endpoint('GET', path), 'data.id', `is ${data.id}, asked for ${accountId}`);
    try {
      assertTimeZone(data.timezone);
    } catch (error) {
      throw this.requests.malformed(
        this.client.endpoint('GET', path),
        'data.timezone',
        `is not an IANA time zone (${JSON.stringify(data.timezone)})`,
        error,
      );
    }
    const instruments = await this.requests.pages(`${path}/funding_instruments`, {}, FundingInstrument, (row) => row);
    const live = instruments.filter((f) => !f.deleted);
    const currency = (live[0] ?? instruments[0])?.currency;
    if (currency === undefined) {
      throw new PlatformRequestError(`X Ads account ${accountId} has no funding instrument, so no currency`, {
        platform: 'x-ads',
        endpoint: this.client.endpoint('GET', `${path}/funding_instruments`),
      });
    }
    return { platform: 'x-ads', accountId, name: data.name, currency, timezone: data.timezone };
  }

  async listAdSets(account: AdAccount): Promise<AdSet[]> {
    const campaigns = await this.campaigns(account.accountId, undefined);
    const lineItems = await this.lineItems(account.accountId, undefined, false);
    const endpoint = this.client.endpoint('GET', `accounts/${account.accountId}/line_items`);
    return lineItems.map(({ row, path }) => {
      const campaign = campaigns.get(row.campaign_id);
      if (!campaign)
        throw this.requests.malformed(
          endpoint,
          `${path}.campaign_id`,
          `names campaign ${row.campaign_id}, which the account does not list`,
        );
      const budget = budgetOf(row, campaign);
      return {
        platform: 'x-ads',
        accountId: account.accountId,
        adsetId: row.id,
        campaignId: row.campaign_id,
        name: row.name,
        campaignName: campaign.name,
        status: statusOf(row, campaign),
        currency: account.currency,
        dailyBudgetMicros: budget.dailyBudgetMicros,
        budgetLevel: budget.level,
        learning: false,
      };
    });
  }

  async fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    // Deleted line items too: their past days still count.
    const lineItems = await this.lineItems(account.accountId, undefined, true);
    const campaignOf = new Map(lineItems.map(({ row }) => [row.id, row.campaign_id]));
    const ids = [...campaignOf.keys()].sort();
    const fold = new DailyStatsFold(new Set(ids), this.saleAmountUnit);
    const now = this.clock.now();
    const windows = dayWindows(from, to, account.timezone, now, MAX_SYNC_DAYS);
    if (windows.length > this.asyncAfterWindows) {
      await this.stats.readWithJobs(account, dayWindows(from, to, account.timezone, now, MAX_JOB_DAYS), ids, fold);
    } else {
      await this.stats.readSync(account, windows, ids, fold);
    }
    return fold.rows().map(({ lineItemId, date, figures }) => ({
      platform: 'x-ads',
      accountId: account.accountId,
      adsetId: lineItemId,
      campaignId: campaignOf.get(lineItemId) ?? '',
      date,
      currency: account.currency,
      ...figures,
    }));
  }

  async getDailyBudget(adset: AdSet): Promise<number | null> {
    return (await this.state(adset)).dailyBudgetMicros;
  }

  /**
   * Writes the daily budget where the line item's budget lives (the line item, or its campaign, shared by the
   * campaign's line items) with PUT `daily_budget_amount_local_micro`, rounded DOWN to the billable unit, then reads
   * it back. An absolute amount is idempotent, so the PUT is retried like a read. X has no dry run: with
   * `validateOnly` the amount is checked here (against a total budget too) and nothing is sent.
   */
  async setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    const context = this.writeContext(adset);
    if (!Number.isSafeInteger(dailyBudgetMicros) || dailyBudgetMicros < 0) {
      throw new PlatformRequestError(`a daily budget is whole micros >= 0, got ${dailyBudgetMicros}`, context);
    }
    const before = await this.state(adset);
    const currency = before.campaign.currency;
    const appliedMicros = billableBudget(dailyBudgetMicros, currency);
    const owner = before.level === 'adset' ? before.lineItem : before.campaign;
    const total = owner.total_budget_amount_local_micro;
    if (total !== null && total !== undefined && appliedMicros > total) {
      throw new PlatformRequestError(
        `daily budget ${appliedMicros} micros is above the ${before.level === 'adset' ? 'line item' : 'campaign'} total budget ${total}`,
        context,
      );
    }
    if (!options.validateOnly) {
      const path =
        before.level === 'adset'
          ? `accounts/${adset.accountId}/line_items/${before.lineItem.id}`
          : `accounts/${adset.accountId}/campaigns/${before.campaign.id}`;
      const schema = before.level === 'adset' ? single(LineItem) : single(Campaign);
      await this.put(path, { daily_budget_amount_local_micro: appliedMicros }, schema, owner.id);
    }
    const after = await this.state(adset);
    if (after.dailyBudgetMicros === null) {
      throw this.requests.malformed(context.endpoint, 'data.daily_budget_amount_local_micro', 'is null on read-back');
    }
    return { appliedMicros, readBackMicros: after.dailyBudgetMicros };
  }

  /**
   * Sets the line item's `entity_status` to ACTIVE or PAUSED (X's own values) with PUT, then reads the line item and
   * its campaign back. Only the line item is written: a paused campaign still pauses it, so re-activating a line item
   * of a paused campaign reads back PAUSED, a PlatformRequestError like any read-back other than `status`. Setting a
   * status is idempotent, so the PUT is retried like a read. A deleted line item is X's 404, a PlatformRequestError.
   */
  async setStatus(adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
    const context = this.writeContext(adset);
    if (status !== 'ACTIVE' && status !== 'PAUSED')
      throw new PlatformRequestError(`adpilot writes ACTIVE or PAUSED only, got ${JSON.stringify(status)}`, context);
    await this.put(`accounts/${adset.accountId}/line_items/${adset.adsetId}`, { entity_status: status }, single(LineItem), adset.adsetId);
    const { lineItem, campaign } = await this.state(adset);
    const readBack = statusOf(lineItem, campaign);
    if (readBack !== status) {
      const deleted = (entity: { deleted?: boolean | undefined }) => (entity.deleted ? ', deleted' : '');
      throw new PlatformRequestError(
        this.client.clean(
          `X Ads ${context.endpoint}: line item ${adset.adsetId} was set to ${status} but reads back ${readBack} ` +
            `(line item ${lineItem.entity_status}${deleted(lineItem)}, campaign ${campaign.id} ${campaign.entity_status}${deleted(campaign)})`,
        ),
        context,
      );
    }
    return { readBack };
  }

  /** The error context of a write to `adset`; an ad set of another platform is refused before anything is sent. */
  private writeContext(adset: AdSet): { platform: 'x-ads'; endpoint: string } {
    const context = {
      platform: 'x-ads' as const,
      endpoint: this.client.endpoint('PUT', `accounts/${adset.accountId}/line_items/${adset.adsetId}`),
    };
    if (adset.platform !== 'x-ads') throw new PlatformRequestError(`not an X line item: ${adset.platform} ${adset.adsetId}`, context);
    return context;
  }

  /** One retried PUT of an entity (both writes set absolute values, so a retry cannot double anything); the answer must be that entity. */
  private async put(path: string, params: XAdsParams, schema: z.ZodType<{ data: { id: string } }>, id: string): Promise<void> {
    const answer = await this.requests.call(() => this.client.request('PUT', path, params, schema));
    if (answer.data.id !== id)
      throw this.requests.malformed(this.client.endpoint('PUT', path), 'data.id', `is ${answer.data.id}, wrote ${id}`);
  }

  /** The line item and its campaign as X holds them now, and where the budget lives. */
  private async state(adset: AdSet): Promise<BudgetState> {
    const found = await this.lineItems(adset.accountId, [adset.adsetId], true);
    const lineItem = found.find(({ row }) => row.id === adset.adsetId)?.row;
    const endpoint = this.client.endpoint('GET', `accounts/${adset.accountId}/line_items`);
    if (!lineItem) throw this.requests.malformed(endpoint, 'data', `does not hold line item ${adset.adsetId}`);
    const campaign = (await this.campaigns(adset.accountId, [lineItem.campaign_id])).get(lineItem.campaign_id);
    if (!campaign)
      throw this.requests.malformed(
        this.client.endpoint('GET', `accounts/${adset.accountId}/campaigns`),
        'data',
        `does not hold campaign ${lineItem.campaign_id}`,
      );
    const { level, dailyBudgetMicros } = budgetOf(lineItem, campaign);
    return { lineItem, campaign, level, dailyBudgetMicros };
  }

  private async campaigns(accountId: string, ids: readonly string[] | undefined): Promise<Map<string, Campaign>> {
    const params: XAdsParams = { with_deleted: true, ...(ids === undefined ? {} : { campaign_ids: ids }) };
    const rows = await this.requests.pages(`accounts/${accountId}/campaigns`, params, Campaign, (row) => row);
    return new Map(rows.map((c) => [c.id, c]));
  }

  private lineItems(
    accountId: string,
    ids: readonly string[] | undefined,
    withDeleted: boolean,
  ): Promise<{ row: LineItem; path: string }[]> {
    const params: XAdsParams = { ...(withDeleted ? { with_deleted: true } : {}), ...(ids === undefined ? {} : { line_item_ids: ids }) };
    return this.requests.pages(`accounts/${accountId}/line_items`, params, LineItem, (row, path) => ({ row, path }));
  }
}
