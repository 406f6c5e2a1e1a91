/**
 * The routes of the fake Google Ads REST API over a MarketSimulator, without any socket: a request in, a status,
 * headers and a JSON payload (or a searchStream array of batches) out. `server.ts` puts it on node:http.
 * Wire formats follow ../shared/PLATFORM_APIS.md §2; facts marked [U] there are assumptions here too.
 *
 * The market's google-ads "ad sets" are Google **campaigns** (adsetId = campaignId, budgetLevel 'campaign'):
 * each has its own CampaignBudget unless `sharedBudgets` groups several under one explicitly shared budget.
 */
import type { AdAccount } from '../../model/ads.ts';
import { SimAds } from '../ads.ts';
import { SimulationError } from '../errors.ts';
import type { FaultResponse } from '../faults.ts';
import type { MarketSimulator } from '../market.ts';
import { hashSeed } from '../random.ts';
import { mutateAdGroupAds } from './ads.ts';
import { type CampaignBudgetOptions, CampaignBudgets } from './budgets.ts';
import { mutateCampaigns } from './campaigns.ts';
import { GoogleAdsApiError } from './errors.ts';
import { GaqlRunner } from './query.ts';
import {
  badJsonPayload,
  errorBody,
  frontEndPage,
  internalError,
  invalidArgument,
  isRecord,
  permissionDenied,
  requestIdFor,
  resourceExhausted,
  unauthenticated,
  unavailable,
} from './wire.ts';

export { ownBudgetId, type SharedBudgetConfig } from './budgets.ts';

export interface FakeGoogleAdsApiOptions extends CampaignBudgetOptions {
  readonly market: MarketSimulator;
  /** The ads of the market's campaigns, served as ad group ads (default `new SimAds(market)`). */
  readonly ads?: SimAds;
  /** When set, requests must carry `Authorization: Bearer <it>` (401 otherwise). */
  readonly accessToken?: string;
  /** When set, a `developer-token` header, if sent, must equal it; a request without one is accepted (tokens are sunset). */
  readonly developerToken?: string;
  /** When set, the customers are reached through this manager: `login-customer-id` must name it (403 otherwise). */
  readonly loginCustomerId?: string;
  /** Rows per searchStream batch and per search page (Google: 10,000). */
  readonly rowsPerBatch?: number;
  /** [U] searchStream errors as `[{"error": …}]`, as streamed REST methods write them (default true); else `{"error": …}`. */
  readonly streamErrorsAsArray?: boolean;
}

export interface GoogleAdsRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: { readonly authorization?: string; readonly developerToken?: string; readonly loginCustomerId?: string };
  /** The parsed JSON body (undefined when there was none). */
  readonly body: unknown;
  /** Why the body could not be parsed as JSON, if it could not. */
  readonly bodyError?: string;
  /** 1-based request number. */
  readonly index: number;
}

/** A response: a JSON `payload`, a searchStream `stream` of batches (written as one JSON array), or a raw `text`. */
export interface GoogleAdsResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly payload?: unknown;
  readonly stream?: readonly unknown[];
  readonly text?: string;
}

const METHODS = new Set(['googleAds:searchStream', 'googleAds:search', 'campaignBudgets:mutate', 'campaigns:mutate', 'adGroupAds:mutate']);
const DEFAULT_ROWS_PER_BATCH = 10_000;

interface Route {
  readonly version: string;
  readonly customerId: string;
  readonly method: 'googleAds:searchStream' | 'googleAds:search' | 'campaignBudgets:mutate' | 'campaigns:mutate' | 'adGroupAds:mutate';
}

function parseRoute(path: string): Route | undefined {
  const m = /^\/(v\d+)\/customers\/([^/]+)\/([A-Za-z]+:[A-Za-z]+)$/.exec(path);
  if (!m?.[1] || !m[2] || !m[3] || !METHODS.has(m[3])) return undefined;
  return { version: m[1], customerId: m[2], method: m[3] as Route['method'] };
}

/** The fake Google Ads API: auth headers, routes, GAQL over the market and its ads, budget, campaign and ad status mutates. */
export class FakeGoogleAdsApi {
  private readonly market: MarketSimulator;
  private readonly options: FakeGoogleAdsApiOptions;
  private readonly budgets: CampaignBudgets;
  private readonly gaql: GaqlRunner;
  /** The ads served as ad group ads. */
  readonly ads: SimAds;

  constructor(options: FakeGoogleAdsApiOptions) {
    this.market = options.market;
    this.options = options;
    this.validateMarket();
    this.budgets = new CampaignBudgets(options.market, options);
    this.ads = options.ads ?? new SimAds(options.market);
    this.gaql = new GaqlRunner(options.market, this.budgets, this.ads);
  }

  /** Answers one request. */
  handle(request: GoogleAdsRequest): GoogleAdsResponse {
    const route = parseRoute(request.path);
    if (!route || request.method.toUpperCase() !== 'POST') return this.notFound(request);
    try {
      const account = this.authorize(request, route);
      if (request.bodyError !== undefined) throw badJsonPayload(request.bodyError);
      switch (route.method) {
        case 'googleAds:searchStream':
          return this.searchStream(account, request);
        case 'googleAds:search':
          return this.ok(request, this.search(account, request));
        case 'campaignBudgets:mutate':
        case 'campaigns:mutate':
        case 'adGroupAds:mutate':
          return this.ok(request, this.mutate(account, route, request));
      }
    } catch (error) {
      if (!(error instanceof GoogleAdsApiError)) throw error;
      return this.errorResponse(request, error);
    }
  }

  /** Renders a fault in Google's own style: 429 RESOURCE_EXHAUSTED with retryDelay, 5xx, an expired token. */
  faultResponse(
    request: GoogleAdsRequest,
    fault: Extract<FaultResponse, { kind: 'throttle' | 'server-error' | 'expired-token' }>,
  ): GoogleAdsResponse {
    switch (fault.kind) {
      case 'throttle':
        return this.errorResponse(request, resourceExhausted((fault.minutes ?? 1) * 60));
      case 'server-error': {
        const status = fault.status ?? 500;
        if (status === 500) return this.errorResponse(request, internalError());
        if (status === 503) return this.errorResponse(request, unavailable());
        return { status, headers: { 'content-type': 'text/html; charset=UTF-8' }, text: frontEndPage(status, request.path) };
      }
      case 'expired-token':
        return this.errorResponse(request, unauthenticated('OAUTH_TOKEN_EXPIRED', 'Oauth token is expired.'));
    }
  }

  /** Answers a request with an error found outside the routes (e.g. an unreadable body). */
  errorResponse(request: GoogleAdsRequest, error: GoogleAdsApiError): GoogleAdsResponse {
    const route = parseRoute(request.path);
    const requestId = requestIdFor(request.index);
    const body = errorBody(error, route?.version ?? 'v26', requestId);
    const wrap = route?.method === 'googleAds:searchStream' && this.options.streamErrorsAsArray !== false;
    return { status: error.httpStatus, headers: this.headers(request), payload: wrap ? [body] : body };
  }

  private ok(request: GoogleAdsRequest, payload: unknown): GoogleAdsResponse {
    return { status: 200, headers: this.headers(request), payload };
  }

  private headers(request: GoogleAdsRequest): Record<string, string> {
    return { 'content-type': 'application/json; charset=UTF-8', 'request-id': requestIdFor(request.index) };
  }

  private notFound(request: GoogleAdsRequest): GoogleAdsResponse {
    return { status: 404, headers: { 'content-type': 'text/html; charset=UTF-8' }, text: frontEndPage(404, request.path) };
  }

  // ---- auth -------------------------------------------------------------------------------------------

  private authorize(request: GoogleAdsRequest, route: Route): AdAccount {
    const { authorization, developerToken, loginCustomerId } = request.headers;
    const expected = this.options.accessToken;
    if (expected !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m) throw unauthenticated('OAUTH_TOKEN_HEADER_INVALID', 'Oauth token HTTP header is malformed.');
      if (m[1] !== expected) throw unauthenticated('OAUTH_TOKEN_INVALID', 'Oauth token is invalid.');
    }
    if (this.options.developerToken !== undefined && developerToken !== undefined && developerToken !== this.options.developerToken) {
      throw new GoogleAdsApiError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.', [
        { errorCode: { authenticationError: 'DEVELOPER_TOKEN_INVALID' }, message: 'The developer token is not valid.' },
      ]);
    }
    if (loginCustomerId !== undefined && !/^\d{1,20}$/.test(loginCustomerId)) {
      throw invalidArgument({
        errorCode: { headerError: 'INVALID_LOGIN_CUSTOMER_ID' },
        message: 'The login customer ID could not be validated.',
      });
    }
    if (!/^\d{1,20}$/.test(route.customerId)) {
      throw invalidArgument({ errorCode: { requestError: 'INVALID_CUSTOMER_ID' }, message: 'Customer ID is invalid.' });
    }
    const manager = this.options.loginCustomerId;
    if (manager !== undefined && loginCustomerId !== undefined && loginCustomerId !== manager) {
      throw permissionDenied('The login customer specified does not have access to the account specified, so the request is invalid.', {
        authorizationError: 'INVALID_LOGIN_CUSTOMER_ID_SERVING_CUSTOMER_ID_COMBINATION',
      });
    }
    const account = this.market.accounts().find((a) => a.platform === 'google-ads' && a.accountId === route.customerId);
    if (!account || (manager !== undefined && loginCustomerId === undefined)) {
      throw permissionDenied(
        "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header. See https://developers.google.com/google-ads/api/docs/concepts/call-structure#cid",
      );
    }
    return account;
  }

  // ---- reads ------------------------------------------------------------------------------------------

  private searchStream(account: AdAccount, request: GoogleAdsRequest): GoogleAdsResponse {
    const body = this.objectBody(request, ['query', 'summaryRowSetting']);
    const { results, fieldMask } = this.gaql.run(account, this.queryOf(body));
    const requestId = requestIdFor(request.index);
    const size = this.options.rowsPerBatch ?? DEFAULT_ROWS_PER_BATCH;
    const batches: Record<string, unknown>[] = [];
    for (let start = 0; start < results.length || batches.length === 0; start += size) {
      const chunk = results.slice(start, start + size);
      batches.push({ ...(chunk.length > 0 ? { results: chunk } : {}), fieldMask, requestId });
    }
    const last = batches[batches.length - 1];
    if (last) last.queryResourceConsumption = String(10 + results.length);
    return { status: 200, headers: this.headers(request), stream: batches };
  }

  private search(account: AdAccount, request: GoogleAdsRequest): Record<string, unknown> {
    const body = this.objectBody(request, [
      'query',
      'pageToken',
      'pageSize',
      'returnTotalResultsCount',
      'summaryRowSetting',
      'validateOnly',
    ]);
    if (body.pageSize !== undefined) {
      throw invalidArgument({
        errorCode: { requestError: 'PAGE_SIZE_NOT_SUPPORTED' },
        message: 'Setting the page size is not supported. Search Responses will have fixed page size of 10000 rows.',
      });
    }
    const query = this.queryOf(body);
    const { results, fieldMask } = this.gaql.run(account, query);
    const size = this.options.rowsPerBatch ?? DEFAULT_ROWS_PER_BATCH;
    let start = 0;
    if (body.pageToken !== undefined) {
      const m = typeof body.pageToken === 'string' ? /^(\d+):(\d+)$/.exec(Buffer.from(body.pageToken, 'base64url').toString()) : null;
      if (!m || Number(m[1]) !== hashSeed('page', query)) {
        throw invalidArgument({ errorCode: { requestError: 'INVALID_PAGE_TOKEN' }, message: 'Page token is invalid.' });
      }
      start = Number(m[2]);
    }
    const page = results.slice(start, start + size);
    const next =
      start + size < results.length ? Buffer.from(`${hashSeed('page', query)}:${start + size}`).toString('base64url') : undefined;
    return {
      ...(page.length > 0 ? { results: page } : {}),
      fieldMask,
      ...(next ? { nextPageToken: next } : {}),
      ...(body.returnTotalResultsCount === true ? { totalResultsCount: String(results.length) } : {}),
      requestId: requestIdFor(request.index),
      queryResourceConsumption: String(10 + page.length),
    };
  }

  private objectBody(request: GoogleAdsRequest, allowed: readonly string[]): Record<string, unknown> {
    const body = request.body ?? {};
    if (!isRecord(body)) throw badJsonPayload('The request body must be a JSON object.');
    for (const key of Object.keys(body)) {
      if (!allowed.includes(key)) throw badJsonPayload(`Unknown name "${key}": Cannot find field.`);
    }
    return body;
  }

  private queryOf(body: Record<string, unknown>): string {
    if (body.summaryRowSetting !== undefined && body.summaryRowSetting !== 'NO_SUMMARY_ROW') {
      throw invalidArgument({
        errorCode: { queryError: 'QUERY_ERROR' },
        message: 'The fake Google Ads API serves summaryRowSetting NO_SUMMARY_ROW only.',
      });
    }
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      throw invalidArgument({
        errorCode: { requestError: 'REQUIRED_FIELD_MISSING' },
        message: 'The required field query was not present.',
      });
    }
    return body.query;
  }

  private mutate(account: AdAccount, route: Route, request: GoogleAdsRequest): Record<string, unknown> {
    const body = this.objectBody(request, ['operations', 'partialFailure', 'validateOnly', 'responseContentType']);
    const call = { customerId: route.customerId, apiVersion: route.version, requestId: requestIdFor(request.index), body };
    if (route.method === 'adGroupAds:mutate') return mutateAdGroupAds(this.ads, account, call);
    return route.method === 'campaigns:mutate' ? mutateCampaigns(this.market, account, call) : this.budgets.mutate(account, call);
  }

  /** The market's google-ads ad sets must be campaigns: digit ids, campaignId = adsetId, budgetLevel 'campaign'. */
  private validateMarket(): void {
    for (const a of this.market.accounts()) {
      if (a.platform === 'google-ads' && !/^\d{1,20}$/.test(a.accountId))
        throw new SimulationError(`Google Ads customer id must be digits: ${a.accountId}`);
    }
    for (const c of this.market.adsets().filter((a) => a.platform === 'google-ads')) {
      if (!/^\d{1,19}$/.test(c.adsetId) || c.campaignId !== c.adsetId || c.budgetLevel !== 'campaign') {
        throw new SimulationError(
          `Google Ads ad set ${c.adsetId} must be a campaign: digits, campaignId equal to adsetId, budgetLevel 'campaign'`,
        );
      }
    }
  }
}
