/**
 * The LinkedIn connector: the PlatformConnector port over the LinkedIn Marketing API (../shared/PLATFORM_APIS.md §4),
 * with bounded retries for throttles (HTTP 429) and transient errors.
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
 */
import type { z } from 'zod';
import type { AdAccount, AdSet, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import { type Clock, systemClock } from '../../runtime/clock.ts';
import { MalformedResponseError, PlatformRequestError } from '../errors.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, type RetryPolicy, retryPolicy, withRetries } from '../retry.ts';
import { LinkedInClient, type RestliQuery } from './client.ts';
import { restliDateRange, restliList, restliStatusSearch, restliValue } from './restli.ts';
import {
  AdAccountEntity,
  type AnalyticsElement,
  AnalyticsResponse,
  Campaign,
  CampaignGroup,
  type CampaignStatus,
  type MoneyAmount,
  searchPage,
} from './schemas.ts';
import { type AnalyticsSlice, analyticsSlices, MAX_ANALYTICS_ELEMENTS, MAX_CAMPAIGNS_PER_REQUEST } from './slices.ts';
import {
  ACCOUNT_URN,
  budgetAmount,
  budgetToMicros,
  CAMPAIGN_GROUP_URN,
  CAMPAIGN_URN,
  countToNumber,
  idOfUrn,
  idToString,
  metricMoneyToMicros,
  recordToDate,
} from './values.ts';

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

/** Campaign statuses read: every one but DRAFT (a draft never served, and has neither metrics nor a live budget). */
export const LISTED_STATUSES: readonly CampaignStatus[] = [
  'ACTIVE',
  'PAUSED',
  'ARCHIVED',
  'COMPLETED',
  'CANCELED',
  'PENDING_DELETION',
  'REMOVED',
];
const GROUP_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'CANCELED', 'DRAFT', 'PENDING_DELETION', 'REMOVED'];

const STATUS: Record<CampaignStatus, AdSet['status']> = {
  ACTIVE: 'ACTIVE',
  PAUSED: 'PAUSED',
  DRAFT: 'PAUSED',
  ARCHIVED: 'ARCHIVED',
  // Ended by its schedule or budget, or stopped for good: it no longer delivers, its history stays.
  COMPLETED: 'ARCHIVED',
  CANCELED: 'ARCHIVED',
  PENDING_DELETION: 'DELETED',
  REMOVED: 'DELETED',
};

/** The metrics asked of adAnalytics (7 of the 20 a request may name). */
export const ANALYTICS_FIELDS = [
  'dateRange',
  'pivotValues',
  'impressions',
  'clicks',
  'costInLocalCurrency',
  'externalWebsiteConversions',
  'conversionValueInLocalCurrency',
] as const;

/** Creates the LinkedIn connector (PlatformConnector) for one access token. */
export function createLinkedInConnector(options: LinkedInConnectorOptions): PlatformConnector {
  return new LinkedInConnector(options);
}

interface Located<T> {
  readonly value: T;
  /** Where the value was in its answer, for error messages: `elements[3] (page 2)`. */
  readonly path: string;
}

class LinkedInConnector implements PlatformConnector {
  readonly platform = 'linkedin' as const;
  private readonly client: LinkedInClient;
  private readonly retry: RetryPolicy;
  private readonly pageSize: number;
  private readonly limits: { maxElements: number; maxCampaigns: number };

  constructor(options: LinkedInConnectorOptions) {
    this.client = new LinkedInClient({
      baseUrl: options.baseUrl ?? DEFAULT_LINKEDIN_BASE_URL,
      accessToken: options.accessToken,
      version: options.version ?? DEFAULT_LINKEDIN_VERSION,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 60_000,
      defaultRetryAfterMs: options.defaultRetryAfterMs ?? 5_000,
      clock: options.clock ?? systemClock,
    });
    // 5 attempts, as Airbyte's LinkedIn analytics streams retry.
    this.retry = retryPolicy(options, 5);
    this.pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? 500));
    this.limits = {
      maxElements: Math.min(MAX_ANALYTICS_ELEMENTS, Math.max(1, options.maxElements ?? MAX_ANALYTICS_ELEMENTS)),
      maxCampaigns: Math.max(1, options.maxCampaignsPerRequest ?? MAX_CAMPAIGNS_PER_REQUEST),
    };
  }

  async getAccount(accountId: string): Promise<AdAccount> {
    const path = `adAccounts/${restliValue(accountId)}`;
    const endpoint = this.client.endpoint('GET', path);
    const entity = await this.call(() => this.client.get(path, [], AdAccountEntity));
    const id = this.convert(() => idToString(entity.id), endpoint, 'id');
    if (id !== accountId) throw this.malformed(endpoint, 'id', `is ${id}, asked for ${accountId}`);
    return { platform: 'linkedin', accountId, name: entity.name, currency: entity.currency, timezone: 'UTC' };
  }

  async listAdSets(account: AdAccount): Promise<AdSet[]> {
    const [campaigns, groups] = await Promise.all([this.campaigns(account.accountId), this.groupNames(account.accountId)]);
    return campaigns.map(({ value, path }) => this.toAdSet(account, value, path, groups));
  }

  async fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    if (from > to) return [];
    const groupOf = new Map<string, string>();
    for (const { value, path } of await this.campaigns(account.accountId)) {
      const endpoint = this.client.endpoint('GET', `adAccounts/${account.accountId}/adCampaigns`);
      groupOf.set(this.campaignId(value, endpoint, path), this.groupId(value, endpoint, path));
    }
    const out: DailyMetric[] = [];
    const seen = new Set<string>();
    const endpoint = this.client.endpoint('GET', 'adAnalytics');
    for (const slice of analyticsSlices([...groupOf.keys()], from, to, this.limits)) {
      // A whole answer is converted inside its retried request: a bad answer is fetched again, and fails when it stays bad.
      const rows = await this.call(async () => {
        const answer = await this.client.get('adAnalytics', this.analyticsQuery(account.accountId, slice), AnalyticsResponse);
        const wanted = new Set(slice.campaignIds);
        return answer.elements.map((element, i) => this.metricRow(account, element, `elements[${i}]`, slice, wanted, groupOf, endpoint));
      });
      for (const row of rows) {
        const key = `${row.adsetId}|${row.date}`;
        if (seen.has(key)) throw this.malformed(endpoint, 'elements', `repeats campaign ${row.adsetId} on ${row.date}`);
        seen.add(key);
        out.push(row);
      }
    }
    return out;
  }

  async getDailyBudget(adset: AdSet): Promise<number | null> {
    const { campaign, endpoint } = await this.campaign(adset);
    return this.dailyBudgetOf(campaign.dailyBudget, adset.currency, endpoint, 'dailyBudget');
  }

  /**
   * Writes the campaign's `dailyBudget` as a decimal string in the account currency, rounded DOWN to the billable
   * unit, with a Rest.li PARTIAL_UPDATE, then reads it back. Setting an absolute amount is idempotent, so the
   * update is retried like a read. LinkedIn has no dry run: with `validateOnly` the amount is checked here,
   * nothing is sent, and the current budget is read back.
   */
  async setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    const { path, context } = this.writeTarget(adset);
    if (!Number.isSafeInteger(dailyBudgetMicros) || dailyBudgetMicros < 0) {
      throw new PlatformRequestError(`a daily budget is whole micros >= 0, got ${dailyBudgetMicros}`, context);
    }
    const before = await this.campaign(adset);
    const current = before.campaign.dailyBudget;
    if (current === undefined) {
      throw new PlatformRequestError(
        `campaign ${adset.adsetId} has no daily budget (a lifetime budget only); adpilot does not add one`,
        context,
      );
    }
    if (current.currencyCode !== adset.currency) {
      throw new PlatformRequestError(
        `campaign ${adset.adsetId} budgets in ${current.currencyCode}, not the ad set currency ${adset.currency}`,
        context,
      );
    }
    const { appliedMicros, amount } = budgetAmount(dailyBudgetMicros, adset.currency);
    if (options.validateOnly) {
      return { appliedMicros, readBackMicros: this.requireDailyBudget(current, adset, before.endpoint) };
    }
    await this.update(path, { dailyBudget: { amount, currencyCode: adset.currency } });
    const after = await this.campaign(adset);
    return { appliedMicros, readBackMicros: this.requireDailyBudget(after.campaign.dailyBudget, adset, after.endpoint) };
  }

  /**
   * Sets the campaign's `status` to ACTIVE or PAUSED (LinkedIn's own values) with a Rest.li PARTIAL_UPDATE
   * `{"patch":{"$set":{"status":…}}}`, then reads the campaign back. Setting a status is idempotent, so the update
   * is retried like a read, and writing the status the campaign already has is fine. A campaign LinkedIn will not
   * change (e.g. REMOVED) is LinkedIn's 4xx, a PlatformRequestError; so is a read-back that is not `status`.
   */
  async setStatus(adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
    const { path, context } = this.writeTarget(adset);
    if (status !== 'ACTIVE' && status !== 'PAUSED')
      throw new PlatformRequestError(`adpilot writes ACTIVE or PAUSED only, got ${JSON.stringify(status)}`, context);
    await this.update(path, { status });
    const { campaign } = await this.campaign(adset);
    const readBack = STATUS[campaign.status];
    if (readBack !== status) {
      throw new PlatformRequestError(
        `LinkedIn ${context.endpoint}: campaign ${adset.adsetId} was set to ${status} but reads back ${campaign.status}${campaign.status === readBack ? '' : ` (${readBack})`}`,
        context,
      );
    }
    return { readBack };
  }

  /** The campaign a write goes to; an ad set of another platform is refused before anything is sent. */
  private writeTarget(adset: AdSet): { path: string; context: { platform: 'linkedin'; endpoint: string } } {
    const path = this.campaignPath(adset);
    const context = { platform: 'linkedin' as const, endpoint: this.client.endpoint('POST', path) };
    if (adset.platform !== 'linkedin')
      throw new PlatformRequestError(`not a LinkedIn campaign: ${adset.platform} ${adset.adsetId}`, context);
    return { path, context };
  }

  /** One retried PARTIAL_UPDATE of a campaign: both writes set absolute values, so a retry cannot double anything. */
  private update(path: string, set: Readonly<Record<string, unknown>>): Promise<void> {
    return this.call(() => this.client.partialUpdate(path, set));
  }

  private requireDailyBudget(budget: MoneyAmount | undefined, adset: AdSet, endpoint: string): number {
    const micros = this.dailyBudgetOf(budget, adset.currency, endpoint, 'dailyBudget');
    if (micros === null) throw this.malformed(endpoint, 'dailyBudget', 'is missing on read-back');
    return micros;
  }

  private analyticsQuery(accountId: string, slice: AnalyticsSlice): RestliQuery {
    return [
      ['q', 'analytics'],
      ['pivot', 'CAMPAIGN'],
      ['timeGranularity', 'DAILY'],
      ['dateRange', restliDateRange(slice.from, slice.to)],
      ['accounts', restliList([`${ACCOUNT_URN}${accountId}`])],
      ['campaigns', restliList(slice.campaignIds.map((id) => `${CAMPAIGN_URN}${id}`))],
      ['fields', ANALYTICS_FIELDS.join(',')],
    ];
  }

  private metricRow(
    account: AdAccount,
    element: AnalyticsElement,
    path: string,
    slice: AnalyticsSlice,
    wanted: ReadonlySet<string>,
    groupOf: ReadonlyMap<string, string>,
    endpoint: string,
  ): DailyMetric {
    const urn = element.pivotValues[0] ?? '';
    const adsetId = this.convert(() => idOfUrn(urn, CAMPAIGN_URN), endpoint, `${path}.pivotValues[0]`);
    const campaignId = groupOf.get(adsetId);
    if (!wanted.has(adsetId) || campaignId === undefined)
      throw this.malformed(endpoint, `${path}.pivotValues[0]`, `is campaign ${adsetId}, which was not asked for`);
    const start = this.convert(() => recordToDate(element.dateRange.start), endpoint, `${path}.dateRange.start`);
    const end = this.convert(() => recordToDate(element.dateRange.end), endpoint, `${path}.dateRange.end`);
    if (start !== end) throw this.malformed(endpoint, `${path}.dateRange`, `spans ${start}..${end}, not one day`);
    if (start < slice.from || start > slice.to)
      throw this.malformed(endpoint, `${path}.dateRange.start`, `is ${start}, outside ${slice.from}..${slice.to}`);
    const money = (name: 'costInLocalCurrency' | 'conversionValueInLocalCurrency') => {
      const value = element[name];
      return value === undefined ? 0 : this.convert(() => metricMoneyToMicros(value), endpoint, `${path}.${name}`);
    };
    const conversions = element.externalWebsiteConversions;
    return {
      platform: 'linkedin',
      accountId: account.accountId,
      adsetId,
      campaignId,
      date: start,
      currency: account.currency,
      spendMicros: money('costInLocalCurrency'),
      revenueMicros: money('conversionValueInLocalCurrency'),
      impressions: element.impressions,
      clicks: element.clicks,
      conversions:
        conversions === undefined ? 0 : this.convert(() => countToNumber(conversions), endpoint, `${path}.externalWebsiteConversions`),
    };
  }

  private toAdSet(account: AdAccount, campaign: Campaign, path: string, groups: ReadonlyMap<string, string>): AdSet {
    const endpoint = this.client.endpoint('GET', `adAccounts/${account.accountId}/adCampaigns`);
    const accountId = this.convert(() => idOfUrn(campaign.account, ACCOUNT_URN), endpoint, `${path}.account`);
    if (accountId !== account.accountId)
      throw this.malformed(endpoint, `${path}.account`, `is account ${accountId}, listed under ${account.accountId}`);
    const campaignId = this.groupId(campaign, endpoint, path);
    return {
      platform: 'linkedin',
      accountId: account.accountId,
      adsetId: this.campaignId(campaign, endpoint, path),
      campaignId,
      name: campaign.name,
      // Names are labels only: a group missing from its listing leaves the name empty rather than failing the read.
      campaignName: groups.get(campaignId) ?? '',
      status: STATUS[campaign.status],
      currency: account.currency,
      dailyBudgetMicros: this.dailyBudgetOf(campaign.dailyBudget, account.currency, endpoint, `${path}.dailyBudget`),
      budgetLevel: 'adset',
      learning: false,
    };
  }

  private campaignId(campaign: Campaign, endpoint: string, path: string): string {
    return this.convert(() => idToString(campaign.id), endpoint, `${path}.id`);
  }

  private groupId(campaign: Campaign, endpoint: string, path: string): string {
    return this.convert(() => idOfUrn(campaign.campaignGroup, CAMPAIGN_GROUP_URN), endpoint, `${path}.campaignGroup`);
  }

  private dailyBudgetOf(budget: MoneyAmount | undefined, currency: string, endpoint: string, field: string): number | null {
    if (budget === undefined) return null;
    if (budget.currencyCode !== currency)
      throw this.malformed(endpoint, `${field}.currencyCode`, `is ${budget.currencyCode}, the account currency is ${currency}`);
    return this.convert(() => budgetToMicros(budget.amount), endpoint, `${field}.amount`);
  }

  private campaignPath(adset: AdSet): string {
    return `adAccounts/${restliValue(adset.accountId)}/adCampaigns/${restliValue(adset.adsetId)}`;
  }

  private async campaign(adset: AdSet): Promise<{ campaign: Campaign; endpoint: string }> {
    const path = this.campaignPath(adset);
    const endpoint = this.client.endpoint('GET', path);
    const campaign = await this.call(() => this.client.get(path, [], Campaign));
    const id = this.campaignId(campaign, endpoint, '(body)');
    if (id !== adset.adsetId) throw this.malformed(endpoint, 'id', `is ${id}, asked for ${adset.adsetId}`);
    return { campaign, endpoint };
  }

  private campaigns(accountId: string): Promise<Located<Campaign>[]> {
    return this.search(`adAccounts/${restliValue(accountId)}/adCampaigns`, Campaign, LISTED_STATUSES);
  }

  private async groupNames(accountId: string): Promise<Map<string, string>> {
    const path = `adAccounts/${restliValue(accountId)}/adCampaignGroups`;
    const endpoint = this.client.endpoint('GET', path);
    const groups = await this.search(path, CampaignGroup, GROUP_STATUSES);
    return new Map(groups.map(({ value, path: at }) => [this.convert(() => idToString(value.id), endpoint, `${at}.id`), value.name]));
  }

  /** Every page of a `q=search` finder, following `metadata.nextPageToken`; each page fetched in its own retried request. */
  private async search<T>(path: string, element: z.ZodType<T>, statuses: readonly string[]): Promise<Located<T>[]> {
    const endpoint = this.client.endpoint('GET', path);
    const schema = searchPage(element);
    const out: Located<T>[] = [];
    const tokens = new Set<string>();
    let token: string | undefined;
    for (let number = 1; ; number++) {
      const query: [string, string][] = [
        ['q', 'search'],
        ['search', restliStatusSearch(statuses)],
        ['pageSize', String(this.pageSize)],
      ];
      if (token !== undefined) query.push(['pageToken', restliValue(token)]);
      const page = await this.call(() => this.client.get(path, query, schema));
      if (page.elements.length > this.pageSize)
        throw this.malformed(endpoint, 'elements', `holds ${page.elements.length} elements, more than pageSize ${this.pageSize}`);
      out.push(...page.elements.map((value, i) => ({ value: value as T, path: `elements[${i}] (page ${number})` })));
      token = page.metadata?.nextPageToken;
      if (token === undefined) return out;
      if (tokens.has(token)) throw this.malformed(endpoint, 'metadata.nextPageToken', `repeats an earlier token (page ${number})`);
      tokens.add(token);
    }
  }

  private call<T>(operation: () => Promise<T>): Promise<T> {
    return withRetries(operation, this.retry);
  }

  private convert<T>(read: () => T, endpoint: string, field: string): T {
    try {
      return read();
    } catch (error) {
      throw this.malformed(endpoint, field, `cannot be read exactly: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  private malformed(endpoint: string, field: string, why: string, cause?: unknown): MalformedResponseError {
    return new MalformedResponseError(
      `LinkedIn ${endpoint}: ${field} ${why}`,
      { platform: 'linkedin', endpoint, status: 200, ...(cause === undefined ? {} : { cause }) },
      field,
    );
  }
}
