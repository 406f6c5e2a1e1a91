/**
 * The TikTok connector: the PlatformConnector port over the TikTok API for Business v1.3
 * (../shared/PLATFORM_APIS.md §3), with bounded retries for throttles (`code` 40100 in an HTTP 200) and
 * transient errors.
 *
 * An "ad set" is a TikTok **ad group**. Metrics come from `report/integrated/get` per ad group per day
 * (AUCTION_ADGROUP, dimensions adgroup_id + stat_time_day), in slices of at most 30 days, page by page.
 * Conversions are `complete_payment`, revenue is `total_complete_payment_rate` ([U]: the total purchase value).
 * An ad group with `BUDGET_MODE_INFINITE` is funded by its campaign (campaign budget optimization): budgetLevel
 * 'campaign', no daily budget, and `setDailyBudget` refuses it. `BUDGET_MODE_TOTAL` is a lifetime budget: null.
 *
 * @example
 *   const tiktok = createTikTokConnector({ accessToken });
 *   const account = await tiktok.getAccount('7000000000000000001');
 *   const rows = await tiktok.fetchDailyMetrics(account, '2026-09-01', '2026-10-30'); // two slices
 *   await tiktok.setDailyBudget((await tiktok.listAdSets(account))[0], 45_000_000);    // budget: 45
 *   await tiktok.setStatus((await tiktok.listAdSets(account))[0], 'PAUSED');           // operation_status: DISABLE
 *   const [ad] = await tiktok.getAds(account, ['170000000000000101']);                 // ad/get, filtering ad_ids
 *   await tiktok.fetchAdDailyMetrics(account, [ad.adId], '2026-10-01', '2026-10-14');  // AUCTION_AD, [ad_id, stat_time_day]
 *   await tiktok.setAdStatus(ad, 'PAUSED');                                            // ad/status/update: DISABLE
 */
import type { z } from 'zod';
import type { Ad, AdAccount, AdDailyMetric, AdSet, DailyMetric } from '../../model/ads.ts';
import { assertTimeZone, type LocalDate } from '../../model/dates.ts';
import type { AdLevelSource } from '../ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../errors.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, type RetryPolicy, retryPolicy, withRetries } from '../retry.ts';
import { dateSlices, idChunks } from '../slices.ts';
import { type QueryValue, TikTokClient } from './client.ts';
import {
  type AdGroup,
  AdGroupPage,
  AdGroupStatusUpdate,
  AdGroupUpdate,
  AdPage,
  AdReportPage,
  type AdReportRow,
  AdStatusUpdate,
  AdvertiserInfo,
  type ReportMetrics,
  ReportPage,
  type TikTokAd,
} from './schemas.ts';
import { budgetToMajor, countToNumber, moneyToMicros, statDay } from './values.ts';

export const DEFAULT_TIKTOK_BASE_URL = 'https://business-api.tiktok.com';
/** With `stat_time_day` a report may span at most 30 days. */
export const MAX_REPORT_DAYS = 30;
/** TikTok's largest page. */
export const MAX_PAGE_SIZE = 1000;
/** Ad ids per `ad/get` filter and per report `ad_ids` filter ([U] TikTok documents 100 for `ad/get`; the report is assumed alike). */
export const MAX_AD_IDS_PER_CALL = 100;

export interface TikTokConnectorOptions extends RetryOptions {
  /** API origin; default https://business-api.tiktok.com (or the sandbox, a proxy or the fake). */
  readonly baseUrl?: string;
  readonly accessToken: string;
  readonly fetch?: Fetch;
  /** Timeout per request (default 60 s). */
  readonly timeoutMs?: number;
  /** Wait after a throttle (default 2 s): TikTok names none. */
  readonly defaultRetryAfterMs?: number;
  /** Rows per page (default and max 1000). */
  readonly pageSize?: number;
}

const STATUS: Record<AdGroup['operation_status'], AdSet['status']> = {
  ENABLE: 'ACTIVE',
  DISABLE: 'PAUSED',
  DELETE: 'DELETED',
  // Frozen by TikTok (e.g. a policy review): it does not deliver.
  FROZEN: 'PAUSED',
};

/** The `operation_status` adpilot writes for each status it sets. */
const OPERATION_STATUS: Record<WritableStatus, 'ENABLE' | 'DISABLE'> = { ACTIVE: 'ENABLE', PAUSED: 'DISABLE' };

const REPORT_METRICS = ['spend', 'impressions', 'clicks', 'complete_payment', 'total_complete_payment_rate', 'campaign_id'];
const ADGROUP_FIELDS = ['adgroup_id', 'adgroup_name', 'campaign_id', 'campaign_name', 'operation_status', 'budget_mode', 'budget'];
const AD_FIELDS = ['ad_id', 'ad_name', 'adgroup_id', 'campaign_id', 'operation_status'];

/** Creates the TikTok connector (PlatformConnector, plus ad-level reads and writes) for one access token. */
export function createTikTokConnector(options: TikTokConnectorOptions): PlatformConnector & AdLevelSource {
  return new TikTokConnector(options);
}

/** A page of a paged list endpoint. */
interface Paged<Row> {
  readonly list: Row[];
  readonly page_info: { readonly page: number; readonly total_page: number };
}

class TikTokConnector implements PlatformConnector, AdLevelSource {
  readonly platform = 'tiktok' as const;
  private readonly client: TikTokClient;
  private readonly retry: RetryPolicy;
  private readonly pageSize: number;

  constructor(options: TikTokConnectorOptions) {
    this.client = new TikTokClient({
      baseUrl: options.baseUrl ?? DEFAULT_TIKTOK_BASE_URL,
      accessToken: options.accessToken,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 60_000,
      defaultRetryAfterMs: options.defaultRetryAfterMs ?? 2_000,
    });
    // 6 attempts: TikTok throttles often and names no wait (Airbyte retries throttles 7 times).
    this.retry = retryPolicy(options, 6);
    this.pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
  }

  async getAccount(accountId: string): Promise<AdAccount> {
    const endpoint = this.client.endpoint('GET', 'advertiser/info');
    const params = { advertiser_ids: [accountId], fields: ['advertiser_id', 'name', 'currency', 'timezone'] };
    const info = await this.call(() => this.client.get('advertiser/info', params, AdvertiserInfo));
    const index = info.list.findIndex((a) => a.advertiser_id === accountId);
    const advertiser = info.list[index];
    if (!advertiser) throw this.malformed(endpoint, 'data.list', `does not hold advertiser ${accountId}`);
    try {
      assertTimeZone(advertiser.timezone);
    } catch (error) {
      throw this.malformed(
        endpoint,
        `data.list[${index}].timezone`,
        `is not an IANA time zone (${JSON.stringify(advertiser.timezone)})`,
        error,
      );
    }
    return { platform: 'tiktok', accountId, name: advertiser.name, currency: advertiser.currency, timezone: advertiser.timezone };
  }

  async listAdSets(account: AdAccount): Promise<AdSet[]> {
    const groups = await this.adGroups(account.accountId, undefined);
    return groups.map(({ group, path }) => this.toAdSet(account, group, path));
  }

  async fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    const endpoint = this.client.endpoint('GET', 'report/integrated/get');
    const out: DailyMetric[] = [];
    const seen = new Set<string>();
    for (const slice of dateSlices(from, to, MAX_REPORT_DAYS)) {
      const params = reportParams(account, slice, {
        data_level: 'AUCTION_ADGROUP',
        dimensions: ['adgroup_id', 'stat_time_day'],
        metrics: REPORT_METRICS,
      });
      // A page is converted whole inside its retried request: a bad page is fetched again, and returns nothing when it stays bad.
      const rows = await this.pages('report/integrated/get', ReportPage, params, (page, number) =>
        page.list.map((row, i) => this.metricRow(account, row, row.dimensions.adgroup_id, `data.list[${i}]`, number, slice, endpoint)),
      );
      for (const row of rows) {
        const key = `${row.adsetId}|${row.date}`;
        if (seen.has(key)) throw this.malformed(endpoint, 'data.list', `repeats ad group ${row.adsetId} on ${row.date}`);
        seen.add(key);
        out.push(row);
      }
    }
    return out;
  }

  /** One report row (any data level) as a DailyMetric of ad set `adsetId`; `path` names the row in errors. */
  private metricRow(
    account: AdAccount,
    row: { readonly dimensions: { readonly stat_time_day: string }; readonly metrics: ReportMetrics },
    adsetId: string,
    path: string,
    number: number,
    slice: { from: LocalDate; to: LocalDate },
    endpoint: string,
  ): DailyMetric {
    const date = this.convert(() => statDay(row.dimensions.stat_time_day), endpoint, `${path}.dimensions.stat_time_day`, number);
    if (date < slice.from || date > slice.to) {
      throw this.malformed(endpoint, `${path}.dimensions.stat_time_day`, `is ${date}, outside ${slice.from}..${slice.to} (page ${number})`);
    }
    const m = row.metrics;
    const money = (name: 'spend' | 'total_complete_payment_rate') =>
      this.convert(() => moneyToMicros(m[name]), endpoint, `${path}.metrics.${name}`, number);
    const count = (name: 'impressions' | 'clicks' | 'complete_payment') =>
      this.convert(() => countToNumber(m[name]), endpoint, `${path}.metrics.${name}`, number);
    return {
      platform: 'tiktok',
      accountId: account.accountId,
      adsetId,
      campaignId: m.campaign_id,
      date,
      currency: account.currency,
      spendMicros: money('spend'),
      revenueMicros: money('total_complete_payment_rate'),
      impressions: count('impressions'),
      clicks: count('clicks'),
      conversions: count('complete_payment'),
    };
  }

  /** The ads with these ids (`ad/get` filtered on `ad_ids`, at most 100 ids per call); unknown ids are absent. */
  async getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    const out: Ad[] = [];
    for (const chunk of idChunks(adIds, MAX_AD_IDS_PER_CALL))
      out.push(...(await this.ads(account.accountId, chunk)).map(({ ad }) => toAd(account.accountId, ad)));
    return out;
  }

  /**
   * Delivery per ad per account-local day: `report/integrated/get` at AUCTION_AD with dimensions [ad_id, stat_time_day]
   * and an `ad_ids` IN filter, in slices of at most 30 days and 100 ads, page by page. The ad's ad group is the
   * `adgroup_id` attribute metric. A row for an ad not asked for, or repeated, is a MalformedResponseError.
   */
  async fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    const endpoint = this.client.endpoint('GET', 'report/integrated/get');
    const out: AdDailyMetric[] = [];
    const seen = new Set<string>();
    for (const chunk of idChunks(adIds, MAX_AD_IDS_PER_CALL)) {
      const wanted = new Set(chunk);
      for (const slice of dateSlices(from, to, MAX_REPORT_DAYS)) {
        const params = reportParams(account, slice, {
          data_level: 'AUCTION_AD',
          dimensions: ['ad_id', 'stat_time_day'],
          metrics: [...REPORT_METRICS, 'adgroup_id'],
          // [U] the report's ad filter: field_name ad_ids, the values as a JSON-encoded string (as TikTok's filter examples).
          filtering: [{ field_name: 'ad_ids', filter_type: 'IN', filter_value: JSON.stringify(chunk) }],
        });
        const rows = await this.pages('report/integrated/get', AdReportPage, params, (page, number) =>
          page.list.map((row, i) => this.adMetricRow(account, row, `data.list[${i}]`, number, slice, endpoint, wanted)),
        );
        for (const row of rows) {
          const key = `${row.adId}|${row.date}`;
          if (seen.has(key)) throw this.malformed(endpoint, 'data.list', `repeats ad ${row.adId} on ${row.date}`);
          seen.add(key);
          out.push(row);
        }
      }
    }
    return out;
  }

  private adMetricRow(
    account: AdAccount,
    row: AdReportRow,
    path: string,
    number: number,
    slice: { from: LocalDate; to: LocalDate },
    endpoint: string,
    wanted: ReadonlySet<string>,
  ): AdDailyMetric {
    const adId = row.dimensions.ad_id;
    if (!wanted.has(adId)) throw this.malformed(endpoint, `${path}.dimensions.ad_id`, `is ${adId}, an ad not asked for (page ${number})`);
    return { ...this.metricRow(account, row, row.metrics.adgroup_id, path, number, slice, endpoint), adId };
  }

  /**
   * Enables or disables one ad (`ad/status/update` with `ad_ids` and `operation_status` ENABLE or DISABLE
   * [U]: not in PLATFORM_APIS.md, shape from TikTok's SDK), then reads `operation_status` back from `ad/get`.
   * Setting an absolute status is idempotent, so the update is retried like a read.
   */
  async setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    const context = { platform: 'tiktok' as const, endpoint: this.client.endpoint('POST', 'ad/status/update') };
    if (ad.platform !== 'tiktok') throw new PlatformRequestError(`not a TikTok ad: ${ad.platform} ${ad.adId}`, context);
    const written = OPERATION_STATUS[status];
    const body = { advertiser_id: ad.accountId, ad_ids: [ad.adId], operation_status: written };
    const answer = await this.call(() => this.client.post('ad/status/update', body, AdStatusUpdate));
    if (answer.ad_ids !== undefined && !answer.ad_ids.includes(ad.adId))
      throw this.malformed(context.endpoint, 'data.ad_ids', `does not hold ${ad.adId}`);
    const found = (await this.ads(ad.accountId, [ad.adId])).find((a) => a.ad.ad_id === ad.adId);
    if (!found) throw this.malformed(this.client.endpoint('GET', 'ad/get'), 'data.list', `does not hold ad ${ad.adId}`);
    const readBack = STATUS[found.ad.operation_status];
    if (readBack !== status) {
      throw new PlatformRequestError(
        `TikTok ad ${ad.adId}: wrote status ${status} (${written}) but read back ${readBack} (${found.ad.operation_status})`,
        context,
      );
    }
    return { readBack };
  }

  /** `ad/get` for at most 100 ad ids ([U] `ad/get` is not in PLATFORM_APIS.md; filtering `ad_ids` as TikTok's SDK). */
  private async ads(advertiserId: string, ids: readonly string[]): Promise<{ ad: TikTokAd; path: string }[]> {
    const params = { advertiser_id: advertiserId, fields: AD_FIELDS, filtering: { ad_ids: ids } };
    return this.pages('ad/get', AdPage, params, (page, number) =>
      page.list.map((ad, i) => ({ ad, path: `data.list[${i}] (page ${number})` })),
    );
  }

  async getDailyBudget(adset: AdSet): Promise<number | null> {
    const { group, path } = await this.adGroup(adset);
    return this.dailyBudgetOf(group, path);
  }

  /**
   * Writes the ad group's `budget` in decimal major units, rounded DOWN to the billable unit, then reads it back.
   * Setting an absolute amount is idempotent, so the update is retried like a read. TikTok has no dry run: with
   * `validateOnly` nothing is sent and the current budget is read back.
   */
  async setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    const context = this.writeContext(adset, 'adgroup/update');
    if (!Number.isSafeInteger(dailyBudgetMicros) || dailyBudgetMicros < 0) {
      throw new PlatformRequestError(`a daily budget is whole micros >= 0, got ${dailyBudgetMicros}`, context);
    }
    const before = await this.adGroup(adset);
    if (before.group.budget_mode === 'BUDGET_MODE_INFINITE') {
      throw new PlatformRequestError(
        `ad group ${adset.adsetId} is funded by its campaign budget; adpilot does not write campaign budgets`,
        context,
      );
    }
    if (before.group.budget_mode === 'BUDGET_MODE_TOTAL') {
      throw new PlatformRequestError(`ad group ${adset.adsetId} has a lifetime budget, not a daily one`, context);
    }
    const { appliedMicros, budget } = budgetToMajor(dailyBudgetMicros, adset.currency);
    if (!options.validateOnly) {
      const body = { advertiser_id: adset.accountId, adgroup_id: adset.adsetId, budget };
      const answer = await this.call(() => this.client.post('adgroup/update', body, AdGroupUpdate));
      if (answer.adgroup_id !== adset.adsetId)
        throw this.malformed(context.endpoint, 'data.adgroup_id', `is ${answer.adgroup_id}, wrote ${adset.adsetId}`);
    }
    const after = await this.adGroup(adset);
    const readBack = this.dailyBudgetOf(after.group, after.path);
    if (readBack === null)
      throw this.malformed(this.client.endpoint('GET', 'adgroup/get'), `${after.path}.budget`, 'is not a daily budget on read-back');
    return { appliedMicros, readBackMicros: readBack };
  }

  /**
   * Enables or disables the ad group (`adgroup/status/update` with `operation_status` ENABLE or DISABLE, no partial
   * success), then reads `operation_status` back from `adgroup/get`. Setting an absolute status is idempotent, so the
   * update is retried like a read. TikTok refuses a deleted ad group (a PlatformRequestError).
   */
  async setStatus(adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
    const context = this.writeContext(adset, 'adgroup/status/update');
    const written = OPERATION_STATUS[status];
    const body = { advertiser_id: adset.accountId, adgroup_ids: [adset.adsetId], operation_status: written, allow_partial_success: false };
    const answer = await this.call(() => this.client.post('adgroup/status/update', body, AdGroupStatusUpdate));
    if (answer.adgroup_ids !== undefined && !answer.adgroup_ids.includes(adset.adsetId))
      throw this.malformed(context.endpoint, 'data.adgroup_ids', `does not hold ${adset.adsetId}`);
    const { group } = await this.adGroup(adset);
    const readBack = STATUS[group.operation_status];
    if (readBack !== status) {
      throw new PlatformRequestError(
        `TikTok ad group ${adset.adsetId}: wrote status ${status} (${written}) but read back ${readBack} (${group.operation_status})`,
        context,
      );
    }
    return { readBack };
  }

  /** The error context of a write to `path`, after checking that the ad set is a TikTok ad group. */
  private writeContext(adset: AdSet, path: string): { platform: 'tiktok'; endpoint: string } {
    const context = { platform: 'tiktok' as const, endpoint: this.client.endpoint('POST', path) };
    if (adset.platform !== 'tiktok') throw new PlatformRequestError(`not a TikTok ad group: ${adset.platform} ${adset.adsetId}`, context);
    return context;
  }

  private toAdSet(account: AdAccount, group: AdGroup, path: string): AdSet {
    return {
      platform: 'tiktok',
      accountId: account.accountId,
      adsetId: group.adgroup_id,
      campaignId: group.campaign_id,
      name: group.adgroup_name,
      campaignName: group.campaign_name ?? '',
      status: STATUS[group.operation_status],
      currency: account.currency,
      dailyBudgetMicros: this.dailyBudgetOf(group, path),
      budgetLevel: group.budget_mode === 'BUDGET_MODE_INFINITE' ? 'campaign' : 'adset',
      learning: false,
    };
  }

  private dailyBudgetOf(group: AdGroup, path: string): number | null {
    if (group.budget_mode !== 'BUDGET_MODE_DAY' && group.budget_mode !== 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET') return null;
    const endpoint = this.client.endpoint('GET', 'adgroup/get');
    if (group.budget === null || group.budget === undefined)
      throw this.malformed(endpoint, `${path}.budget`, 'is missing on a daily budget');
    const budget = group.budget;
    return this.convert(() => moneyToMicros(budget), endpoint, `${path}.budget`);
  }

  private async adGroup(adset: AdSet): Promise<{ group: AdGroup; path: string }> {
    const groups = await this.adGroups(adset.accountId, [adset.adsetId]);
    const found = groups.find(({ group }) => group.adgroup_id === adset.adsetId);
    if (!found) throw this.malformed(this.client.endpoint('GET', 'adgroup/get'), 'data.list', `does not hold ad group ${adset.adsetId}`);
    return found;
  }

  private async adGroups(advertiserId: string, ids: readonly string[] | undefined): Promise<{ group: AdGroup; path: string }[]> {
    const params = {
      advertiser_id: advertiserId,
      fields: ADGROUP_FIELDS,
      ...(ids === undefined ? {} : { filtering: { adgroup_ids: ids } }),
    };
    return this.pages('adgroup/get', AdGroupPage, params, (page, number) =>
      page.list.map((group, i) => ({ group, path: `data.list[${i}] (page ${number})` })),
    );
  }

  /** Every page of a paged GET (`page` from 1 until `page >= total_page`), each converted by `convert` inside its retried request. */
  private async pages<Row, Out>(
    path: string,
    schema: z.ZodType<Paged<Row>>,
    params: Readonly<Record<string, QueryValue>>,
    convert: (page: Paged<Row>, number: number) => Out[],
  ): Promise<Out[]> {
    const endpoint = this.client.endpoint('GET', path);
    const out: Out[] = [];
    for (let number = 1; ; number++) {
      const { rows, totalPages } = await this.call(async () => {
        const page = await this.client.get(path, { ...params, page: number, page_size: this.pageSize }, schema);
        if (page.page_info.page !== number)
          throw this.malformed(endpoint, 'data.page_info.page', `is ${page.page_info.page}, asked for ${number}`);
        if (page.list.length > this.pageSize) {
          throw this.malformed(endpoint, 'data.list', `holds ${page.list.length} rows, more than page_size ${this.pageSize}`);
        }
        return { rows: convert(page, number), totalPages: page.page_info.total_page };
      });
      out.push(...rows);
      if (number >= totalPages) return out;
    }
  }

  private call<T>(operation: () => Promise<T>): Promise<T> {
    return withRetries(operation, this.retry);
  }

  private convert<T>(read: () => T, endpoint: string, field: string, page?: number): T {
    try {
      return read();
    } catch (error) {
      const where = page === undefined ? '' : ` (page ${page})`;
      throw this.malformed(
        endpoint,
        field,
        `cannot be read exactly${where}: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
  }

  private malformed(endpoint: string, field: string, why: string, cause?: unknown): MalformedResponseError {
    return new MalformedResponseError(
      `TikTok ${endpoint}: ${field} ${why}`,
      { platform: 'tiktok', endpoint, status: 200, ...(cause === undefined ? {} : { cause }) },
      field,
    );
  }
}

/** An `ad/get` row as adpilot's Ad. */
function toAd(accountId: string, ad: TikTokAd): Ad {
  return {
    platform: 'tiktok',
    accountId,
    adId: ad.ad_id,
    adsetId: ad.adgroup_id,
    campaignId: ad.campaign_id,
    name: ad.ad_name,
    status: STATUS[ad.operation_status],
  };
}

/** The synchronous report's query for one date slice: the level, dimensions, metrics (and filter) given, daily rows. */
function reportParams(account: AdAccount, slice: { from: LocalDate; to: LocalDate }, level: Readonly<Record<string, unknown>>) {
  return {
    advertiser_id: account.accountId,
    service_type: 'AUCTION',
    report_type: 'BASIC',
    ...level,
    start_date: slice.from,
    end_date: slice.to,
    query_lifetime: false,
  };
}
