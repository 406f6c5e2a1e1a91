/**
 * The Meta connector: the PlatformConnector port over the Graph API (ad accounts, ad sets with their learning
 * phase, daily insights per ad set, ad-set and campaign (CBO) daily budgets, ad-set status), with bounded retries
 * for throttles and transient errors, a pause when the usage headers near a quota, and async report runs for long
 * ranges.
 *
 * @example
 *   const meta = createMetaConnector({ apiVersion: 'v25.0', accessToken: token, purchaseActionType: 'omni_purchase' });
 *   const account = await meta.getAccount('act_1000000001');
 *   const rows = await meta.fetchDailyMetrics(account, '2026-10-01', '2026-10-28');   // sync: 28 days
 *   const year = await meta.fetchDailyMetrics(account, '2025-11-01', '2026-10-31');   // async report runs: > 31 days
 *   const [adset] = await meta.listAdSets(account);
 *   const write = await meta.setDailyBudget(adset, 450_000_000); // 450.00; a CBO ad set writes its campaign's budget
 *   await meta.setStatus(adset, 'PAUSED');                        // POST /{adset_id} status=PAUSED → { readBack: 'PAUSED' }
 *   const ads = await meta.getAds(account, ['2385000000000201']);  // GET /act_{id}/ads filtered on id
 *   await meta.fetchAdDailyMetrics(account, [ads[0].adId], '2026-10-01', '2026-10-14'); // insights level=ad
 *   await meta.setAdStatus(ads[0], 'PAUSED');                     // POST /{ad_id} status=PAUSED
 */
import type { z } from 'zod';
import type { Ad, AdAccount, AdDailyMetric, AdSet, DailyMetric } from '../../model/ads.ts';
import { daysBetween, type LocalDate } from '../../model/dates.ts';
import { assertMicros, decimalToMicros, microsToMinorFloor, minorToMicros } from '../../model/money.ts';
import type { AdLevelSource } from '../ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../errors.ts';
import type { HourlyMetric, HourlyMetricsSource } from '../hourly.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, type RetryPolicy, retryPolicy, withRetries } from '../retry.ts';
import { MetaAdLevel } from './ads.ts';
import { AsyncInsights, type InsightsChunk } from './async-insights.ts';
import { minimumDailyBudgetMinor } from './budgets.ts';
import { MetaGraphClient } from './client.ts';
import type { MetaRequestKind } from './error-map.ts';
import { BudgetBelowMinimumError, InsightsTooLargeError } from './errors.ts';
import { HOURLY_BREAKDOWN, HOURLY_FIELDS, MetaHourlyInsightsPage, toHourlyMetric } from './hourly.ts';
import {
  MetaAccount,
  type MetaActionStat,
  MetaAdInsightsPage,
  type MetaAdInsightsRow,
  type MetaAdSet,
  MetaAdSetBilling,
  MetaAdSetBudget,
  MetaAdSetStatusNode,
  MetaAdSetsPage,
  type MetaCampaign,
  MetaCampaignBudgetNode,
  MetaCampaignsPage,
  MetaInsightsPage,
  type MetaInsightsRow,
  type MetaMinimumBudget,
  MetaMinimumBudgetsPage,
  MetaSuccess,
} from './schemas.ts';

export const DEFAULT_META_BASE_URL = 'https://graph.facebook.com';
/**
 * Ranges longer than this many days are read with async report runs. 31 keeps the hourly re-read of Meta's 28-day
 * restatement window synchronous (one request per page) and sends backfills and month-plus pulls, which Meta's
 * best practices call "large", to the async path, where a timeout cannot lose the whole request.
 */
export const DEFAULT_ASYNC_AFTER_DAYS = 31;

export interface MetaConnectorOptions extends RetryOptions {
  /** Graph API origin; default https://graph.facebook.com (or a sandbox, proxy or the fake). */
  readonly baseUrl?: string;
  /** e.g. "v25.0". */
  readonly apiVersion: string;
  readonly accessToken: string;
  /** The one action type counted as a purchase (e.g. omni_purchase); the other purchase types repeat the same events. */
  readonly purchaseActionType: string;
  readonly fetch?: Fetch;
  /** Timeout per request (default 30 s). */
  readonly timeoutMs?: number;
  /** `limit` asked per page (default 500). */
  readonly pageSize?: number;
  /** Ranges of more days than this use async report runs (default 31). */
  readonly asyncAfterDays?: number;
  /** Wait between polls of an async report run (default 10 s; through `sleep`). */
  readonly asyncPollIntervalMs?: number;
  /** Polls before a report run counts as failed and its range is split (default 360: an hour at 10 s). */
  readonly asyncMaxPolls?: number;
  /** Usage percentage in Meta's usage headers from which the next request pauses (default 90). */
  readonly usagePausePct?: number;
}

/** A campaign's budget: under CBO (`budgetLevel: 'campaign'`) the campaign holds it; otherwise its ad sets do. */
export interface MetaCampaignBudget {
  readonly campaignId: string;
  readonly name: string;
  readonly status: AdSet['status'];
  readonly currency: string;
  /** 'campaign' when the campaign holds a daily or lifetime budget (CBO). */
  readonly budgetLevel: AdSet['budgetLevel'];
  /** The campaign's daily budget (micros), or null when it has none (ad-set budgets, or a lifetime budget). */
  readonly dailyBudgetMicros: number | null;
}

/** The Meta connector: the port, plus the campaign budgets that CBO ad sets share, hourly delivery and single ads. */
export interface MetaConnector extends PlatformConnector, HourlyMetricsSource, AdLevelSource {
  /** Every campaign of the account with its budget (the budget CBO ad sets share). */
  listCampaignBudgets(account: AdAccount): Promise<MetaCampaignBudget[]>;
}

const ACCOUNT_FIELDS = 'currency,timezone_name,name,timezone_offset_hours_utc';
const ADSET_FIELDS =
  'id,name,campaign_id,campaign{name,daily_budget,lifetime_budget},status,effective_status,daily_budget,lifetime_budget,learning_stage_info';
const CAMPAIGN_FIELDS = 'id,name,status,daily_budget,lifetime_budget';
const INSIGHTS_FIELDS = 'account_currency,campaign_id,adset_id,date_start,date_stop,spend,impressions,clicks,actions,action_values';
/** A guard against a server that keeps sending `paging.next` forever. */
const MAX_PAGES = 10_000;

interface MetaPage<Row> {
  data: Row[];
  paging?: { next?: string | undefined } | undefined;
}

/** "act_123" from "act_123" or "123". */
export function metaAccountNode(accountId: string): string {
  return accountId.startsWith('act_') ? accountId : `act_${accountId}`;
}

/** Creates the Meta connector (PlatformConnector, plus campaign budgets) for one access token. */
export function createMetaConnector(options: MetaConnectorOptions): MetaConnector {
  return new MetaGraphConnector(options);
}

const nonZero = (value: string | undefined): value is string => value !== undefined && value !== '0';

/** An ad set's status for adpilot: a paused campaign stops its active ad sets, so they are not ACTIVE for us. */
function adSetStatus(row: Pick<MetaAdSet, 'status' | 'effective_status'>): AdSet['status'] {
  return row.status === 'ACTIVE' && row.effective_status === 'CAMPAIGN_PAUSED' ? 'PAUSED' : row.status;
}

class MetaGraphConnector implements MetaConnector {
  readonly platform = 'meta' as const;
  private readonly client: MetaGraphClient;
  private readonly retry: RetryPolicy;
  private readonly pageSize: number;
  private readonly purchaseType: string;
  private readonly asyncAfterDays: number;
  private readonly asyncInsights: AsyncInsights<MetaInsightsRow>;
  private readonly adAsyncInsights: AsyncInsights<MetaAdInsightsRow>;
  private readonly adLevel: MetaAdLevel;
  /** `minimum_budgets` per account node: they change rarely, and every budget write needs them. */
  private readonly minimums = new Map<string, MetaMinimumBudget[]>();

  constructor(options: MetaConnectorOptions) {
    this.retry = retryPolicy(options, 4);
    this.client = new MetaGraphClient({
      baseUrl: options.baseUrl ?? DEFAULT_META_BASE_URL,
      apiVersion: options.apiVersion,
      accessToken: options.accessToken,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 30_000,
      sleep: this.retry.sleep,
      maxUsagePauseMs: this.retry.maxWaitMs,
      ...(options.usagePausePct === undefined ? {} : { usagePausePct: options.usagePausePct }),
    });
    this.pageSize = options.pageSize ?? 500;
    this.purchaseType = options.purchaseActionType;
    this.asyncAfterDays = options.asyncAfterDays ?? DEFAULT_ASYNC_AFTER_DAYS;
    const polls = { pollIntervalMs: options.asyncPollIntervalMs ?? 10_000, maxPolls: options.asyncMaxPolls ?? 360 };
    this.asyncInsights = new AsyncInsights(
      this.client,
      this.retry,
      polls,
      (path, params) => this.collect(path, params, MetaInsightsPage),
      this.pageSize,
    );
    this.adAsyncInsights = new AsyncInsights(
      this.client,
      this.retry,
      polls,
      (path, params) => this.collect(path, params, MetaAdInsightsPage),
      this.pageSize,
    );
    this.adLevel = new MetaAdLevel({
      client: this.client,
      retry: this.retry,
      pageSize: this.pageSize,
      accountNode: metaAccountNode,
      collect: (path, params, schema) => this.collect(path, params, schema),
      adInsights: (account, params, from, to) => this.insights(account, params, from, to, MetaAdInsightsPage, this.adAsyncInsights),
      toDailyMetric: (row, account, endpoint, page, index) => this.toDailyMetric(row, account, endpoint, page, index),
      write: (node, body) => this.write(node, body),
    });
  }

  async getAccount(accountId: string): Promise<AdAccount> {
    const node = metaAccountNode(accountId);
    const account = await withRetries(() => this.client.get(`/${node}`, { fields: ACCOUNT_FIELDS }, MetaAccount), this.retry);
    return { platform: 'meta', accountId: node, name: account.name, currency: account.currency, timezone: account.timezone_name };
  }

  async listAdSets(account: AdAccount): Promise<AdSet[]> {
    const path = `/${metaAccountNode(account.accountId)}/adsets`;
    const endpoint = this.client.endpoint('GET', path);
    const pages = await this.collect(path, { fields: ADSET_FIELDS, limit: String(this.pageSize) }, MetaAdSetsPage);
    return pages.flatMap((page, p) => page.map((row, i) => this.toAdSet(row, account, endpoint, p, i)));
  }

  async listCampaignBudgets(account: AdAccount): Promise<MetaCampaignBudget[]> {
    const path = `/${metaAccountNode(account.accountId)}/campaigns`;
    const endpoint = this.client.endpoint('GET', path);
    const pages = await this.collect(path, { fields: CAMPAIGN_FIELDS, limit: String(this.pageSize) }, MetaCampaignsPage);
    return pages.flatMap((page, p) => page.map((row, i) => this.toCampaignBudget(row, account, endpoint, p, i)));
  }

  /**
   * Insights per ad set per account-local day. Up to `asyncAfterDays` days: the sync edge; longer, or when Meta
   * answers the sync call with "use a smaller range or async" (InsightsTooLargeError): async report runs, whose
   * failed jobs are split in halves down to single days. Rows come back only when every page of every part parsed.
   */
  async fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    const params = { level: 'adset', time_increment: '1', fields: INSIGHTS_FIELDS };
    const chunks = await this.insights(account, params, from, to, MetaInsightsPage, this.asyncInsights);
    return chunks.flatMap((chunk) =>
      chunk.pages.flatMap((page, p) => page.map((row, i) => this.toDailyMetric(row, account, chunk.endpoint, p, i))),
    );
  }

  /** See MetaAdLevel.getAds: `GET /act_{id}/ads` filtered on `id`. */
  getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    return this.adLevel.getAds(account, adIds);
  }

  /** See MetaAdLevel.fetchAdDailyMetrics: insights at `level=ad`, filtered on `ad.id`, sync or async as fetchDailyMetrics. */
  fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    return this.adLevel.fetchAdDailyMetrics(account, adIds, from, to);
  }

  /** See MetaAdLevel.setAdStatus: `POST /{ad_id}` with `status`, read back. */
  setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    return this.adLevel.setAdStatus(ad, status);
  }

  /**
   * The insights of [from, to] with `params` (level, fields, filtering): up to `asyncAfterDays` days the sync edge;
   * longer, or when Meta answers "use a smaller range or async" (InsightsTooLargeError), async report runs.
   */
  private async insights<Row>(
    account: AdAccount,
    params: Readonly<Record<string, string>>,
    from: LocalDate,
    to: LocalDate,
    schema: z.ZodType<MetaPage<Row>>,
    asyncInsights: AsyncInsights<Row>,
  ): Promise<InsightsChunk<Row>[]> {
    const node = metaAccountNode(account.accountId);
    const path = `/${node}/insights`;
    if (daysBetween(from, to) + 1 > this.asyncAfterDays) return asyncInsights.fetch(node, params, from, to);
    try {
      const query = { ...params, time_range: JSON.stringify({ since: from, until: to }), limit: String(this.pageSize) };
      return [{ endpoint: this.client.endpoint('GET', path), pages: await this.collect(path, query, schema) }];
    } catch (error) {
      if (!(error instanceof InsightsTooLargeError)) throw error;
      return asyncInsights.fetch(node, params, from, to);
    }
  }

  /**
   * Delivery per ad set per hour of one account-local day (the `hourly_stats_aggregated_by_advertiser_time_zone`
   * breakdown, sync edge: one day is small). Rows come back only when every page parsed.
   */
  async fetchHourlyMetrics(account: AdAccount, date: LocalDate): Promise<HourlyMetric[]> {
    const path = `/${metaAccountNode(account.accountId)}/insights`;
    const endpoint = this.client.endpoint('GET', path);
    const query = {
      level: 'adset',
      time_increment: '1',
      breakdowns: HOURLY_BREAKDOWN,
      time_range: JSON.stringify({ since: date, until: date }),
      fields: HOURLY_FIELDS,
      limit: String(this.pageSize),
    };
    const pages = await this.collect(path, query, MetaHourlyInsightsPage);
    return pages.flatMap((page, p) => page.map((row, index) => toHourlyMetric(row, account, date, { endpoint, page: p, index })));
  }

  /**
   * Writes the daily budget rounded DOWN to the currency's minor unit, then reads it back. An ad set with
   * budgetLevel 'campaign' (CBO) writes its CAMPAIGN's daily_budget (`POST /{campaign_id}`), which all the
   * campaign's ad sets share. Below Meta's minimum for the ad set's billing event: BudgetBelowMinimumError, and
   * nothing is written. `validateOnly` sends Meta's own dry run (`execution_options=["validate_only"]`).
   * Budget changes are limited to 4 per hour: the 5th is a RateLimitedError (code 17) carrying the hour's wait.
   */
  async setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    const node = this.budgetNode(adset);
    const endpoint = this.client.endpoint('POST', `/${node}`);
    const context = { platform: 'meta' as const, endpoint };
    if (adset.platform !== 'meta') throw new PlatformRequestError(`not a Meta ad set: ${adset.platform} ${adset.adsetId}`, context);
    assertMicros(dailyBudgetMicros);
    if (dailyBudgetMicros < 0) throw new PlatformRequestError(`a daily budget cannot be negative: ${dailyBudgetMicros}`, context);
    const minor = microsToMinorFloor(dailyBudgetMicros, adset.currency);
    const minimum = await this.minimumDailyBudgetMinor(adset);
    if (minor < minimum) {
      const requestedMicros = minorToMicros(minor, adset.currency);
      const minimumMicros = minorToMicros(minimum, adset.currency);
      throw new BudgetBelowMinimumError(
        `Meta ${endpoint}: daily budget ${minor} is below Meta's minimum of ${minimum} (minor units of ${adset.currency}); nothing written`,
        context,
        requestedMicros,
        minimumMicros,
      );
    }
    const body = options.validateOnly ? { daily_budget: minor, execution_options: ['validate_only'] } : { daily_budget: minor };
    await this.write(node, body, { budgetWrite: true });
    const readBack = await this.readDailyBudget(adset);
    if (readBack === undefined) {
      const readEndpoint = this.client.endpoint('GET', `/${node}`);
      throw new MalformedResponseError(
        `Meta ${readEndpoint}: daily_budget missing on read-back`,
        { platform: 'meta', endpoint: readEndpoint },
        'daily_budget',
      );
    }
    return { appliedMicros: minorToMicros(minor, adset.currency), readBackMicros: readBack };
  }

  /**
   * Pauses or re-activates the ad set itself (`POST /{adset_id}` with `status`, also under CBO: the status is the ad
   * set's own), then reads `status` and `effective_status` back and maps them as listAdSets does. An ad set whose
   * campaign is paused reads back PAUSED, so activating it there is a PlatformRequestError naming both statuses.
   * Meta refuses status changes of ARCHIVED and DELETED ad sets (a PlatformRequestError, code 100).
   */
  async setStatus(adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
    const endpoint = this.client.endpoint('POST', `/${adset.adsetId}`);
    const context = { platform: 'meta' as const, endpoint };
    if (adset.platform !== 'meta') throw new PlatformRequestError(`not a Meta ad set: ${adset.platform} ${adset.adsetId}`, context);
    await this.write(adset.adsetId, { status });
    const read = await withRetries(
      () => this.client.get(`/${adset.adsetId}`, { fields: 'id,status,effective_status' }, MetaAdSetStatusNode),
      this.retry,
    );
    const readBack = adSetStatus(read);
    if (readBack !== status) {
      const effective = read.effective_status === undefined ? '' : `, effective_status ${read.effective_status}`;
      throw new PlatformRequestError(
        `Meta ad set ${adset.adsetId}: wrote status ${status} but read back ${readBack} (status ${read.status}${effective})`,
        context,
      );
    }
    return { readBack };
  }

  /** A write to a node (`POST /{node}` with a JSON body answered `{"success": true}`), retried: it sets absolute values. */
  private async write(node: string, body: Readonly<Record<string, unknown>>, kind: MetaRequestKind = {}): Promise<void> {
    await withRetries(() => this.client.post(`/${node}`, body, MetaSuccess, kind), this.retry);
  }

  /**
   * The daily budget that funds the ad set now: its own, or its campaign's under CBO; null when there is none
   * ("0" or absent: a lifetime budget).
   */
  async getDailyBudget(adset: AdSet): Promise<number | null> {
    const micros = await this.readDailyBudget(adset);
    return micros === undefined || micros === 0 ? null : micros;
  }

  /** The node that holds the ad set's budget: the ad set, or its campaign under CBO. */
  private budgetNode(adset: AdSet): string {
    return adset.budgetLevel === 'campaign' ? adset.campaignId : adset.adsetId;
  }

  private async readDailyBudget(adset: AdSet): Promise<number | undefined> {
    const node = this.budgetNode(adset);
    const endpoint = this.client.endpoint('GET', `/${node}`);
    const schema = adset.budgetLevel === 'campaign' ? MetaCampaignBudgetNode : MetaAdSetBudget;
    const read = await withRetries(() => this.client.get(`/${node}`, { fields: 'id,daily_budget' }, schema), this.retry);
    return read.daily_budget === undefined ? undefined : this.minorToMicros(read.daily_budget, adset.currency, endpoint, 'daily_budget');
  }

  /**
   * Meta's minimum daily budget (minor units) for this ad set: its billing event picks the `minimum_budgets` entry.
   * For a CBO campaign the minimum of the ad set named is used **[U]** (Meta may require more of a campaign).
   */
  private async minimumDailyBudgetMinor(adset: AdSet): Promise<number> {
    const billing = await withRetries(
      () => this.client.get(`/${adset.adsetId}`, { fields: 'id,billing_event' }, MetaAdSetBilling),
      this.retry,
    );
    const node = metaAccountNode(adset.accountId);
    const path = `/${node}/minimum_budgets`;
    let minimums = this.minimums.get(node);
    if (minimums === undefined) {
      minimums = (await this.collect(path, {}, MetaMinimumBudgetsPage)).flat();
      this.minimums.set(node, minimums);
    }
    const entry = minimums.find((m) => m.currency === adset.currency);
    if (!entry) {
      const endpoint = this.client.endpoint('GET', path);
      throw new MalformedResponseError(`Meta ${endpoint}: no minimum budget for ${adset.currency}`, { platform: 'meta', endpoint }, 'data');
    }
    return minimumDailyBudgetMinor(entry, billing.billing_event);
  }

  /** Every page of an edge, following `paging.next` until it is absent (fewer rows than `limit` does not mean the end). */
  private async collect<Row>(path: string, params: Record<string, string>, schema: z.ZodType<MetaPage<Row>>): Promise<Row[][]> {
    const endpoint = this.client.endpoint('GET', path);
    let page = await withRetries(() => this.client.get(path, params, schema), this.retry);
    const pages: Row[][] = [page.data];
    for (let next = page.paging?.next; next !== undefined; next = page.paging?.next) {
      if (pages.length >= MAX_PAGES) {
        throw new MalformedResponseError(`Meta ${endpoint}: more than ${MAX_PAGES} pages`, { platform: 'meta', endpoint }, 'paging.next');
      }
      const url = next;
      page = await withRetries(() => this.client.getUrl(url, schema, endpoint), this.retry);
      pages.push(page.data);
    }
    return pages;
  }

  private toAdSet(row: MetaAdSet, account: AdAccount, endpoint: string, page: number, index: number): AdSet {
    const field = (name: string) => `data[${index}].${name}` + (page > 0 ? ` (page ${page + 1})` : '');
    // An ad set without a budget of its own is funded by its campaign (CBO): the campaign's daily budget is its budget.
    const budgetLevel = nonZero(row.daily_budget) || nonZero(row.lifetime_budget) ? 'adset' : 'campaign';
    const daily = budgetLevel === 'adset' ? row.daily_budget : row.campaign?.daily_budget;
    const dailyField = budgetLevel === 'adset' ? 'daily_budget' : 'campaign.daily_budget';
    const status = adSetStatus(row);
    return {
      platform: 'meta',
      accountId: account.accountId,
      adsetId: row.id,
      campaignId: row.campaign_id,
      name: row.name,
      campaignName: row.campaign?.name ?? '',
      status,
      currency: account.currency,
      dailyBudgetMicros: nonZero(daily) ? this.minorToMicros(daily, account.currency, endpoint, field(dailyField)) : null,
      budgetLevel,
      // FAIL ("learning limited") and SUCCESS have left the learning phase; only LEARNING is in it.
      learning: row.learning_stage_info?.status === 'LEARNING',
    };
  }

  private toCampaignBudget(row: MetaCampaign, account: AdAccount, endpoint: string, page: number, index: number): MetaCampaignBudget {
    const field = (name: string) => `data[${index}].${name}` + (page > 0 ? ` (page ${page + 1})` : '');
    return {
      campaignId: row.id,
      name: row.name,
      status: row.status,
      currency: account.currency,
      budgetLevel: nonZero(row.daily_budget) || nonZero(row.lifetime_budget) ? 'campaign' : 'adset',
      dailyBudgetMicros: nonZero(row.daily_budget)
        ? this.minorToMicros(row.daily_budget, account.currency, endpoint, field('daily_budget'))
        : null,
    };
  }

  private toDailyMetric(row: MetaInsightsRow, account: AdAccount, endpoint: string, page: number, index: number): DailyMetric {
    const field = (name: string) => `data[${index}].${name}` + (page > 0 ? ` (page ${page + 1})` : '');
    const fail = (name: string, why: string) =>
      new MalformedResponseError(`Meta ${endpoint}: ${field(name)} ${why}`, { platform: 'meta', endpoint, status: 200 }, field(name));
    if (row.date_start !== row.date_stop)
      throw fail('date_stop', `spans ${row.date_start}..${row.date_stop}, expected one day (time_increment=1)`);
    if (row.account_currency !== account.currency)
      throw fail('account_currency', `is ${row.account_currency}, the account reports in ${account.currency}`);
    const purchases = this.purchase(row.actions);
    const revenue = this.purchase(row.action_values);
    return {
      platform: 'meta',
      accountId: account.accountId,
      adsetId: row.adset_id,
      campaignId: row.campaign_id,
      date: row.date_start,
      currency: account.currency,
      spendMicros: this.decimal(row.spend, endpoint, field('spend')),
      revenueMicros: revenue ? this.decimal(revenue.stat.value, endpoint, field(`action_values[${revenue.index}].value`)) : 0,
      impressions: this.count(row.impressions, endpoint, field('impressions')),
      clicks: this.count(row.clicks, endpoint, field('clicks')),
      // Counts can be modelled (fractional); the metric row keeps whole conversions.
      conversions: purchases ? this.conversions(purchases.stat.value, endpoint, field(`actions[${purchases.index}].value`)) : 0,
    };
  }

  /** The entry of the configured purchase type only: summing omni_purchase, purchase and the pixel type would double count. */
  private purchase(stats: readonly MetaActionStat[] | undefined): { stat: MetaActionStat; index: number } | undefined {
    const index = stats?.findIndex((s) => s.action_type === this.purchaseType) ?? -1;
    const stat = stats?.[index];
    return stat ? { stat, index } : undefined;
  }

  private decimal(value: string, endpoint: string, field: string): number {
    try {
      return decimalToMicros(value);
    } catch (error) {
      throw new MalformedResponseError(
        `Meta ${endpoint}: ${field} is not an exact amount (${JSON.stringify(value)})`,
        { platform: 'meta', endpoint, cause: error },
        field,
      );
    }
  }

  private count(value: string, endpoint: string, field: string): number {
    const n = Number(value);
    if (!Number.isSafeInteger(n))
      throw new MalformedResponseError(`Meta ${endpoint}: ${field} is out of range`, { platform: 'meta', endpoint }, field);
    return n;
  }

  /** A purchase count, read exactly like an amount (it may be modelled, so fractional) and rounded to whole conversions. */
  private conversions(value: string, endpoint: string, field: string): number {
    return Math.round(this.decimal(value, endpoint, field) / 1_000_000);
  }

  private minorToMicros(value: string, currency: string, endpoint: string, field: string): number {
    try {
      const micros = minorToMicros(Number(value), currency);
      assertMicros(micros);
      return micros;
    } catch (error) {
      throw new MalformedResponseError(
        `Meta ${endpoint}: ${field} is not a budget in minor units (${JSON.stringify(value)})`,
        { platform: 'meta', endpoint, cause: error },
        field,
      );
    }
  }
}
