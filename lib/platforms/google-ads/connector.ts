/**
 * The Google Ads connector: the PlatformConnector port over the REST API (GAQL through searchStream,
 * `campaignBudgets:mutate` for budgets, `campaigns:mutate` for status), with bounded retries for throttles and
 * transient errors.
 *
 * What an "ad set" is here: a **campaign**. Google budgets live on the campaign's CampaignBudget, not on ad
 * groups, so the campaign is the unit a budget decision is about; its metrics are read per campaign per day
 * (adsetId = campaignId = campaign id, budgetLevel 'campaign'). A campaign on a shared budget (explicitly
 * shared, or used by several campaigns) or on a custom-period budget reports `dailyBudgetMicros: null`, so
 * the optimizer leaves it alone, and `setDailyBudget` refuses it: changing a shared budget moves every
 * campaign on it.
 *
 * @example
 *   const google = createGoogleAdsConnector({ apiVersion: 'v26', accessToken, developerToken, loginCustomerId: '1112223334' });
 *   const account = await google.getAccount('123-456-7890');
 *   const rows = await google.fetchDailyMetrics(account, '2026-10-01', '2026-10-30');
 *   const write = await google.setDailyBudget((await google.listAdSets(account))[0], 45_000_000); // 45.00
 *   await google.setStatus((await google.listAdSets(account))[0], 'PAUSED');                    // { readBack: 'PAUSED' }
 *
 * Ad level (AdLevelSource): an ad is an ad group ad (`FROM ad_group_ad`, id `ad_group_ad.ad.id`); its adsetId and
 * campaignId are its campaign's id, the unit listAdSets returns. Ads are read with GAQL filtered on the ad ids
 * (at most MAX_AD_IDS_PER_QUERY per query), and paused or enabled with `adGroupAds:mutate` on the ad group ad's
 * resource name (`customers/{c}/adGroupAds/{adGroupId}~{adId}`), read back with the same query.
 */
import type { z } from 'zod';
import type { Ad, AdAccount, AdDailyMetric, AdSet, DailyMetric, DailyMetricValues } from '../../model/ads.ts';
import { assertTimeZone, type LocalDate } from '../../model/dates.ts';
import { assertMicros } from '../../model/money.ts';
import type { AdLevelSource } from '../ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../errors.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, type RetryPolicy, retryPolicy, withRetries } from '../retry.ts';
import { chunks } from '../slices.ts';
import { GoogleAdsClient, normalizeCustomerId, type StreamRow } from './client.ts';
import {
  adDailyMetricsQuery,
  adsQuery,
  billableUnitQuery,
  CUSTOMER_QUERY,
  campaignIdOf,
  campaignQuery,
  campaignsQuery,
  dailyMetricsQuery,
  MAX_AD_IDS_PER_QUERY,
} from './gaql.ts';
import { AdMetricRow, AdRow, CampaignRow, CurrencyConstantRow, CustomerRow, MetricRow, MutateResponse } from './schemas.ts';
import { doubleToMicros, floorToUnit, int64ToNumber, microsToInt64, roundConversions } from './values.ts';

export const DEFAULT_GOOGLE_ADS_BASE_URL = 'https://googleads.googleapis.com';

export interface GoogleAdsConnectorOptions extends RetryOptions {
  /** API origin; default https://googleads.googleapis.com (or a proxy or the fake). */
  readonly baseUrl?: string;
  /** e.g. "v26". */
  readonly apiVersion: string;
  /** OAuth2 access token (scope adwords). */
  readonly accessToken: string;
  /** Sent as `developer-token` when not empty (Google now ignores it). */
  readonly developerToken?: string;
  /** Manager customer id for `login-customer-id`, when the customers are reached through a manager. */
  readonly loginCustomerId?: string;
  readonly fetch?: Fetch;
  /** Timeout per request (default 60 s: a searchStream over many campaigns takes a while). */
  readonly timeoutMs?: number;
  /** Wait after a throttle that names no `retryDelay` (default 30 s). */
  readonly defaultRetryAfterMs?: number;
}

/** The budget of one campaign as the connector reads it. */
interface CampaignBudgetState {
  readonly resourceName: string;
  readonly amountMicros: number | null;
  /** Why adpilot must not write it, or undefined when it may. */
  readonly notWritable: string | undefined;
}

const STATUS: Record<CampaignRow['campaign']['status'], AdSet['status']> = {
  ENABLED: 'ACTIVE',
  PAUSED: 'PAUSED',
  REMOVED: 'DELETED',
  // A status this API version cannot name: never treat it as delivering.
  UNKNOWN: 'PAUSED',
};

/** The campaign status adpilot writes for each status it sets. */
const WRITE_STATUS: Record<WritableStatus, 'ENABLED' | 'PAUSED'> = { ACTIVE: 'ENABLED', PAUSED: 'PAUSED' };

/** Creates the Google Ads connector (PlatformConnector with ad-level reads and writes) for one OAuth token. */
export function createGoogleAdsConnector(options: GoogleAdsConnectorOptions): PlatformConnector & AdLevelSource {
  return new GoogleAdsConnector(options);
}

class GoogleAdsConnector implements PlatformConnector, AdLevelSource {
  readonly platform = 'google-ads' as const;
  private readonly client: GoogleAdsClient;
  private readonly retry: RetryPolicy;
  /** billable_unit_micros per currency: constants, read once. */
  private readonly billableUnits = new Map<string, number>();

  constructor(options: GoogleAdsConnectorOptions) {
    this.client = new GoogleAdsClient({
      baseUrl: options.baseUrl ?? DEFAULT_GOOGLE_ADS_BASE_URL,
      apiVersion: options.apiVersion,
      accessToken: options.accessToken,
      ...(options.developerToken ? { developerToken: options.developerToken } : {}),
      ...(options.loginCustomerId ? { loginCustomerId: options.loginCustomerId } : {}),
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 60_000,
      defaultRetryAfterMs: options.defaultRetryAfterMs ?? 30_000,
    });
    this.retry = retryPolicy(options, 4);
  }

  async getAccount(accountId: string): Promise<AdAccount> {
    const customerId = normalizeCustomerId(accountId);
    const endpoint = this.searchEndpoint(customerId);
    const rows = await this.search(customerId, CUSTOMER_QUERY, CustomerRow);
    const first = rows[0];
    if (rows.length !== 1 || !first) {
      throw this.malformed(endpoint, '[0].results', `expected exactly one customer row, got ${rows.length}`);
    }
    const { customer } = first.row;
    if (customer.id !== customerId) {
      throw this.malformed(endpoint, `${first.path}.customer.id`, `is ${customer.id}, asked for ${customerId}`);
    }
    try {
      assertTimeZone(customer.timeZone);
    } catch (error) {
      throw this.malformed(
        endpoint,
        `${first.path}.customer.timeZone`,
        `is not an IANA time zone (${JSON.stringify(customer.timeZone)})`,
        error,
      );
    }
    return {
      platform: 'google-ads',
      accountId: customerId,
      name: customer.descriptiveName ?? '',
      currency: customer.currencyCode,
      timezone: customer.timeZone,
    };
  }

  async listAdSets(account: AdAccount): Promise<AdSet[]> {
    const customerId = normalizeCustomerId(account.accountId);
    const endpoint = this.searchEndpoint(customerId);
    const rows = await this.search(customerId, campaignsQuery(), CampaignRow);
    return rows.map(({ row, path }) => {
      const budget = this.budgetState(row, endpoint, path);
      return {
        platform: 'google-ads',
        accountId: customerId,
        adsetId: row.campaign.id,
        campaignId: row.campaign.id,
        name: row.campaign.name,
        campaignName: row.campaign.name,
        status: STATUS[row.campaign.status],
        currency: account.currency,
        dailyBudgetMicros: budget?.notWritable === undefined ? (budget?.amountMicros ?? null) : null,
        budgetLevel: 'campaign',
        learning: isLearning(row.campaign.biddingStrategySystemStatus),
      };
    });
  }

  async fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    const customerId = normalizeCustomerId(account.accountId);
    const endpoint = this.searchEndpoint(customerId);
    const query = dailyMetricsQuery(from, to);
    const rows = await this.search(customerId, query, MetricRow);
    const seen = new Set<string>();
    return rows.map(({ row, path }) => {
      const date = row.segments.date;
      if (date < from || date > to) throw this.malformed(endpoint, `${path}.segments.date`, `is ${date}, outside ${from}..${to}`);
      const key = `${row.campaign.id}|${date}`;
      if (seen.has(key)) throw this.malformed(endpoint, path, `repeats campaign ${row.campaign.id} on ${date}`);
      seen.add(key);
      return {
        platform: 'google-ads',
        accountId: customerId,
        adsetId: row.campaign.id,
        campaignId: row.campaign.id,
        date,
        ...this.metricValues(account, row.metrics, endpoint, path),
      };
    });
  }

  /** The ad group ads with these ad ids (any status); ids that are not digits or not found are absent. */
  async getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    const customerId = normalizeCustomerId(account.accountId);
    const wanted = [...new Set(adIds)].filter((id) => /^\d{1,20}$/.test(id));
    const out: Ad[] = [];
    for (const chunk of chunks(wanted, MAX_AD_IDS_PER_QUERY)) out.push(...(await this.adRows(customerId, chunk)).map((r) => r.ad));
    return out;
  }

  /** One row per ad per account-local date with delivery, per ad group ad; ads not found have no rows. */
  async fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    const customerId = normalizeCustomerId(account.accountId);
    const endpoint = this.searchEndpoint(customerId);
    const wanted = [...new Set(adIds)].filter((id) => /^\d{1,20}$/.test(id));
    const out: AdDailyMetric[] = [];
    const seen = new Set<string>();
    for (const chunk of chunks(wanted, MAX_AD_IDS_PER_QUERY)) {
      const asked = new Set(chunk);
      const rows = await this.search(customerId, adDailyMetricsQuery(chunk, from, to), AdMetricRow);
      for (const { row, path } of rows) {
        const adId = row.adGroupAd.ad.id;
        if (!asked.has(adId)) throw this.malformed(endpoint, `${path}.adGroupAd.ad.id`, `is ${adId}, which was not asked for`);
        const date = row.segments.date;
        if (date < from || date > to) throw this.malformed(endpoint, `${path}.segments.date`, `is ${date}, outside ${from}..${to}`);
        const key = `${adId}|${date}`;
        if (seen.has(key)) throw this.malformed(endpoint, path, `repeats ad ${adId} on ${date}`);
        seen.add(key);
        out.push({
          platform: 'google-ads',
          accountId: customerId,
          adId,
          adsetId: row.campaign.id,
          campaignId: row.campaign.id,
          date,
          ...this.metricValues(account, row.metrics, endpoint, path),
        });
      }
    }
    return out;
  }

  /**
   * Pauses or enables the ad group ad (`adGroupAds:mutate`, updateMask "status") found by its ad id, then reads
   * `ad_group_ad.status` back. Idempotent like the campaign status write, so the mutate is retried like a read.
   */
  async setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    const customerId = normalizeCustomerId(ad.accountId);
    const endpoint = this.client.endpoint(customerId, 'adGroupAds:mutate');
    const context = { platform: 'google-ads' as const, endpoint };
    if (ad.platform !== 'google-ads') throw new PlatformRequestError(`not a Google Ads ad: ${ad.platform} ${ad.adId}`, context);
    const before = await this.oneAd(customerId, ad.adId);
    if (!before) throw new PlatformRequestError(`Google Ads ad ${ad.adId} was not found in customer ${customerId}`, context);
    const written = WRITE_STATUS[status];
    const body = {
      operations: [{ updateMask: 'status', update: { resourceName: before.resourceName, status: written } }],
      partialFailure: false,
      validateOnly: false,
    };
    await this.mutate(customerId, 'adGroupAds:mutate', body, before.resourceName);
    const after = await this.oneAd(customerId, ad.adId);
    if (!after) throw this.malformed(this.searchEndpoint(customerId), '[0].results', `ad ${ad.adId} is missing on read-back`);
    if (after.ad.status !== status) {
      throw new PlatformRequestError(
        `Google Ads ad ${ad.adId}: wrote status ${status} (${written}) but read back ${after.ad.status} (${after.wireStatus})`,
        context,
      );
    }
    return { readBack: after.ad.status };
  }

  private async oneAd(customerId: string, adId: string): Promise<{ ad: Ad; resourceName: string; wireStatus: string } | undefined> {
    const rows = await this.adRows(customerId, [adId]);
    if (rows.length > 1)
      throw this.malformed(this.searchEndpoint(customerId), '[0].results', `holds ${rows.length} ad group ads for ad ${adId}`);
    return rows[0];
  }

  /** The ads of one query, each with the resource name a write needs; an ad id repeated across ad groups is malformed. */
  private async adRows(customerId: string, adIds: readonly string[]): Promise<{ ad: Ad; resourceName: string; wireStatus: string }[]> {
    const endpoint = this.searchEndpoint(customerId);
    const asked = new Set(adIds);
    const seen = new Set<string>();
    return (await this.search(customerId, adsQuery(adIds), AdRow)).map(({ row, path }) => {
      const { adGroupAd } = row;
      const adId = adGroupAd.ad.id;
      if (!asked.has(adId)) throw this.malformed(endpoint, `${path}.adGroupAd.ad.id`, `is ${adId}, which was not asked for`);
      if (seen.has(adId)) throw this.malformed(endpoint, `${path}.adGroupAd.ad.id`, `repeats ad ${adId}`);
      seen.add(adId);
      if (!adGroupAd.resourceName.endsWith(`/adGroupAds/${row.adGroup.id}~${adId}`)) {
        throw this.malformed(
          endpoint,
          `${path}.adGroupAd.resourceName`,
          `is ${adGroupAd.resourceName}, not ad group ${row.adGroup.id} ad ${adId}`,
        );
      }
      return {
        ad: {
          platform: 'google-ads',
          accountId: customerId,
          adId,
          adsetId: row.campaign.id,
          campaignId: row.campaign.id,
          name: adGroupAd.ad.name ?? '',
          status: STATUS[adGroupAd.status],
        },
        resourceName: adGroupAd.resourceName,
        wireStatus: adGroupAd.status,
      };
    });
  }

  /** The normalized values of a metrics object, each converted exactly or named in a MalformedResponseError. */
  private metricValues(account: AdAccount, m: MetricRow['metrics'], endpoint: string, path: string): DailyMetricValues {
    return {
      currency: account.currency,
      spendMicros: this.convert(() => int64ToNumber(m.costMicros), endpoint, `${path}.metrics.costMicros`),
      revenueMicros: this.convert(() => doubleToMicros(m.conversionsValue), endpoint, `${path}.metrics.conversionsValue`),
      impressions: this.convert(() => int64ToNumber(m.impressions), endpoint, `${path}.metrics.impressions`),
      clicks: this.convert(() => int64ToNumber(m.clicks), endpoint, `${path}.metrics.clicks`),
      conversions: this.convert(() => roundConversions(m.conversions), endpoint, `${path}.metrics.conversions`),
    };
  }

  /** The campaign's daily budget now; null without a budget, or with one adpilot must not write (shared, custom period). */
  async getDailyBudget(adset: AdSet): Promise<number | null> {
    const budget = await this.readBudget(adset);
    return budget === undefined || budget.notWritable !== undefined ? null : budget.amountMicros;
  }

  /**
   * Writes the campaign budget's `amountMicros`, rounded DOWN to the currency's billable unit, then reads it
   * back. Shared and custom-period budgets are refused before anything is sent. Setting an absolute amount is
   * idempotent, so the mutate is retried like a read.
   */
  async setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    const customerId = normalizeCustomerId(adset.accountId);
    const endpoint = this.client.endpoint(customerId, 'campaignBudgets:mutate');
    const context = { platform: 'google-ads' as const, endpoint };
    if (adset.platform !== 'google-ads')
      throw new PlatformRequestError(`not a Google Ads campaign: ${adset.platform} ${adset.adsetId}`, context);
    assertMicros(dailyBudgetMicros);
    if (dailyBudgetMicros < 0) throw new PlatformRequestError(`a daily budget cannot be negative: ${dailyBudgetMicros}`, context);
    const budget = await this.readBudget(adset);
    if (budget === undefined) throw new PlatformRequestError(`campaign ${adset.adsetId} has no campaign budget`, context);
    if (budget.notWritable !== undefined) {
      throw new PlatformRequestError(`campaign ${adset.adsetId}: ${budget.notWritable}; adpilot leaves it alone`, context);
    }
    const unit = await this.billableUnit(customerId, adset.currency);
    const amount = floorToUnit(dailyBudgetMicros, unit);
    const body = {
      operations: [{ updateMask: 'amountMicros', update: { resourceName: budget.resourceName, amountMicros: microsToInt64(amount) } }],
      partialFailure: false,
      validateOnly: options.validateOnly === true,
    };
    await this.mutate(customerId, 'campaignBudgets:mutate', body, options.validateOnly ? undefined : budget.resourceName);
    const after = await this.readBudget(adset);
    if (after?.amountMicros === null || after?.amountMicros === undefined) {
      throw this.malformed(this.searchEndpoint(customerId), '[0].results[0].campaignBudget.amountMicros', 'missing on read-back');
    }
    return { appliedMicros: amount, readBackMicros: after.amountMicros };
  }

  /**
   * Pauses or enables the campaign (`campaigns:mutate` with updateMask "status": ENABLED or PAUSED), then reads
   * `campaign.status` back with the same query as the budget read-back. Setting an absolute status is idempotent,
   * so the mutate is retried like a read. Google refuses a REMOVED campaign (a PlatformRequestError).
   */
  async setStatus(adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
    const customerId = normalizeCustomerId(adset.accountId);
    const endpoint = this.client.endpoint(customerId, 'campaigns:mutate');
    const context = { platform: 'google-ads' as const, endpoint };
    if (adset.platform !== 'google-ads')
      throw new PlatformRequestError(`not a Google Ads campaign: ${adset.platform} ${adset.adsetId}`, context);
    const resourceName = `customers/${customerId}/campaigns/${campaignIdOf(adset.adsetId)}`;
    const written = WRITE_STATUS[status];
    const body = {
      operations: [{ updateMask: 'status', update: { resourceName, status: written } }],
      partialFailure: false,
      validateOnly: false,
    };
    await this.mutate(customerId, 'campaigns:mutate', body, resourceName);
    const { row } = await this.campaign(adset);
    const readBack = STATUS[row.campaign.status];
    if (readBack !== status) {
      throw new PlatformRequestError(
        `Google Ads campaign ${adset.adsetId}: wrote status ${status} (${written}) but read back ${readBack} (${row.campaign.status})`,
        context,
      );
    }
    return { readBack };
  }

  /** Sends a mutate, retried (its operations set absolute values), and checks that it names `resourceName` (undefined: a validate-only call, which returns no results). */
  private async mutate(
    customerId: string,
    method: string,
    body: Readonly<Record<string, unknown>>,
    resourceName: string | undefined,
  ): Promise<void> {
    const answer = await withRetries(() => this.client.mutate(customerId, method, body, MutateResponse), this.retry);
    if (resourceName !== undefined && answer.results[0]?.resourceName !== resourceName) {
      throw this.malformed(
        this.client.endpoint(customerId, method),
        'results[0].resourceName',
        `is ${JSON.stringify(answer.results[0]?.resourceName)}, wrote ${resourceName}`,
      );
    }
  }

  /** The campaign's row (status and budget) as the campaign query reads it now. */
  private async campaign(adset: AdSet): Promise<{ row: CampaignRow; path: string; endpoint: string }> {
    const customerId = normalizeCustomerId(adset.accountId);
    const endpoint = this.searchEndpoint(customerId);
    const rows = await this.search(customerId, campaignQuery(adset.adsetId), CampaignRow);
    const first = rows[0];
    if (rows.length !== 1 || !first)
      throw this.malformed(endpoint, '[0].results', `expected campaign ${adset.adsetId}, got ${rows.length} rows`);
    if (first.row.campaign.id !== adset.adsetId) {
      throw this.malformed(endpoint, `${first.path}.campaign.id`, `is ${first.row.campaign.id}, asked for ${adset.adsetId}`);
    }
    return { ...first, endpoint };
  }

  private async readBudget(adset: AdSet): Promise<CampaignBudgetState | undefined> {
    const { row, path, endpoint } = await this.campaign(adset);
    return this.budgetState(row, endpoint, path);
  }

  private budgetState(row: CampaignRow, endpoint: string, path: string): CampaignBudgetState | undefined {
    const budget = row.campaignBudget;
    if (!budget) return undefined;
    const int64 = (value: string | undefined, name: string) =>
      value === undefined ? undefined : this.convert(() => int64ToNumber(value), endpoint, `${path}.campaignBudget.${name}`);
    const references = int64(budget.referenceCount, 'referenceCount') ?? 1;
    const amountMicros = int64(budget.amountMicros, 'amountMicros') ?? null;
    // proto3 JSON leaves out an enum at its default; a budget's period defaults to DAILY.
    const period = budget.period ?? 'DAILY';
    if (period === 'DAILY' && amountMicros === null) {
      throw this.malformed(endpoint, `${path}.campaignBudget.amountMicros`, 'is missing on a daily budget');
    }
    let notWritable: string | undefined;
    if (budget.explicitlyShared === true) notWritable = `budget ${budget.id} is a shared budget`;
    else if (references > 1) notWritable = `budget ${budget.id} is used by ${references} campaigns`;
    else if (period !== 'DAILY') notWritable = `budget ${budget.id} has period ${period}, not a daily amount`;
    return { resourceName: budget.resourceName, amountMicros, notWritable };
  }

  private async billableUnit(customerId: string, currency: string): Promise<number> {
    const known = this.billableUnits.get(currency);
    if (known !== undefined) return known;
    const endpoint = this.searchEndpoint(customerId);
    const rows = await this.search(customerId, billableUnitQuery(currency), CurrencyConstantRow);
    const match = rows.find(({ row }) => row.currencyConstant.code === currency);
    if (!match) throw this.malformed(endpoint, '[0].results', `no currency constant for ${currency}`);
    const path = `${match.path}.currencyConstant.billableUnitMicros`;
    const unit = this.convert(() => int64ToNumber(match.row.currencyConstant.billableUnitMicros), endpoint, path);
    if (unit <= 0) throw this.malformed(endpoint, path, `is ${unit}, expected a positive unit`);
    this.billableUnits.set(currency, unit);
    return unit;
  }

  private search<S extends z.ZodType>(customerId: string, query: string, row: S): Promise<StreamRow<z.infer<S>>[]> {
    return withRetries(() => this.client.searchStream(customerId, query, row), this.retry);
  }

  private searchEndpoint(customerId: string): string {
    return this.client.endpoint(customerId, 'googleAds:searchStream');
  }

  private convert(read: () => number, endpoint: string, field: string): number {
    try {
      return read();
    } catch (error) {
      throw this.malformed(endpoint, field, `cannot be read exactly (${error instanceof Error ? error.message : String(error)})`, error);
    }
  }

  private malformed(endpoint: string, field: string, why: string, cause?: unknown): MalformedResponseError {
    return new MalformedResponseError(
      `Google Ads ${endpoint}: ${field} ${why}`,
      { platform: 'google-ads', endpoint, status: 200, ...(cause === undefined ? {} : { cause }) },
      field,
    );
  }
}

/** LEARNING_NEW, LEARNING_BUDGET_CHANGE, … and MULTIPLE_LEARNING: Smart Bidding is (re)learning. */
function isLearning(status: string | undefined): boolean {
  return status !== undefined && (status.startsWith('LEARNING_') || status === 'MULTIPLE_LEARNING');
}
