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
 *
 * Ad level (AdLevelSource): a **creative** is an adpilot ad (adsetId = its campaign, campaignId = that campaign's
 * group). Creatives are listed with `GET adAccounts/{id}/creatives?q=criteria&creatives=List(<URN>,…)` (pageToken
 * pages) [U], reported with `adAnalytics?q=analytics&pivot=CREATIVE&creatives=List(…)` sliced like campaign reads,
 * and paused with a PARTIAL_UPDATE of `intendedStatus` on `adAccounts/{id}/creatives/{URN}` [U], read back by GET.
 */
import type { z } from 'zod';
import type { Ad, AdAccount, AdDailyMetric, AdSet, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import { type Clock, systemClock } from '../../runtime/clock.ts';
import type { AdLevelSource } from '../ads.ts';
import { MalformedResponseError, PlatformRequestError } from '../errors.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, type RetryPolicy, retryPolicy, withRetries } from '../retry.ts';
import { idChunks } from '../slices.ts';
import { LinkedInClient, type RestliQuery } from './client.ts';
import { restliDateRange, restliList, restliStatusSearch, restliValue } from './restli.ts';
import {
  AdAccountEntity,
  type AnalyticsElement,
  AnalyticsResponse,
  Campaign,
  CampaignGroup,
  type CampaignStatus,
  Creative,
  type CreativeStatus,
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
  CREATIVE_URN,
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
/** Every campaign status: a creative may sit in a draft campaign. */
const ALL_CAMPAIGN_STATUSES: readonly CampaignStatus[] = [...LISTED_STATUSES, 'DRAFT'];
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

const CREATIVE_STATUS: Record<CreativeStatus, Ad['status']> = {
  ACTIVE: 'ACTIVE',
  PAUSED: 'PAUSED',
  DRAFT: 'PAUSED',
  ARCHIVED: 'ARCHIVED',
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

/** Creates the LinkedIn connector (PlatformConnector with ad-level reads and writes) for one access token. */
export function createLinkedInConnector(options: LinkedInConnectorOptions): PlatformConnector & AdLevelSource {
  return new LinkedInConnector(options);
}

/** What an analytics element's pivot value is, and the ad set and campaign of each id it may name. */
interface Pivot {
  readonly urn: string;
  readonly what: string;
  readonly parents: ReadonlyMap<string, { readonly adsetId: string; readonly campaignId: string }>;
}

interface Located<T> {
  readonly value: T;
  /** Where the value was in its answer, for error messages: `elements[3] (page 2)`. */
  readonly path: string;
}

class LinkedInConnector implements PlatformConnector, AdLevelSource {
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
    const groupOf = await this.groupsByCampaign(account.accountId, LISTED_STATUSES);
    const parents = new Map([...groupOf].map(([adsetId, campaignId]) => [adsetId, { adsetId, campaignId }]));
    const rows = await this.analytics(account, { urn: CAMPAIGN_URN, what: 'campaign', parents }, from, to);
    return rows.map(({ row }) => row);
  }

  /** The creatives with these ids (any status) and their campaign and group; ids not found are absent. */
  async getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    const wanted = [...new Set(adIds)].filter((id) => /^\d+$/.test(id));
    if (wanted.length === 0) return [];
    const path = `adAccounts/${restliValue(account.accountId)}/creatives`;
    const endpoint = this.client.endpoint('GET', path);
    const found: Located<Creative>[] = [];
    for (const chunk of idChunks(wanted, this.limits.maxCampaigns)) {
      const criteria: [string, string][] = [
        ['q', 'criteria'],
        ['creatives', restliList(chunk.map((id) => `${CREATIVE_URN}${id}`))],
      ];
      found.push(...(await this.search(path, Creative, criteria)));
    }
    const groupOf = await this.groupsByCampaign(account.accountId, ALL_CAMPAIGN_STATUSES);
    const asked = new Set(wanted);
    const seen = new Set<string>();
    return found.map(({ value, path: at }) => {
      const ad = this.toAd(account, value, at, endpoint, groupOf);
      if (!asked.has(ad.adId)) throw this.malformed(endpoint, `${at}.id`, `is creative ${ad.adId}, which was not asked for`);
      if (seen.has(ad.adId)) throw this.malformed(endpoint, `${at}.id`, `repeats creative ${ad.adId}`);
      seen.add(ad.adId);
      return ad;
    });
  }

  /** One row per creative per UTC day with delivery (`pivot=CREATIVE`); creatives not found have no rows. */
  async fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    if (from > to) return [];
    const ads = await this.getAds(account, adIds);
    if (ads.length === 0) return [];
    const parents = new Map(ads.map((ad) => [ad.adId, { adsetId: ad.adsetId, campaignId: ad.campaignId }]));
    const rows = await this.analytics(account, { urn: CREATIVE_URN, what: 'creative', parents }, from, to);
    return rows.map(({ id, row }) => ({ ...row, adId: id }));
  }

  /**
   * Sets the creative's `intendedStatus` to ACTIVE or PAUSED with a Rest.li PARTIAL_UPDATE on
   * `adAccounts/{id}/creatives/{URN}` [U], then reads the creative back. Idempotent like the campaign status
   * write, so it is retried like a read; a refusal is LinkedIn's 4xx, a PlatformRequestError.
   */
  async setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    const path = this.creativePath(ad);
    const context = { platform: 'linkedin' as const, endpoint: this.client.endpoint('POST', path) };
    if (ad.platform !== 'linkedin') throw new PlatformRequestError(`not a LinkedIn creative: ${ad.platform} ${ad.adId}`, context);
    if (status !== 'ACTIVE' && status !== 'PAUSED')
      throw new PlatformRequestError(`adpilot writes ACTIVE or PAUSED only, got ${JSON.stringify(status)}`, context);
    await this.update(path, { intendedStatus: status });
    const endpoint = this.client.endpoint('GET', path);
    const creative = await this.call(() => this.client.get(path, [], Creative));
    const id = this.convert(() => idOfUrn(creative.id, CREATIVE_URN), endpoint, 'id');
    if (id !== ad.adId) throw this.malformed(endpoint, 'id', `is creative ${id}, asked for ${ad.adId}`);
    const readBack = CREATIVE_STATUS[creative.intendedStatus];
    if (readBack !== status) {
      throw new PlatformRequestError(
        `LinkedIn ${context.endpoint}: creative ${ad.adId} was set to ${status} but reads back ${creative.intendedStatus}${creative.intendedStatus === readBack ? '' : ` (${readBack})`}`,
        context,
      );
    }
    return { readBack };
  }

  /** Every analytics element of `pivot` over [from, to], sliced by ids × days; a day repeated for one id is malformed. */
  private async analytics(account: AdAccount, pivot: Pivot, from: LocalDate, to: LocalDate): Promise<{ id: string; row: DailyMetric }[]> {
    const out: { id: string; row: DailyMetric }[] = [];
    const seen = new Set<string>();
    const endpoint = this.client.endpoint('GET', 'adAnalytics');
    for (const slice of analyticsSlices([...pivot.parents.keys()], from, to, this.limits)) {
      // A whole answer is converted inside its retried request: a bad answer is fetched again, and fails when it stays bad.
      const rows = await this.call(async () => {
        const answer = await this.client.get('adAnalytics', this.analyticsQuery(account.accountId, slice, pivot), AnalyticsResponse);
        const wanted = new Set(slice.campaignIds);
        return answer.elements.map((element, i) => this.metricRow(account, element, `elements[${i}]`, slice, wanted, pivot, endpoint));
      });
      for (const row of rows) {
        const key = `${row.id}|${row.row.date}`;
        if (seen.has(key)) throw this.malformed(endpoint, 'elements', `repeats ${pivot.what} ${row.id} on ${row.row.date}`);
        seen.add(key);
        out.push(row);
      }
    }
    return out;
  }

  private toAd(account: AdAccount, creative: Creative, path: string, endpoint: string, groupOf: ReadonlyMap<string, string>): Ad {
    const adId = this.convert(() => idOfUrn(creative.id, CREATIVE_URN), endpoint, `${path}.id`);
    const adsetId = this.convert(() => idOfUrn(creative.campaign, CAMPAIGN_URN), endpoint, `${path}.campaign`);
    const campaignId = groupOf.get(adsetId);
    if (campaignId === undefined)
      throw this.malformed(endpoint, `${path}.campaign`, `is campaign ${adsetId}, which is not a campaign of account ${account.accountId}`);
    return {
      platform: 'linkedin',
      accountId: account.accountId,
      adId,
      adsetId,
      campaignId,
      name: creative.name ?? '',
      status: CREATIVE_STATUS[creative.intendedStatus],
    };
  }

  private creativePath(ad: Ad): string {
    return `adAccounts/${restliValue(ad.accountId)}/creatives/${restliValue(`${CREATIVE_URN}${ad.adId}`)}`;
  }

  /** Campaign id → campaign group id of the account's campaigns with these statuses. */
  private async groupsByCampaign(accountId: string, statuses: readonly CampaignStatus[]): Promise<Map<string, string>> {
    const endpoint = this.client.endpoint('GET', `adAccounts/${accountId}/adCampaigns`);
    const groupOf = new Map<string, string>();
    for (const { value, path } of await this.campaigns(accountId, statuses)) {
      groupOf.set(this.campaignId(value, endpoint, path), this.groupId(value, endpoint, path));
    }
    return groupOf;
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

  private analyticsQuery(accountId: string, slice: AnalyticsSlice, pivot: Pivot): RestliQuery {
    const creatives = pivot.urn === CREATIVE_URN;
    return [
      ['q', 'analytics'],
      ['pivot', creatives ? 'CREATIVE' : 'CAMPAIGN'],
      ['timeGranularity', 'DAILY'],
      ['dateRange', restliDateRange(slice.from, slice.to)],
      ['accounts', restliList([`${ACCOUNT_URN}${accountId}`])],
      [creatives ? 'creatives' : 'campaigns', restliList(slice.campaignIds.map((id) => `${pivot.urn}${id}`))],
      ['fields', ANALYTICS_FIELDS.join(',')],
    ];
  }

  private metricRow(
    account: AdAccount,
    element: AnalyticsElement,
    path: string,
    slice: AnalyticsSlice,
    wanted: ReadonlySet<string>,
    pivot: Pivot,
    endpoint: string,
  ): { id: string; row: DailyMetric } {
    const urn = element.pivotValues[0] ?? '';
    const id = this.convert(() => idOfUrn(urn, pivot.urn), endpoint, `${path}.pivotValues[0]`);
    const parent = pivot.parents.get(id);
    if (!wanted.has(id) || parent === undefined)
      throw this.malformed(endpoint, `${path}.pivotValues[0]`, `is ${pivot.what} ${id}, which was not asked for`);
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
    const row: DailyMetric = {
      platform: 'linkedin',
      accountId: account.accountId,
      adsetId: parent.adsetId,
      campaignId: parent.campaignId,
      date: start,
      currency: account.currency,
      spendMicros: money('costInLocalCurrency'),
      revenueMicros: money('conversionValueInLocalCurrency'),
      impressions: element.impressions,
      clicks: element.clicks,
      conversions:
        conversions === undefined ? 0 : this.convert(() => countToNumber(conversions), endpoint, `${path}.externalWebsiteConversions`),
    };
    return { id, row };
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

  private campaigns(accountId: string, statuses: readonly CampaignStatus[] = LISTED_STATUSES): Promise<Located<Campaign>[]> {
    return this.search(`adAccounts/${restliValue(accountId)}/adCampaigns`, Campaign, statusCriteria(statuses));
  }

  private async groupNames(accountId: string): Promise<Map<string, string>> {
    const path = `adAccounts/${restliValue(accountId)}/adCampaignGroups`;
    const endpoint = this.client.endpoint('GET', path);
    const groups = await this.search(path, CampaignGroup, statusCriteria(GROUP_STATUSES));
    return new Map(groups.map(({ value, path: at }) => [this.convert(() => idToString(value.id), endpoint, `${at}.id`), value.name]));
  }

  /** Every page of a finder (`criteria`: q and its parameters), following `metadata.nextPageToken`; each page fetched in its own retried request. */
  private async search<T>(path: string, element: z.ZodType<T>, criteria: RestliQuery): Promise<Located<T>[]> {
    const endpoint = this.client.endpoint('GET', path);
    const schema = searchPage(element);
    const out: Located<T>[] = [];
    const tokens = new Set<string>();
    let token: string | undefined;
    for (let number = 1; ; number++) {
      const query: (readonly [string, string])[] = [...criteria, ['pageSize', String(this.pageSize)]];
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

/** The `q=search` criteria of a finder on statuses. */
function statusCriteria(statuses: readonly string[]): RestliQuery {
  return [
    ['q', 'search'],
    ['search', restliStatusSearch(statuses)],
  ];
}
