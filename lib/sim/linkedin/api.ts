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
 *
 * This file is the gate (URL length, token, version, quota) and the routing; the routes live in campaigns.ts
 * (accounts, campaigns, groups, campaign writes), analytics.ts (adAnalytics) and ads.ts (creatives), reading
 * their parameters with params.ts and wire.ts.
 */
import type { AdAccount, AdSet, DailyMetric } from '../../model/ads.ts';
import { type LocalDate, localDateAt } from '../../model/dates.ts';
import { SimAds } from '../ads.ts';
import { SimulationError } from '../errors.ts';
import type { FaultResponse } from '../faults.ts';
import type { MarketSimulator } from '../market.ts';
import { LinkedInCreatives } from './ads.ts';
import { analyticsElement, analyticsFields, campaignAnalytics, FAKE_MAX_ELEMENTS } from './analytics.ts';
import { accountJson, campaignJson, campaignSearch, groupSearch, updateCampaign } from './campaigns.ts';
import { LinkedInApiError, RestliSyntaxError } from './errors.ts';
import { dateRange, page, paramError, urnList } from './params.ts';
import { CAMPAIGN_URN, rawQueryParams } from './wire.ts';

export { FAKE_MAX_ELEMENTS, MAX_METRICS } from './analytics.ts';
export { campaignJson } from './campaigns.ts';
export { MAX_PAGE_SIZE } from './params.ts';
export { ACCOUNT_URN, amountText, CAMPAIGN_GROUP_URN, CAMPAIGN_URN, dateRecord } from './wire.ts';

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

const PREFIX = '/rest/';

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
        if (method === 'POST' && creative !== undefined) return this.creatives.partialUpdate(request, account, creative);
      }
      const [, accountId, collection, campaignId] =
        /^adAccounts\/(\d+)(?:\/(adCampaigns|adCampaignGroups))?(?:\/(\d+))?$/.exec(route) ?? [];
      if (accountId !== undefined) {
        const account = this.account(accountId);
        if (method === 'GET' && collection === undefined && campaignId === undefined) return this.ok(accountJson(account));
        if (method === 'GET' && collection === 'adCampaigns' && campaignId === undefined)
          return this.ok(campaignSearch(this.market, params, account));
        if (method === 'GET' && collection === 'adCampaignGroups' && campaignId === undefined)
          return this.ok(groupSearch(this.market, params, account));
        if (collection === 'adCampaigns' && campaignId !== undefined) {
          const adset = this.campaign(account, campaignId);
          if (method === 'GET') return this.ok(campaignJson(adset));
          if (method === 'POST') return updateCampaign(this.market, request, account, adset);
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

  private analytics(params: Map<string, string>): unknown {
    if (params.get('q') !== 'analytics') throw paramError(`finder ${String(params.get('q'))} is not simulated; use q=analytics`);
    if (params.get('pivot') === 'CREATIVE' && params.get('timeGranularity') === 'DAILY') return this.creatives.analytics(params);
    if (params.get('pivot') !== 'CAMPAIGN') throw paramError('pivot: only CAMPAIGN and CREATIVE are simulated');
    return campaignAnalytics(this, this.market, params);
  }

  // The parts the creative and campaign analytics routes share (LinkedInApiParts in ads.ts).

  /** A `pageToken`/`pageSize` page: `metadata.nextPageToken` while more follow. */
  page(params: Map<string, string>, all: readonly unknown[]): unknown {
    return page(params, all);
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
    return dateRange(raw, () => this.market.now());
  }

  /** A `List(<URN>,…)` facet as ids; undefined when absent. */
  urnList(params: Map<string, string>, name: string, prefix: string): Set<string> | undefined {
    return urnList(params, name, prefix);
  }

  /** The `fields` projection, checked against the metric limit. */
  fields(raw: string | undefined): string[] {
    return analyticsFields(raw);
  }

  /** One analytics element of a row, pivoted on its campaign unless `pivotValue` says otherwise. */
  element(row: DailyMetric, fields: readonly string[], pivotValue = `${CAMPAIGN_URN}${row.adsetId}`): Record<string, unknown> {
    return analyticsElement(row, fields, pivotValue, this.options.conversionEncoding);
  }
}
