/**
 * The routes of the fake LinkedIn Marketing API over a MarketSimulator, without any socket: a request in, a
 * status, headers and a JSON body out; `server.ts` puts it on node:http. Wire formats follow
 * ../shared/PLATFORM_APIS.md §4; facts marked [U] there are assumptions here too.
 *
 * The market's linkedin ad sets are LinkedIn campaigns; their market campaigns are campaign groups. LinkedIn
 * accounts have no time zone and report UTC days, so every linkedin account of the market must be on UTC.
 * Documented limits are enforced the way LinkedIn does: `LinkedIn-Version` is required (400, or 426 for a version
 * that is not active), Rest.li 2.0 syntax with percent-encoded URNs, at most 20 metrics per analytics request,
 * long URLs get a 414, finder pages at most 1000, and an analytics answer is cut SILENTLY at 15,000 elements.
 * Daily call limits (reset at midnight UTC) answer 429 with the APPLICATION DAY message.
 */
import type { AdAccount, AdSet, DailyMetric } from '../../model/ads.ts';
import { isLocalDate, type LocalDate, localDateAt } from '../../model/dates.ts';
import { decimalToMicros, floorToBillable, microsToDecimal, minorUnitOffset } from '../../model/money.ts';
import { SimAds } from '../ads.ts';
import { SimulationError } from '../errors.ts';
import type { FaultResponse } from '../faults.ts';
import type { MarketSimulator } from '../market.ts';
import { LinkedInCreatives } from './ads.ts';
import { LinkedInApiError, RestliSyntaxError } from './errors.ts';
import { isRestliObject, offsetOfToken, pageToken, parseRestli, type RestliValue, rawQueryParams } from './wire.ts';

export interface FakeLinkedInApiOptions {
  readonly market: MarketSimulator;
  /** The creatives of the market's campaigns (default `new SimAds(market)`); see ads.ts. */
  readonly ads?: SimAds;
  /** When set, requests must carry `Authorization: Bearer <it>` (401 otherwise). */
  readonly accessToken?: string;
  /** Versions (YYYYMM) that are active; any well-formed one when unset. Others answer 426. */
  readonly activeVersions?: readonly string[];
  /** The analytics cap: elements past it are dropped silently (default 15,000). */
  readonly maxElements?: number;
  /** Longest request URL (path and query) before a 414 (default 8,192 characters). */
  readonly maxUrlLength?: number;
  /** Calls per UTC day (market clock) before the APPLICATION DAY 429; unlimited when unset. */
  readonly dailyQuota?: number;
  /** How `externalWebsiteConversions` is encoded ([U] in the spec): JSON numbers (default) or strings. */
  readonly conversionEncoding?: 'number' | 'string';
}

export interface LinkedInRequest {
  readonly method: string;
  /** The path, e.g. `/rest/adAnalytics`. */
  readonly path: string;
  /** The query as sent, without `?`, with its percent-encodings intact (Rest.li needs them). */
  readonly rawQuery: string;
  /** Lower-case header names; the fake reads authorization, linkedin-version, x-restli-protocol-version, x-restli-method. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  readonly body: unknown;
  readonly index: number;
}

export interface LinkedInResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The JSON body; absent when `text` is set. */
  readonly payload?: unknown;
  readonly text?: string;
}

export const FAKE_MAX_ELEMENTS = 15_000;
export const MAX_METRICS = 20;
export const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;
const PREFIX = '/rest/';

export const ACCOUNT_URN = 'urn:li:sponsoredAccount:';
export const CAMPAIGN_URN = 'urn:li:sponsoredCampaign:';
export const CAMPAIGN_GROUP_URN = 'urn:li:sponsoredCampaignGroup:';

/** Fields an analytics element can carry; the metrics adpilot does not model are served as 0. */
const ANALYTICS_METRICS = new Set([
  'impressions',
  'clicks',
  'costInLocalCurrency',
  'costInUsd',
  'externalWebsiteConversions',
  'externalWebsitePostClickConversions',
  'externalWebsitePostViewConversions',
  'conversionValueInLocalCurrency',
  'landingPageClicks',
  'totalEngagements',
  'likes',
  'shares',
  'comments',
  'follows',
  'oneClickLeads',
  'videoViews',
  'videoCompletions',
  'approximateMemberReach',
  'sends',
  'opens',
  'reactions',
]);
const NON_METRIC_FIELDS = new Set(['dateRange', 'pivotValues']);

const CAMPAIGN_STATUS: Record<AdSet['status'], string> = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED', DELETED: 'REMOVED' };
const WRITABLE_STATUS: Record<string, AdSet['status']> = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', ARCHIVED: 'ARCHIVED' };

/** Money as LinkedIn writes it: a decimal string in major units, 2 decimals (0 for zero-decimal currencies), more only when needed to be exact. */
export function amountText(micros: number, currency: string): string {
  return microsToDecimal(micros, minorUnitOffset(currency) === 1 ? 0 : 2);
}

/** A LocalDate as a Rest.li Date record. */
export function dateRecord(date: LocalDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

function paramError(message: string): LinkedInApiError {
  return new LinkedInApiError(400, message, { code: 'PARAM_INVALID' });
}

/** The fake LinkedIn API: auth and versioning, ad accounts, campaign and group finders, campaigns, PARTIAL_UPDATE, adAnalytics. */
export class FakeLinkedInApi {
  private readonly market: MarketSimulator;
  private readonly options: FakeLinkedInApiOptions;
  private readonly callsPerDay = new Map<LocalDate, number>();
  private readonly creatives: LinkedInCreatives;

  constructor(options: FakeLinkedInApiOptions) {
    this.market = options.market;
    this.options = options;
    this.creatives = new LinkedInCreatives(options.market, options.ads ?? new SimAds(options.market), this);
    const accounts = options.market.accounts().filter((a) => a.platform === 'linkedin');
    if (accounts.length === 0) throw new SimulationError('the market has no linkedin account');
    for (const account of accounts) {
      if (account.timezone !== 'UTC' && account.timezone !== 'Etc/UTC')
        throw new SimulationError(
          `linkedin account ${account.accountId} must be on UTC (LinkedIn reports UTC days), not ${account.timezone}`,
        );
      if (!/^\d+$/.test(account.accountId)) throw new SimulationError(`linkedin account id ${account.accountId} is not numeric`);
      for (const adset of options.market.adsets(account.accountId)) {
        if (!/^\d+$/.test(adset.adsetId) || !/^\d+$/.test(adset.campaignId))
          throw new SimulationError(`linkedin campaign ${adset.adsetId} / group ${adset.campaignId} ids must be numeric`);
        if (adset.budgetLevel !== 'adset')
          throw new SimulationError(`linkedin campaign ${adset.adsetId}: LinkedIn budgets live on campaigns (budgetLevel 'adset')`);
      }
    }
  }

  /** Answers one request. */
  handle(request: LinkedInRequest): LinkedInResponse {
    try {
      this.gate(request);
      const route = request.path.startsWith(PREFIX) ? request.path.slice(PREFIX.length).replace(/\/$/, '') : '';
      const method = request.method.toUpperCase();
      const params = this.params(request);
      if (method === 'GET' && route === 'adAnalytics') return this.ok(this.analytics(params));
      const [, creativeAccount, creative] = /^adAccounts\/(\d+)\/creatives(?:\/([^/]+))?$/.exec(route) ?? [];
      if (creativeAccount !== undefined) {
        const account = this.account(creativeAccount);
        if (method === 'GET')
          return this.ok(creative === undefined ? this.creatives.search(params, account) : this.creatives.get(account, creative));
        if (method === 'POST' && creative !== undefined)
          return this.creatives.partialUpdate(request.headers, request.body, account, creative);
      }
      const [, accountId, collection, campaignId] =
        /^adAccounts\/(\d+)(?:\/(adCampaigns|adCampaignGroups))?(?:\/(\d+))?$/.exec(route) ?? [];
      if (accountId !== undefined) {
        const account = this.account(accountId);
        if (method === 'GET' && collection === undefined && campaignId === undefined) return this.ok(this.accountJson(account));
        if (method === 'GET' && collection === 'adCampaigns' && campaignId === undefined)
          return this.ok(this.campaignSearch(params, account));
        if (method === 'GET' && collection === 'adCampaignGroups' && campaignId === undefined)
          return this.ok(this.groupSearch(params, account));
        if (collection === 'adCampaigns' && campaignId !== undefined) {
          const adset = this.campaign(account, campaignId);
          if (method === 'GET') return this.ok(campaignJson(adset));
          if (method === 'POST') return this.partialUpdate(request, account, adset);
        }
      }
      throw new LinkedInApiError(404, `No virtual resource found for ${method} ${request.path}`, { serviceErrorCode: 0 });
    } catch (error) {
      if (error instanceof RestliSyntaxError)
        return this.errorResponse(new LinkedInApiError(400, error.message, { code: 'ILLEGAL_ARGUMENT' }));
      if (!(error instanceof LinkedInApiError)) throw error;
      return this.errorResponse(error);
    }
  }

  /** Renders a fault in LinkedIn's own style: a 429 throttle, a 500 JSON error or a gateway page, an expired token. */
  faultResponse(fault: Extract<FaultResponse, { kind: 'throttle' | 'server-error' | 'expired-token' }>): LinkedInResponse {
    switch (fault.kind) {
      case 'throttle':
        return this.errorResponse(
          new LinkedInApiError(429, 'Resource level throttle limit for calls to this resource is reached.', {
            serviceErrorCode: fault.code ?? 101,
            code: 'TOO_MANY_REQUESTS',
          }),
        );
      case 'server-error': {
        const status = fault.status ?? 500;
        if (status === 500)
          return this.errorResponse(new LinkedInApiError(500, 'Internal Server Error', { code: 'INTERNAL_SERVER_ERROR' }));
        return {
          status,
          headers: { 'content-type': 'text/html' },
          text: `<html><head><title>${status}</title></head><body><h1>${status} Service Unavailable</h1></body></html>`,
        };
      }
      case 'expired-token':
        return this.errorResponse(
          new LinkedInApiError(401, 'The token used in the request has expired', { serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN' }),
        );
    }
  }

  /** LinkedIn's error body. */
  errorResponse(error: LinkedInApiError): LinkedInResponse {
    const { serviceErrorCode, code } = error.details;
    return {
      status: error.status,
      headers: this.headers(),
      payload: {
        status: error.status,
        ...(serviceErrorCode === undefined ? {} : { serviceErrorCode }),
        ...(code === undefined ? {} : { code }),
        message: error.message,
      },
    };
  }

  /** A 200 with a JSON payload. */
  ok(payload: unknown): LinkedInResponse {
    return { status: 200, headers: this.headers(), payload };
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', 'x-restli-protocol-version': '2.0.0' };
  }

  /** URL length, token, version and daily quota, in the order a front end checks them. */
  private gate(request: LinkedInRequest): void {
    const length = request.path.length + (request.rawQuery === '' ? 0 : request.rawQuery.length + 1);
    if (length > (this.options.maxUrlLength ?? 8_192)) throw new LinkedInApiError(414, 'Request-URI Too Long');
    if (this.options.accessToken !== undefined) {
      const auth = request.headers.authorization;
      if (auth === undefined || auth === '' || auth === 'Bearer' || auth === 'Bearer ')
        throw new LinkedInApiError(401, 'Empty oauth2_access_token', { serviceErrorCode: 401 });
      if (auth !== `Bearer ${this.options.accessToken}`)
        throw new LinkedInApiError(401, 'Invalid access token', { serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN' });
    }
    const version = request.headers['linkedin-version'];
    if (version === undefined || version === '')
      throw new LinkedInApiError(400, 'A version must be present. Please specify a version by adding the LinkedIn-Version header.', {
        code: 'VERSION_MISSING',
      });
    const active = this.options.activeVersions;
    if (!/^\d{4}(0[1-9]|1[0-2])$/.test(version) || (active !== undefined && !active.includes(version)))
      throw new LinkedInApiError(426, `Requested version ${version} is not active`, { code: 'NONEXISTENT_VERSION' });
    if (this.options.dailyQuota !== undefined) {
      const day = localDateAt(this.market.now(), 'UTC');
      const calls = (this.callsPerDay.get(day) ?? 0) + 1;
      this.callsPerDay.set(day, calls);
      if (calls > this.options.dailyQuota)
        throw new LinkedInApiError(429, 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.', {
          serviceErrorCode: 101,
          code: 'TOO_MANY_REQUESTS',
        });
    }
  }

  private params(request: LinkedInRequest): Map<string, string> {
    const params = rawQueryParams(request.rawQuery);
    // Rest.li 2.0 syntax (List(), records) in the query is only read under protocol 2.0.0.
    if (request.rawQuery.includes('(') && request.headers['x-restli-protocol-version'] !== '2.0.0')
      throw new LinkedInApiError(400, 'Rest.li 2.0 query syntax needs X-Restli-Protocol-Version: 2.0.0', { code: 'ILLEGAL_ARGUMENT' });
    return params;
  }

  private account(id: string | undefined): AdAccount {
    const account = this.market.accounts().find((a) => a.platform === 'linkedin' && a.accountId === id);
    if (!account)
      throw new LinkedInApiError(403, `Not enough permissions to access: adAccounts.GET.${String(id)}`, {
        serviceErrorCode: 100,
        code: 'ACCESS_DENIED',
      });
    return account;
  }

  private campaign(account: AdAccount, id: string): AdSet {
    const adset = this.market.adsets(account.accountId).find((a) => a.adsetId === id);
    if (!adset) throw new LinkedInApiError(404, `Campaign ${id} does not exist in account ${account.accountId}`, { code: 'NOT_FOUND' });
    return adset;
  }

  private accountJson(account: AdAccount): unknown {
    return {
      id: Number(account.accountId),
      name: account.name,
      currency: account.currency,
      status: 'ACTIVE',
      type: 'BUSINESS',
      reference: `urn:li:organization:${account.accountId}`,
      servingStatuses: ['RUNNABLE'],
      test: false,
      version: { versionTag: '1' },
    };
  }

  private campaignSearch(params: Map<string, string>, account: AdAccount): unknown {
    const statuses = this.searchStatuses(params);
    const campaigns = this.market
      .adsets(account.accountId)
      .map(campaignJson)
      .filter((c) => statuses === undefined || statuses.has(c.status));
    return this.page(params, campaigns);
  }

  private groupSearch(params: Map<string, string>, account: AdAccount): unknown {
    const statuses = this.searchStatuses(params);
    const groups = new Map<string, Record<string, unknown>>();
    for (const adset of this.market.adsets(account.accountId)) {
      if (groups.has(adset.campaignId)) continue;
      groups.set(adset.campaignId, {
        id: Number(adset.campaignId),
        name: adset.campaignName,
        account: `${ACCOUNT_URN}${account.accountId}`,
        status: 'ACTIVE',
        test: false,
      });
    }
    const all = [...groups.values()].filter((g) => statuses === undefined || statuses.has(String(g.status)));
    return this.page(params, all);
  }

  /** The `search=(status:(values:List(…)))` criterion of a finder; undefined without one. */
  private searchStatuses(params: Map<string, string>): Set<string> | undefined {
    if (params.get('q') !== 'search') throw paramError(`finder ${String(params.get('q'))} is not supported; use q=search`);
    const raw = params.get('search');
    if (raw === undefined) return undefined;
    const search = parseRestli(raw);
    const status = isRestliObject(search) ? search.status : undefined;
    const values = isRestliObject(status) ? status.values : undefined;
    if (!isRestliObject(search) || Object.keys(search).some((k) => k !== 'status') || !Array.isArray(values))
      throw paramError(`search: only (status:(values:List(…))) is simulated, got ${raw}`);
    return new Set(values.map(String));
  }

  /** A `pageToken`/`pageSize` page: `metadata.nextPageToken` while more follow. */
  page(params: Map<string, string>, all: readonly unknown[]): unknown {
    const sizeText = params.get('pageSize');
    const size = sizeText === undefined ? DEFAULT_PAGE_SIZE : Number(sizeText);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw paramError(`pageSize must be between 1 and ${MAX_PAGE_SIZE}`);
    const tokenText = params.get('pageToken');
    const offset = tokenText === undefined ? 0 : offsetOfToken(decodeURIComponent(tokenText));
    if (offset === undefined) throw paramError('pageToken is not valid');
    const next = offset + size;
    return { elements: all.slice(offset, next), metadata: next < all.length ? { nextPageToken: pageToken(next) } : {} };
  }

  private partialUpdate(request: LinkedInRequest, account: AdAccount, adset: AdSet): LinkedInResponse {
    if ((request.headers['x-restli-method'] ?? '').toUpperCase() !== 'PARTIAL_UPDATE')
      throw new LinkedInApiError(400, 'POST on a campaign needs X-RestLi-Method: PARTIAL_UPDATE', { code: 'METHOD_NOT_ALLOWED' });
    const body = request.body;
    const patch = isRecord(body) ? body.patch : undefined;
    const set = isRecord(patch) ? patch.$set : undefined;
    if (!isRecord(set) || Object.keys(patch as Record<string, unknown>).some((k) => k !== '$set'))
      throw new LinkedInApiError(400, 'The body must be {"patch":{"$set":{…}}}', { code: 'ILLEGAL_ARGUMENT' });
    const unknown = Object.keys(set).filter((k) => k !== 'dailyBudget' && k !== 'status');
    if (unknown.length > 0) throw new LinkedInApiError(422, `Fields not simulated: ${unknown.join(', ')}`, { code: 'FIELD_NOT_SUPPORTED' });
    let budgetMicros: number | undefined;
    if (set.dailyBudget !== undefined) budgetMicros = this.budgetOf(set.dailyBudget, account);
    let status: AdSet['status'] | undefined;
    if (set.status !== undefined) {
      status = WRITABLE_STATUS[String(set.status)];
      if (status === undefined) throw new LinkedInApiError(422, `status: ${String(set.status)} cannot be set`, { code: 'INVALID_VALUE' });
      // [U] A removed campaign is gone for good: LinkedIn takes no status change for it.
      if (adset.status === 'DELETED')
        throw new LinkedInApiError(400, `Campaign ${adset.adsetId} is ${CAMPAIGN_STATUS.DELETED}; its status cannot be changed`, {
          code: 'INVALID_STATUS_TRANSITION',
        });
    }
    // Validated whole before anything is applied, so a rejected patch changes nothing.
    if (budgetMicros !== undefined) this.market.setDailyBudget(adset.adsetId, budgetMicros);
    if (status !== undefined) this.market.setStatus(adset.adsetId, status);
    return { status: 204, headers: { 'x-restli-protocol-version': '2.0.0' }, text: '' };
  }

  private budgetOf(value: unknown, account: AdAccount): number {
    if (!isRecord(value) || typeof value.amount !== 'string' || typeof value.currencyCode !== 'string')
      throw new LinkedInApiError(422, 'dailyBudget must be {"amount":"<decimal>","currencyCode":"<ISO 4217>"}', { code: 'INVALID_VALUE' });
    if (value.currencyCode !== account.currency)
      throw new LinkedInApiError(
        422,
        `dailyBudget.currencyCode ${value.currencyCode} differs from the account currency ${account.currency}`,
        {
          code: 'INVALID_VALUE',
        },
      );
    let micros: number;
    try {
      if (!/^\d+(\.\d+)?$/.test(value.amount)) throw new Error('not a decimal');
      micros = decimalToMicros(value.amount);
    } catch {
      throw new LinkedInApiError(422, `dailyBudget.amount ${JSON.stringify(value.amount)} is not a decimal amount`, {
        code: 'INVALID_VALUE',
      });
    }
    if (floorToBillable(micros, account.currency) !== micros)
      throw new LinkedInApiError(422, `dailyBudget.amount has too many decimals for ${account.currency}`, { code: 'INVALID_VALUE' });
    return micros;
  }

  private analytics(params: Map<string, string>): unknown {
    if (params.get('q') !== 'analytics') throw paramError(`finder ${String(params.get('q'))} is not simulated; use q=analytics`);
    if (params.get('pivot') === 'CREATIVE' && params.get('timeGranularity') === 'DAILY') return this.creatives.analytics(params);
    if (params.get('pivot') !== 'CAMPAIGN') throw paramError('pivot: only CAMPAIGN and CREATIVE are simulated');
    if (params.get('timeGranularity') !== 'DAILY') throw paramError('timeGranularity: only DAILY is simulated');
    const { from, to } = this.dateRange(params.get('dateRange'));
    const accounts = this.urnList(params, 'accounts', ACCOUNT_URN);
    const campaigns = this.urnList(params, 'campaigns', CAMPAIGN_URN);
    if (accounts === undefined && campaigns === undefined) throw paramError('at least one facet (accounts, campaigns) is required');
    const fields = this.fields(params.get('fields'));
    const rows: DailyMetric[] = [];
    for (const account of this.visibleAccounts(accounts)) {
      for (const row of this.market.reportedResults(account.accountId, from, to)) {
        if (campaigns === undefined || campaigns.has(row.adsetId)) rows.push(row);
      }
    }
    rows.sort((a, b) => (a.date === b.date ? Number(a.adsetId) - Number(b.adsetId) : a.date < b.date ? -1 : 1));
    // LinkedIn has no paging here and drops what is past the cap without a word.
    const kept = rows.slice(0, this.maxElements);
    return { elements: kept.map((row) => this.element(row, fields)), paging: { count: 10, start: 0, links: [] } };
  }

  /** The analytics cap. */
  get maxElements(): number {
    return this.options.maxElements ?? FAKE_MAX_ELEMENTS;
  }

  /** The linkedin accounts an `accounts` facet names (all without one): no access and no activity look the same, an empty answer. */
  visibleAccounts(accounts: Set<string> | undefined): AdAccount[] {
    return this.market.accounts().filter((a) => a.platform === 'linkedin' && (accounts === undefined || accounts.has(a.accountId)));
  }

  /** The `dateRange` parameter as dates. */
  dateRange(raw: string | undefined): { from: LocalDate; to: LocalDate } {
    if (raw === undefined) throw paramError('dateRange is required');
    const range = parseRestli(raw);
    if (!isRestliObject(range) || range.start === undefined) throw paramError('dateRange must be (start:(year:…,month:…,day:…),end:(…))');
    const from = this.date(range.start, 'dateRange.start');
    const to = range.end === undefined ? localDateAt(this.market.now(), 'UTC') : this.date(range.end, 'dateRange.end');
    if (from > to) throw paramError('dateRange.start is after dateRange.end');
    return { from, to };
  }

  private date(value: RestliValue, field: string): LocalDate {
    if (!isRestliObject(value)) throw paramError(`${field} must be (year:…,month:…,day:…)`);
    const part = (name: string) => {
      const text = value[name];
      if (typeof text !== 'string' || !/^\d{1,4}$/.test(text)) throw paramError(`${field}.${name} must be a number`);
      return Number(text);
    };
    const date = `${String(part('year')).padStart(4, '0')}-${String(part('month')).padStart(2, '0')}-${String(part('day')).padStart(2, '0')}`;
    if (!isLocalDate(date)) throw paramError(`${field} is not a calendar date`);
    return date;
  }

  /** A `List(<URN>,…)` facet as ids; undefined when absent. */
  urnList(params: Map<string, string>, name: string, prefix: string): Set<string> | undefined {
    const raw = params.get(name);
    if (raw === undefined) return undefined;
    const list = parseRestli(raw);
    if (!Array.isArray(list) || list.length === 0) throw paramError(`${name} must be List(<URN>,…)`);
    const ids = new Set<string>();
    for (const item of list) {
      if (typeof item !== 'string' || !item.startsWith(prefix) || !/^\d+$/.test(item.slice(prefix.length)))
        throw paramError(`${name}: ${JSON.stringify(item)} is not a ${prefix}<id> URN`);
      ids.add(item.slice(prefix.length));
    }
    return ids;
  }

  /** The `fields` projection, checked against the metric limit. */
  fields(raw: string | undefined): string[] {
    // Without a projection LinkedIn answers impressions and clicks only.
    if (raw === undefined) return ['impressions', 'clicks'];
    const fields = raw.split(',').map((f) => decodeURIComponent(f));
    const unknown = fields.filter((f) => !ANALYTICS_METRICS.has(f) && !NON_METRIC_FIELDS.has(f));
    if (unknown.length > 0) throw paramError(`fields: unknown field(s) ${unknown.join(', ')}`);
    const metrics = fields.filter((f) => ANALYTICS_METRICS.has(f));
    if (metrics.length > MAX_METRICS) throw paramError(`fields: at most ${MAX_METRICS} metrics per request, got ${metrics.length}`);
    return fields;
  }

  /** One analytics element of a row, pivoted on its campaign unless `pivotValue` says otherwise. */
  element(row: DailyMetric, fields: readonly string[], pivotValue = `${CAMPAIGN_URN}${row.adsetId}`): Record<string, unknown> {
    const day = dateRecord(row.date);
    const conversions = this.options.conversionEncoding === 'string' ? String(row.conversions) : row.conversions;
    const all: Record<string, unknown> = {
      dateRange: { start: day, end: day },
      pivotValues: [pivotValue],
      impressions: row.impressions,
      clicks: row.clicks,
      costInLocalCurrency: amountText(row.spendMicros, row.currency),
      externalWebsiteConversions: conversions,
      externalWebsitePostClickConversions: conversions,
      externalWebsitePostViewConversions: this.options.conversionEncoding === 'string' ? '0' : 0,
      conversionValueInLocalCurrency: amountText(row.revenueMicros, row.currency),
      landingPageClicks: row.clicks,
    };
    // The fake knows no exchange rates: costInUsd is served for USD accounts only.
    if (row.currency === 'USD') all.costInUsd = all.costInLocalCurrency;
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      if (field in all) out[field] = all[field];
      else if (field !== 'costInUsd') out[field] = 0;
    }
    return out;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A market ad set as a LinkedIn campaign. */
export function campaignJson(adset: AdSet): Record<string, unknown> & { status: string } {
  return {
    id: Number(adset.adsetId),
    name: adset.name,
    account: `${ACCOUNT_URN}${adset.accountId}`,
    campaignGroup: `${CAMPAIGN_GROUP_URN}${adset.campaignId}`,
    status: CAMPAIGN_STATUS[adset.status],
    type: 'SPONSORED_UPDATES',
    costType: 'CPM',
    objectiveType: 'WEBSITE_CONVERSION',
    ...(adset.dailyBudgetMicros === null
      ? {}
      : { dailyBudget: { amount: amountText(adset.dailyBudgetMicros, adset.currency), currencyCode: adset.currency } }),
    version: { versionTag: '1' },
  };
}
