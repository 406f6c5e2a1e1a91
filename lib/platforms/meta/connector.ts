/**
 * The Meta connector: the PlatformConnector port over the Graph API (ad accounts, ad sets, daily
 * insights per ad set, ad-set daily budgets), with bounded retries for throttles and transient errors.
 *
 * @example
 *   const meta = createMetaConnector({ apiVersion: 'v25.0', accessToken: token, purchaseActionType: 'omni_purchase' });
 *   const account = await meta.getAccount('act_1000000001');
 *   const rows = await meta.fetchDailyMetrics(account, '2026-10-01', '2026-10-28');
 *   const [adset] = await meta.listAdSets(account);
 *   const write = await meta.setDailyBudget(adset, 450_000_000); // 450.00 in the account currency
 */
import type { z } from 'zod';
import type { AdAccount, AdSet, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import { assertMicros, decimalToMicros, microsToMinorFloor, minorToMicros } from '../../model/money.ts';
import { MalformedResponseError, PlatformRequestError } from '../errors.ts';
import type { BudgetWrite, Fetch, PlatformConnector } from '../port.ts';
import { type RetryOptions, type RetryPolicy, retryPolicy, withRetries } from '../retry.ts';
import { MetaGraphClient } from './client.ts';
import {
  MetaAccount,
  type MetaActionStat,
  type MetaAdSet,
  MetaAdSetBudget,
  MetaAdSetsPage,
  MetaInsightsPage,
  type MetaInsightsRow,
  MetaSuccess,
} from './schemas.ts';

export const DEFAULT_META_BASE_URL = 'https://graph.facebook.com';

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
}

const ACCOUNT_FIELDS = 'currency,timezone_name,name,timezone_offset_hours_utc';
const ADSET_FIELDS = 'id,name,campaign_id,campaign{name},status,effective_status,daily_budget,lifetime_budget';
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

/** Creates the Meta connector (PlatformConnector) for one access token. */
export function createMetaConnector(options: MetaConnectorOptions): PlatformConnector {
  return new MetaConnector(options);
}

class MetaConnector implements PlatformConnector {
  readonly platform = 'meta' as const;
  private readonly client: MetaGraphClient;
  private readonly retry: RetryPolicy;
  private readonly pageSize: number;
  private readonly purchaseType: string;

  constructor(options: MetaConnectorOptions) {
    this.client = new MetaGraphClient({
      baseUrl: options.baseUrl ?? DEFAULT_META_BASE_URL,
      apiVersion: options.apiVersion,
      accessToken: options.accessToken,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    this.retry = retryPolicy(options, 4);
    this.pageSize = options.pageSize ?? 500;
    this.purchaseType = options.purchaseActionType;
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

  async fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    const path = `/${metaAccountNode(account.accountId)}/insights`;
    const endpoint = this.client.endpoint('GET', path);
    const params = {
      level: 'adset',
      time_increment: '1',
      time_range: JSON.stringify({ since: from, until: to }),
      fields: INSIGHTS_FIELDS,
      limit: String(this.pageSize),
    };
    const pages = await this.collect(path, params, MetaInsightsPage);
    return pages.flatMap((page, p) => page.map((row, i) => this.toDailyMetric(row, account, endpoint, p, i)));
  }

  /**
   * Writes the ad set's daily budget rounded DOWN to the currency's minor unit, then reads it back.
   * Campaign-level budgets (CBO) are written in a later issue; such ad sets are refused here.
   */
  async setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    const endpoint = this.client.endpoint('POST', `/${adset.adsetId}`);
    const context = { platform: 'meta' as const, endpoint };
    if (adset.platform !== 'meta') throw new PlatformRequestError(`not a Meta ad set: ${adset.platform} ${adset.adsetId}`, context);
    if (adset.budgetLevel !== 'adset') {
      throw new PlatformRequestError(
        `ad set ${adset.adsetId} has a campaign budget (CBO); campaign budget writes are not supported yet`,
        context,
      );
    }
    assertMicros(dailyBudgetMicros);
    if (dailyBudgetMicros < 0) throw new PlatformRequestError(`a daily budget cannot be negative: ${dailyBudgetMicros}`, context);
    const minor = microsToMinorFloor(dailyBudgetMicros, adset.currency);
    const body = options.validateOnly ? { daily_budget: minor, execution_options: ['validate_only'] } : { daily_budget: minor };
    await withRetries(() => this.client.post(`/${adset.adsetId}`, body, MetaSuccess), this.retry);
    const readBack = await this.readDailyBudget(adset);
    if (readBack === undefined) {
      const readEndpoint = this.client.endpoint('GET', `/${adset.adsetId}`);
      throw new MalformedResponseError(
        `Meta ${readEndpoint}: daily_budget missing on read-back`,
        { platform: 'meta', endpoint: readEndpoint },
        'daily_budget',
      );
    }
    return { appliedMicros: minorToMicros(minor, adset.currency), readBackMicros: readBack };
  }

  /** The ad set's daily budget now; null when it has none ("0" or absent: a lifetime or campaign budget). */
  async getDailyBudget(adset: AdSet): Promise<number | null> {
    const micros = await this.readDailyBudget(adset);
    return micros === undefined || micros === 0 ? null : micros;
  }

  private async readDailyBudget(adset: AdSet): Promise<number | undefined> {
    const endpoint = this.client.endpoint('GET', `/${adset.adsetId}`);
    const node = await withRetries(() => this.client.get(`/${adset.adsetId}`, { fields: 'id,daily_budget' }, MetaAdSetBudget), this.retry);
    return node.daily_budget === undefined ? undefined : this.minorToMicros(node.daily_budget, adset.currency, endpoint, 'daily_budget');
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
    const daily =
      row.daily_budget !== undefined && row.daily_budget !== '0'
        ? this.minorToMicros(row.daily_budget, account.currency, endpoint, field('daily_budget'))
        : null;
    const lifetime = row.lifetime_budget !== undefined && row.lifetime_budget !== '0';
    // An ad set without a budget of its own is funded by its campaign (CBO).
    const budgetLevel = daily !== null || lifetime ? 'adset' : 'campaign';
    // A paused campaign stops its active ad sets: they do not deliver, so they are not ACTIVE for us.
    const status = row.status === 'ACTIVE' && row.effective_status === 'CAMPAIGN_PAUSED' ? 'PAUSED' : row.status;
    return {
      platform: 'meta',
      accountId: account.accountId,
      adsetId: row.id,
      campaignId: row.campaign_id,
      name: row.name,
      campaignName: row.campaign?.name ?? '',
      status,
      currency: account.currency,
      dailyBudgetMicros: daily,
      budgetLevel,
      learning: false,
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
      conversions: purchases ? Math.round(Number(purchases.stat.value)) : 0,
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

  private minorToMicros(value: string, currency: string, endpoint: string, field: string): number {
    try {
      return minorToMicros(Number(value), currency);
    } catch (error) {
      throw new MalformedResponseError(
        `Meta ${endpoint}: ${field} is not a budget in minor units (${JSON.stringify(value)})`,
        { platform: 'meta', endpoint, cause: error },
        field,
      );
    }
  }
}
