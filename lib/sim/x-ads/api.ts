/**
 * The routes of the fake X Ads API v12 over a MarketSimulator, without any socket: a request in, a status,
 * headers and a JSON body (or gzip bytes) out; `server.ts` puts it on node:http. Wire formats and limits follow
 * ../shared/PLATFORM_APIS.md §7.1; facts marked [U] there are assumptions here too.
 *
 * Every request but a job download must carry a valid OAuth 1.0a signature for the configured credentials and a
 * fresh timestamp (401 UNAUTHORIZED_ACCESS otherwise, as X answers). The market's x-ads ad sets are line items;
 * their campaigns are the groups of line items sharing a campaign id. A campaign whose line items have
 * budgetLevel 'campaign' holds the daily budget (the sum of their shares; a write is split in proportion), the
 * others leave it null and budget each line item. Stats are served per line item, DAY granularity, in windows of
 * at most 7 days (90 for jobs) aligned to account-local midnight with today's offset; a day a line item served
 * nothing is null in every array.
 */
import type { AdAccount } from '../../model/ads.ts';
import { addDays } from '../../model/dates.ts';
import { type OAuth1Credentials, verifyRequest } from '../../platforms/x-ads/oauth1.ts';
import { SimAds } from '../ads.ts';
import { SimulationError } from '../errors.ts';
import type { FaultResponse } from '../faults.ts';
import type { MarketSimulator } from '../market.ts';
import { promotedTweetRows, promotedTweetTruth, putPromotedTweet } from './ads.ts';
import { XAdsApiError } from './errors.ts';
import { DOWNLOAD_PREFIX, JobStore, jobJson, MAX_CONCURRENT_JOBS } from './jobs.ts';
import { DEFAULT_LIMITS, type LimitCategory, type LimitRule, limitHeaders, RateLimiter } from './limits.ts';
import { booleanParam, idFilter, MAX_FILTER_IDS, type Params } from './params.ts';
import {
  accountJson,
  alignedLocalDate,
  campaignJson,
  campaignsOf,
  type DayWindow,
  decodeCursor,
  encodeCursor,
  errorBody,
  type FakeCampaign,
  fundingInstrumentId,
  fundingInstrumentJson,
  lineItemJson,
  parseXTime,
  type SaleAmountUnit,
  statsPayload,
} from './wire.ts';
import { putCampaign, putLineItem } from './writes.ts';

export interface FakeXAdsApiOptions {
  readonly market: MarketSimulator;
  /** When set, every request must be signed with these (401 otherwise). */
  readonly credentials?: OAuth1Credentials;
  /** First path segment (default "12"). */
  readonly apiVersion?: string;
  /** Largest |oauth_timestamp − market clock| accepted, in seconds (default 300 [U]); null accepts any. */
  readonly maxTimestampSkewSeconds?: number | null;
  /** How `sale_amount` is written [U] (default micros). */
  readonly saleAmountUnit?: SaleAmountUnit;
  /** Polls after which a job is SUCCESS (default 2: the first poll still sees PROCESSING). */
  readonly jobReadyAfterPolls?: number;
  /** Rate limits per category (default the documented ones). */
  readonly limits?: Partial<Record<LimitCategory, LimitRule>>;
  /** The ads (promoted tweets) of the market's line items (default `new SimAds(market)`). */
  readonly ads?: SimAds;
}

export interface XAdsRequest {
  readonly method: string;
  /** The URL as the client addressed it (origin from the Host header): its query is what was signed. */
  readonly url: URL;
  readonly authorization: string | undefined;
  readonly index: number;
}

export interface XAdsResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** A JSON body; absent when `text` or `bytes` is set. */
  readonly payload?: unknown;
  readonly text?: string;
  readonly bytes?: Buffer;
}

const MAX_COUNT = 1000;
const DEFAULT_COUNT = 200;
const MAX_ENTITY_IDS = 20;
const MAX_SYNC_DAYS = 7;
const MAX_JOB_DAYS = 90;
const ENTITIES = ['ACCOUNT', 'CAMPAIGN', 'FUNDING_INSTRUMENT', 'LINE_ITEM', 'PROMOTED_ACCOUNT', 'PROMOTED_TWEET'];
const PLACEMENTS = ['ALL_ON_TWITTER', 'PUBLISHER_NETWORK', 'SPOTLIGHT', 'TREND'];
const METRIC_GROUPS = ['BILLING', 'ENGAGEMENT', 'LIFE_TIME_VALUE_MOBILE_CONVERSION', 'MOBILE_CONVERSION', 'VIDEO', 'WEB_CONVERSION'];

const ID = '([A-Za-z0-9_-]+)';
/** Method, path pattern (after the version), route name and rate-limit category. */
const ROUTES: readonly (readonly [string, RegExp, string, LimitCategory])[] = [
  ['GET', new RegExp(`^accounts/${ID}$`), 'account', 'account-read'],
  ['GET', new RegExp(`^accounts/${ID}/funding_instruments$`), 'funding_instruments', 'entity-read'],
  ['GET', new RegExp(`^accounts/${ID}/campaigns$`), 'campaigns', 'entity-read'],
  ['GET', new RegExp(`^accounts/${ID}/line_items$`), 'line_items', 'entity-read'],
  ['PUT', new RegExp(`^accounts/${ID}/campaigns/${ID}$`), 'campaign-put', 'write'],
  ['PUT', new RegExp(`^accounts/${ID}/line_items/${ID}$`), 'line_item-put', 'write'],
  ['GET', new RegExp(`^accounts/${ID}/promoted_tweets$`), 'promoted_tweets', 'entity-read'],
  ['PUT', new RegExp(`^accounts/${ID}/promoted_tweets/${ID}$`), 'promoted_tweet-put', 'write'],
  ['GET', new RegExp(`^stats/accounts/${ID}$`), 'stats', 'stats'],
  ['POST', new RegExp(`^stats/jobs/accounts/${ID}$`), 'jobs-create', 'write'],
  ['GET', new RegExp(`^stats/jobs/accounts/${ID}$`), 'jobs-list', 'account-read'],
];

/** A routed request: what it is about and which rate limit it counts against. */
interface Route {
  readonly name: string;
  readonly accountId: string;
  readonly entityId?: string;
  readonly category: LimitCategory;
}

/** The fake X Ads API: accounts, funding instruments, campaigns, line items, budget PUTs, sync stats and async stats jobs. */
export class FakeXAdsApi {
  private readonly market: MarketSimulator;
  private readonly options: FakeXAdsApiOptions;
  private readonly prefix: string;
  private readonly jobs: JobStore;
  private readonly limiter: RateLimiter;
  private readonly ads: SimAds;

  constructor(options: FakeXAdsApiOptions) {
    this.market = options.market;
    this.ads = options.ads ?? new SimAds(options.market);
    this.options = options;
    this.prefix = `/${options.apiVersion ?? '12'}/`;
    this.jobs = new JobStore(Math.max(1, options.jobReadyAfterPolls ?? 2));
    this.limiter = new RateLimiter({ ...DEFAULT_LIMITS, ...options.limits });
    const accounts = options.market.accounts().filter((a) => a.platform === 'x-ads');
    if (accounts.length === 0) throw new SimulationError('the market has no x-ads account');
    for (const account of accounts) for (const campaign of this.campaigns(account)) this.assertOneLevel(campaign);
  }

  /** Answers one request. */
  handle(request: XAdsRequest): XAdsResponse {
    const params = new Map<string, string>();
    try {
      if (request.method === 'GET' && request.url.pathname.startsWith(DOWNLOAD_PREFIX)) return this.download(request);
      for (const [key, value] of request.url.searchParams) {
        if (params.has(key)) throw new XAdsApiError(400, 'INVALID_PARAMETER', `Duplicate parameter ${key}`, key);
        params.set(key, value);
      }
      const route = this.route(request);
      this.authorize(request);
      const count = this.limiter.count(route.category, `${route.accountId}|${route.name}`, this.nowSeconds());
      const headers = { ...this.baseHeaders(), ...limitHeaders(count) };
      if (count.exceeded) throw new XAdsApiError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded', undefined, headers);
      const payload = this.dispatch(route, params, request);
      const extra = route.name.startsWith('jobs') ? this.jobHeaders(route.accountId) : {};
      return { status: 200, headers: { ...headers, ...extra }, payload };
    } catch (error) {
      if (!(error instanceof XAdsApiError)) throw error;
      const headers = error.headers ?? this.baseHeaders();
      return { status: error.status, headers, payload: errorBody(error, Object.fromEntries(params)) };
    }
  }

  /** The rate-limit category of a request, for fault rendering; undefined when it names no route. */
  categoryOf(request: XAdsRequest): LimitCategory | undefined {
    try {
      return this.route(request).category;
    } catch {
      return undefined;
    }
  }

  /** Renders a fault in X's own style: a 429 at the reset, a 503 with retry-after, a gateway page, a 401. */
  faultResponse(
    request: XAdsRequest,
    fault: Extract<FaultResponse, { kind: 'throttle' | 'server-error' | 'expired-token' }>,
  ): XAdsResponse {
    const params = Object.fromEntries(request.url.searchParams);
    const now = this.nowSeconds();
    switch (fault.kind) {
      case 'throttle': {
        const reset = now + Math.round((fault.minutes ?? 1) * 60);
        const category = this.categoryOf(request) ?? 'account-read';
        const rule = { ...DEFAULT_LIMITS[category], ...this.options.limits?.[category] };
        const headers = { ...this.baseHeaders(), ...limitHeaders({ rule, remaining: 0, resetEpochSeconds: reset }) };
        // An account-level throttle comes with user-level headers that still have room and a later reset: the
        // account-level ones are the ones to honour.
        if (rule.level === 'account')
          Object.assign(
            headers,
            limitHeaders({ rule: { ...rule, level: 'user' }, remaining: rule.limit - 1, resetEpochSeconds: now + 900 }),
          );
        return { status: 429, headers, payload: errorBody(new XAdsApiError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded'), params) };
      }
      case 'server-error': {
        const status = fault.status ?? 503;
        if (status === 503) {
          return {
            status,
            headers: { ...this.baseHeaders(), 'retry-after': '2' },
            payload: errorBody(
              new XAdsApiError(
                503,
                'SERVICE_UNAVAILABLE',
                'Service unavailable due to request timeout; please try the request again later',
              ),
              params,
            ),
          };
        }
        if (status === 500)
          return {
            status,
            headers: this.baseHeaders(),
            payload: errorBody(new XAdsApiError(500, 'INTERNAL_ERROR', 'Internal error'), params),
          };
        return {
          status,
          headers: { 'content-type': 'text/html' },
          text: `<html><head><title>${status}</title></head><body>${status} Bad Gateway</body></html>`,
        };
      }
      case 'expired-token':
        return {
          status: 401,
          headers: this.baseHeaders(),
          payload: errorBody(new XAdsApiError(401, 'UNAUTHORIZED_ACCESS', 'This request is not properly authenticated'), params),
        };
    }
  }

  private nowSeconds(): number {
    return Math.floor(this.market.now().getTime() / 1000);
  }

  private baseHeaders(): Record<string, string> {
    return { 'content-type': 'application/json;charset=utf-8', 'x-current-api-version': this.prefix.slice(1, -1) };
  }

  private jobHeaders(accountId: string): Record<string, string> {
    return {
      'x-concurrent-job-limit': String(MAX_CONCURRENT_JOBS),
      'x-concurrent-job-limit-remaining': String(MAX_CONCURRENT_JOBS - this.jobs.processing(accountId)),
    };
  }

  private route(request: XAdsRequest): Route {
    const path = request.url.pathname;
    if (!path.startsWith(this.prefix)) throw new XAdsApiError(404, 'NOT_FOUND', `No route for ${path}`);
    const rest = path.slice(this.prefix.length).replace(/\/$/, '');
    const method = request.method.toUpperCase();
    for (const [verb, pattern, name, category] of ROUTES) {
      const m = verb === method ? pattern.exec(rest) : null;
      if (m) return { name, accountId: m[1] ?? '', ...(m[2] === undefined ? {} : { entityId: m[2] }), category };
    }
    throw new XAdsApiError(404, 'NOT_FOUND', `No route for ${method} ${path}`);
  }

  private authorize(request: XAdsRequest): void {
    const credentials = this.options.credentials;
    if (credentials === undefined) return;
    const check = verifyRequest({ method: request.method, url: request.url }, request.authorization, (key, token) =>
      key === credentials.consumerKey && token === credentials.accessToken
        ? { consumerSecret: credentials.consumerSecret, tokenSecret: credentials.accessTokenSecret }
        : undefined,
    );
    if (!check.ok) throw new XAdsApiError(401, 'UNAUTHORIZED_ACCESS', `This request is not properly authenticated (${check.reason})`);
    const skew = this.options.maxTimestampSkewSeconds === undefined ? 300 : this.options.maxTimestampSkewSeconds;
    if (skew !== null && Math.abs(check.timestamp - this.nowSeconds()) > skew)
      throw new XAdsApiError(401, 'UNAUTHORIZED_ACCESS', 'This request is not properly authenticated (timestamp out of bounds)');
  }

  private dispatch(route: Route, params: Params, request: XAdsRequest): unknown {
    const account = this.account(route.accountId);
    const echo = { account_id: account.accountId, ...Object.fromEntries(params) };
    switch (route.name) {
      case 'account':
        return { request: { params: echo }, data: accountJson(account) };
      case 'funding_instruments':
        return this.paged(params, [fundingInstrumentJson(account, fundingInstrumentId(account))], echo);
      case 'campaigns':
        return this.listCampaigns(account, params, echo);
      case 'line_items':
        return this.listLineItems(account, params, echo);
      case 'campaign-put':
        return putCampaign(this.market, account, route.entityId ?? '', params, echo);
      case 'line_item-put':
        return putLineItem(this.market, account, route.entityId ?? '', params, echo);
      case 'promoted_tweets': {
        const status = (id: string) => this.market.adset(id).status;
        return this.paged(params, promotedTweetRows(this.ads, status, account, params), echo);
      }
      case 'promoted_tweet-put':
        return putPromotedTweet(this.ads, account, route.entityId ?? '', params, echo);
      case 'stats':
        return this.stats(account, params, MAX_SYNC_DAYS, echo);
      case 'jobs-create':
        return this.createJob(account, params, echo, request.url.origin);
      default:
        return this.listJobs(account, params, echo, request.url.origin);
    }
  }

  private account(accountId: string): AdAccount {
    const account = this.market.accounts().find((a) => a.platform === 'x-ads' && a.accountId === accountId);
    if (!account) throw new XAdsApiError(404, 'NOT_FOUND', `Account ${accountId} was not found`);
    return account;
  }

  private campaigns(account: AdAccount): FakeCampaign[] {
    return campaignsOf(this.market.adsets(account.accountId));
  }

  private assertOneLevel(campaign: FakeCampaign): void {
    const levels = new Set(campaign.lineItems.map((li) => li.budgetLevel));
    if (levels.size > 1)
      throw new SimulationError(
        `x-ads campaign ${campaign.id} mixes campaign and line-item budgets; the fake keeps one level per campaign`,
      );
  }

  private listCampaigns(account: AdAccount, params: Params, echo: Record<string, unknown>): unknown {
    const ids = idFilter(params, 'campaign_ids');
    const withDeleted = booleanParam(params, 'with_deleted');
    const rows = this.campaigns(account)
      .filter((c) => ids === undefined || ids.includes(c.id))
      .map((c) => campaignJson(account, c, fundingInstrumentId(account)))
      .filter((c) => withDeleted || c.deleted !== true);
    return this.paged(params, rows, echo);
  }

  private listLineItems(account: AdAccount, params: Params, echo: Record<string, unknown>): unknown {
    const ids = idFilter(params, 'line_item_ids');
    const campaignIds = idFilter(params, 'campaign_ids');
    const withDeleted = booleanParam(params, 'with_deleted');
    const rows = this.market
      .adsets(account.accountId)
      .filter((li) => (ids === undefined || ids.includes(li.adsetId)) && (campaignIds === undefined || campaignIds.includes(li.campaignId)))
      .filter((li) => withDeleted || li.status !== 'DELETED')
      .map((li) => lineItemJson(account, li));
    return this.paged(params, rows, echo);
  }

  /** One page of `rows` by `count` and the opaque `cursor`. */
  private paged(params: Params, rows: readonly unknown[], echo: Record<string, unknown>): unknown {
    const countText = params.get('count');
    const count = countText === undefined ? DEFAULT_COUNT : Number(countText);
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)
      throw new XAdsApiError(
        400,
        'INVALID_PARAMETER',
        `Expected an integer between 1 and ${MAX_COUNT}, got "${countText}" for count`,
        'count',
      );
    const cursor = params.get('cursor');
    if (cursor !== undefined && params.get('with_total_count') === 'true')
      throw new XAdsApiError(400, 'EXCLUSIVE_PARAMETERS', 'with_total_count and cursor are exclusive', 'cursor');
    const offset = cursor === undefined ? 0 : decodeCursor(cursor);
    if (offset === undefined || offset > rows.length)
      throw new XAdsApiError(400, 'INVALID_PARAMETER', `Invalid cursor "${cursor}"`, 'cursor');
    const end = offset + count;
    return {
      request: { params: echo },
      next_cursor: end < rows.length ? encodeCursor(end) : null,
      data: rows.slice(offset, end),
      ...(params.get('with_total_count') === 'true' ? { total_count: rows.length } : {}),
    };
  }

  /** Validates stats parameters (sync or job) and returns the window, ids and groups they ask for. */
  private statsQuery(
    account: AdAccount,
    params: Params,
    maxDays: number,
  ): { entity: string; window: DayWindow; ids: string[]; groups: string[]; placement: string } {
    for (const name of ['entity', 'entity_ids', 'start_time', 'end_time', 'granularity', 'placement', 'metric_groups']) {
      if (!params.get(name)) throw new XAdsApiError(400, 'MISSING_PARAMETER', `${name} is missing`, name);
    }
    const entity = params.get('entity') ?? '';
    if (!ENTITIES.includes(entity))
      throw new XAdsApiError(400, 'INVALID_PARAMETER', `Expected one of ${ENTITIES.join(', ')}, got "${entity}" for entity`, 'entity');
    if (entity !== 'LINE_ITEM' && entity !== 'PROMOTED_TWEET')
      throw new XAdsApiError(400, 'INVALID_PARAMETER', '[U] the fake simulates entity=LINE_ITEM and PROMOTED_TWEET only', 'entity');
    const ids = (params.get('entity_ids') ?? '').split(',');
    if (ids.length > MAX_ENTITY_IDS || new Set(ids).size !== ids.length || ids.some((i) => i === ''))
      throw new XAdsApiError(
        400,
        'INVALID_PARAMETER',
        `entity_ids takes 1 to ${MAX_ENTITY_IDS} distinct ids, got ${ids.length}`,
        'entity_ids',
      );
    if (params.get('granularity') !== 'DAY')
      throw new XAdsApiError(400, 'INVALID_PARAMETER', '[U] the fake simulates granularity=DAY only', 'granularity');
    const placement = params.get('placement') ?? '';
    if (!PLACEMENTS.includes(placement))
      throw new XAdsApiError(
        400,
        'INVALID_PARAMETER',
        `Expected one of ${PLACEMENTS.join(', ')}, got "${placement}" for placement`,
        'placement',
      );
    const groups = (params.get('metric_groups') ?? '').split(',');
    for (const group of groups)
      if (!METRIC_GROUPS.includes(group))
        throw new XAdsApiError(400, 'INVALID_PARAMETER', `Unknown metric group "${group}"`, 'metric_groups');
    if (groups.includes('MOBILE_CONVERSION') && groups.length > 1)
      throw new XAdsApiError(400, 'INVALID_METRICS', 'MOBILE_CONVERSION must be requested on its own', 'metric_groups');
    const now = this.market.now();
    const time = (name: 'start_time' | 'end_time') => {
      const text = params.get(name) ?? '';
      const at = parseXTime(text, account.timezone, now);
      if (!at) throw new XAdsApiError(400, 'INVALID_PARAMETER', `Expected time, got "${text}" for ${name}`, name);
      if (at.getTime() % 3_600_000 !== 0) throw new XAdsApiError(400, 'INVALID_TIME_WINDOW', `${name} must be a whole hour`, name);
      return at;
    };
    const start = time('start_time');
    const end = time('end_time');
    if (end.getTime() <= start.getTime())
      throw new XAdsApiError(400, 'INVALID_TIME_WINDOW', 'end_time must be after start_time', 'end_time');
    const days = (end.getTime() - start.getTime()) / 86_400_000;
    if (days > maxDays) throw new XAdsApiError(400, 'INVALID_TIME_WINDOW', `The time window may span at most ${maxDays} days`, 'end_time');
    const from = alignedLocalDate(start, account.timezone, now);
    const after = alignedLocalDate(end, account.timezone, now);
    if (from === undefined || after === undefined || !Number.isInteger(days))
      throw new XAdsApiError(
        400,
        'INVALID_TIME_WINDOW',
        `With granularity DAY, start_time and end_time must be midnight in the account time zone ${account.timezone} (today's offset)`,
        from === undefined ? 'start_time' : 'end_time',
      );
    return { entity, window: { from, days }, ids, groups, placement };
  }

  private statsPayloadFor(account: AdAccount, query: ReturnType<FakeXAdsApi['statsQuery']>, params: Record<string, unknown>): unknown {
    const { entity, window, ids, groups, placement } = query;
    // Only ALL_ON_TWITTER delivers in the market; other placements report nothing.
    const truth =
      placement !== 'ALL_ON_TWITTER'
        ? []
        : entity === 'PROMOTED_TWEET'
          ? promotedTweetTruth(this.ads, account, ids, window.from, window.days)
          : this.market.reportedResults(account.accountId, window.from, addDays(window.from, window.days - 1));
    return statsPayload(window, ids, truth, groups, this.options.saleAmountUnit ?? 'micros', params);
  }

  private echoStats(query: ReturnType<FakeXAdsApi['statsQuery']>, echo: Record<string, unknown>): Record<string, unknown> {
    return { ...echo, entity_ids: query.ids, metric_groups: query.groups, segmentation_type: null, country: null, platform: null };
  }

  private stats(account: AdAccount, params: Params, maxDays: number, echo: Record<string, unknown>): unknown {
    const query = this.statsQuery(account, params, maxDays);
    return this.statsPayloadFor(account, query, this.echoStats(query, echo));
  }

  private createJob(account: AdAccount, params: Params, echo: Record<string, unknown>, origin: string): unknown {
    const query = this.statsQuery(account, params, MAX_JOB_DAYS);
    if (this.jobs.processing(account.accountId) >= MAX_CONCURRENT_JOBS)
      throw new XAdsApiError(400, 'JOB_LIMIT_EXCEEDED', `At most ${MAX_CONCURRENT_JOBS} concurrent jobs per ads account`);
    const jobParams = this.echoStats(query, echo);
    const { account_id: _account, ...shown } = jobParams;
    const job = this.jobs.create(account.accountId, shown, this.market.now(), () => this.statsPayloadFor(account, query, jobParams));
    return { request: { params: jobParams }, data: jobJson(job, origin) };
  }

  private listJobs(account: AdAccount, params: Params, echo: Record<string, unknown>, origin: string): unknown {
    const ids = params.get('job_ids')?.split(',');
    if (ids !== undefined && ids.length > MAX_FILTER_IDS)
      throw new XAdsApiError(400, 'INVALID_PARAMETER', `job_ids takes at most ${MAX_FILTER_IDS} ids`, 'job_ids');
    const rows = this.jobs.list(account.accountId, ids).map((job) => {
      this.jobs.poll(job);
      return jobJson(job, origin);
    });
    return this.paged(params, rows, echo);
  }

  /** A job's result file: gzip, no OAuth needed [U] (a pre-authorized CDN link). */
  private download(request: XAdsRequest): XAdsResponse {
    const job = this.jobs.byDownloadPath(request.url.pathname);
    if (!job?.gzip) return { status: 404, headers: { 'content-type': 'text/html' }, text: '<html><body>404 Not Found</body></html>' };
    return { status: 200, headers: { 'content-type': 'application/gzip' }, bytes: job.gzip };
  }
}
