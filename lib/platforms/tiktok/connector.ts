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
 */
import type { z } from 'zod';
import type { AdAccount, AdSet, DailyMetric } from '../../model/ads.ts';
import { addDays, assertTimeZone, type LocalDate } from '../../model/dates.ts';
import { MalformedResponseError, PlatformRequestError } from '../errors.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, type RetryPolicy, retryPolicy, withRetries } from '../retry.ts';
import { type QueryValue, TikTokClient } from './client.ts';
import { type AdGroup, AdGroupPage, AdGroupStatusUpdate, AdGroupUpdate, AdvertiserInfo, ReportPage, type ReportRow } from './schemas.ts';
import { budgetToMajor, countToNumber, moneyToMicros, statDay } from './values.ts';

export const DEFAULT_TIKTOK_BASE_URL = 'https://business-api.tiktok.com';
/** With `stat_time_day` a report may span at most 30 days. */
export const MAX_REPORT_DAYS = 30;
/** TikTok's largest page. */
export const MAX_PAGE_SIZE = 1000;

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

/** Creates the TikTok connector (PlatformConnector) for one access token. */
export function createTikTokConnector(options: TikTokConnectorOptions): PlatformConnector {
  return new TikTokConnector(options);
}

/** [from, to] cut into consecutive slices of at most `days` days. */
export function dateSlices(from: LocalDate, to: LocalDate, days = MAX_REPORT_DAYS): { from: LocalDate; to: LocalDate }[] {
  const slices: { from: LocalDate; to: LocalDate }[] = [];
  for (let start = from; start <= to; start = addDays(start, days)) {
    const end = addDays(start, days - 1);
    slices.push({ from: start, to: end < to ? end : to });
  }
  return slices;
}

/** A page of a paged list endpoint. */
interface Paged<Row> {
  readonly list: Row[];
  readonly page_info: { readonly page: number; readonly total_page: number };
}

class TikTokConnector implements PlatformConnector {
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
    for (const slice of dateSlices(from, to)) {
      const params = {
        advertiser_id: account.accountId,
        service_type: 'AUCTION',
        report_type: 'BASIC',
        data_level: 'AUCTION_ADGROUP',
        dimensions: ['adgroup_id', 'stat_time_day'],
        metrics: REPORT_METRICS,
        start_date: slice.from,
        end_date: slice.to,
        query_lifetime: false,
      };
      // A page is converted whole inside its retried request: a bad page is fetched again, and returns nothing when it stays bad.
      const rows = await this.pages('report/integrated/get', ReportPage, params, (page, number) =>
        page.list.map((row, i) => this.metricRow(account, row, `data.list[${i}]`, number, slice, endpoint)),
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

  private metricRow(
    account: AdAccount,
    row: ReportRow,
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
      adsetId: row.dimensions.adgroup_id,
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
