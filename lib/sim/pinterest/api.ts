/**
 * The routes of the fake Pinterest API v5 over a MarketSimulator, without any socket: a request in, a status,
 * headers and a JSON body out; `server.ts` puts it on node:http. Wire formats and limits follow
 * ../shared/PLATFORM_APIS.md §7.2; facts marked [U] there are assumptions here too.
 *
 * The market's pinterest ad sets are ad groups; their campaigns are the market's campaign ids. Ad sets with
 * budgetLevel 'campaign' belong to a CBO campaign whose daily_spend_cap is the sum of their budgets; writing the cap
 * splits it over them in proportion to their budgets. Analytics dates are UTC dates, so the market's pinterest
 * accounts must be on UTC. Errors are `{code, message}` with an HTTP status; batch PATCH items fail one by one in
 * `exceptions`.
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { addDays, daysBetween, isLocalDate, type LocalDate, localDateAt } from '../../model/dates.ts';
import { floorToBillable } from '../../model/money.ts';
import { SimAds } from '../ads.ts';
import { SimulationError } from '../errors.ts';
import type { FaultResponse } from '../faults.ts';
import type { MarketSimulator } from '../market.ts';
import { adAnalyticsRows, listAds, patchAds } from './ads.ts';
import { entityStatuses, failure, idList, isRecord, PinterestApiError, page, parseJson, patchBody } from './requests.ts';
import { adGroupJson, analyticsRow, campaignJson, type FakeCampaign, SIMULATED_COLUMNS } from './wire.ts';

export { PinterestApiError } from './requests.ts';

export interface FakePinterestOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The refresh token that is valid at the start; each refresh rotates it. */
  readonly refreshToken: string;
}

export interface FakePinterestApiOptions {
  readonly market: MarketSimulator;
  /** When set, requests must carry `Authorization: Bearer <it>` (or a token issued by a refresh). */
  readonly accessToken?: string;
  /** Enables `POST /v5/oauth/token` (refresh) for this client. */
  readonly oauth?: FakePinterestOAuth;
  /** The starting access token is already expired: 401 until refreshed. */
  readonly accessTokenExpired?: boolean;
  /** Polls that answer IN_PROGRESS before a report is FINISHED (default 1). */
  readonly reportPolls?: number;
  /** The ads of the market's ad groups (default `new SimAds(market)`). */
  readonly ads?: SimAds;
}

export interface PinterestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The Authorization header as sent. */
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  /** The raw body text. */
  readonly body: string;
  readonly index: number;
  /** The server's origin, for report download URLs. */
  readonly origin: string;
}

export interface PinterestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The JSON body; absent when `text` is set. */
  readonly payload?: unknown;
  readonly text?: string;
}

const PREFIX = '/v5/';
const DOWNLOADS = '/downloads/reports/';
const MAX_ANALYTICS_DAYS = 90;
const MAX_ANALYTICS_DAYS_BACK = 90;
const MAX_REPORT_DAYS = 186;
const MAX_REPORT_DAYS_BACK = 914;
const MAX_REPORT_IDS = 500;
const WINDOWS = new Set(['0', '1', '7', '14', '30', '60']);
const ACCESS_TOKEN_SECONDS = 2_592_000;
const REFRESH_TOKEN_SECONDS = 5_184_000;
const INVALID_ANALYTICS = 'Invalid ad account group analytics parameters.';

interface Report {
  readonly accountId: string;
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly columns: readonly string[];
  readonly adGroupIds: ReadonlySet<string> | undefined;
  polls: number;
}

const json = { 'content-type': 'application/json' };

/** The fake Pinterest API: auth and refresh, ad accounts, campaigns, ad groups, analytics, async reports, batch PATCHes. */
export class FakePinterestApi {
  private readonly market: MarketSimulator;
  private readonly options: FakePinterestApiOptions;
  private readonly validTokens = new Set<string>();
  private refreshToken: string | undefined;
  private issued = 0;
  private readonly reports = new Map<string, Report>();
  private readonly ads: SimAds;

  constructor(options: FakePinterestApiOptions) {
    this.market = options.market;
    this.ads = options.ads ?? new SimAds(options.market);
    this.options = options;
    const accounts = options.market.accounts().filter((a) => a.platform === 'pinterest');
    if (accounts.length === 0) throw new SimulationError('the market has no pinterest account');
    for (const account of accounts) {
      // Pinterest reports by UTC date; the market's days are account-local, so they must be UTC days.
      if (account.timezone !== 'UTC')
        throw new SimulationError(`pinterest account ${account.accountId} must be on UTC, not ${account.timezone}`);
    }
    if (options.accessToken !== undefined && !options.accessTokenExpired) this.validTokens.add(options.accessToken);
    this.refreshToken = options.oauth?.refreshToken;
  }

  /** Answers one request. */
  handle(request: PinterestRequest): PinterestResponse {
    try {
      if (request.path.startsWith(DOWNLOADS)) return this.download(request);
      const route = request.path.startsWith(PREFIX) ? request.path.slice(PREFIX.length).replace(/\/$/, '') : '';
      const method = request.method.toUpperCase();
      if (method === 'POST' && route === 'oauth/token') return this.ok(this.refresh(request));
      this.authorize(request);
      const m = /^ad_accounts\/([^/]+)(?:\/(campaigns|ad_groups|ad_groups\/analytics|ads|ads\/analytics|reports))?$/.exec(route);
      if (!m) throw new PinterestApiError(404, 404, `Not found: ${request.path}`);
      const account = this.account(decodeURIComponent(m[1] ?? ''));
      switch (`${method} ${m[2] ?? ''}`) {
        case 'GET ':
          return this.ok({
            id: account.accountId,
            name: account.name,
            owner: { username: 'adpilot' },
            country: 'US',
            currency: account.currency,
            permissions: ['ADMIN'],
            created_time: 1_767_225_600,
            updated_time: 1_767_225_600,
          });
        case 'GET campaigns':
          return this.ok(this.listCampaigns(account, request));
        case 'GET ad_groups':
          return this.ok(this.listAdGroups(account, request));
        case 'GET ad_groups/analytics':
          return this.ok(this.analytics(account, request, 'ad_group_ids'));
        case 'GET ads':
          return this.ok(page(request, listAds(this.ads, account, request)));
        case 'GET ads/analytics':
          return this.ok(this.analytics(account, request, 'ad_ids'));
        case 'PATCH ads':
          return this.ok(patchAds(this.ads, account, request));
        case 'PATCH ad_groups':
          return this.ok(this.patchAdGroups(account, request));
        case 'PATCH campaigns':
          return this.ok(this.patchCampaigns(account, request));
        case 'POST reports':
          return this.ok(this.createReport(account, request));
        case 'GET reports':
          return this.ok(this.pollReport(account, request));
        default:
          throw new PinterestApiError(405, 405, `Method not allowed: ${method} ${request.path}`);
      }
    } catch (error) {
      if (!(error instanceof PinterestApiError)) throw error;
      return this.errorResponse(error);
    }
  }

  /** Renders a fault in Pinterest's style: 429 with X-RateLimit-Reset, 5xx, 401 for an expired token. */
  faultResponse(fault: Extract<FaultResponse, { kind: 'throttle' | 'server-error' | 'expired-token' }>): PinterestResponse {
    switch (fault.kind) {
      case 'throttle': {
        const seconds = Math.round((fault.minutes ?? 1) * 60);
        return this.errorResponse(
          new PinterestApiError(429, fault.code ?? 8, 'Max rate limit exceeded', {
            'x-ratelimit-reset': String(seconds),
            'x-ratelimit-remaining': '0',
          }),
        );
      }
      case 'server-error': {
        const status = fault.status ?? 500;
        if (status === 500) return this.errorResponse(new PinterestApiError(500, 1, 'Something went wrong. Please try again later.'));
        return {
          status,
          headers: { 'content-type': 'text/html' },
          text: `<html><head><title>${status}</title></head><body>${status} Bad Gateway</body></html>`,
        };
      }
      case 'expired-token':
        return this.errorResponse(new PinterestApiError(401, 3, 'Authentication failed.'));
    }
  }

  /** An error body with its status. */
  errorResponse(error: PinterestApiError): PinterestResponse {
    return { status: error.status, headers: { ...json, ...error.headers }, payload: { code: error.code, message: error.message } };
  }

  private ok(payload: unknown): PinterestResponse {
    return { status: 200, headers: { ...json }, payload };
  }

  private authorize(request: PinterestRequest): void {
    if (this.options.accessToken === undefined) return;
    const token = /^Bearer (.+)$/.exec(request.authorization ?? '')?.[1];
    // [U] Pinterest's exact code for a missing, bad or expired token.
    if (token === undefined || !this.validTokens.has(token)) throw new PinterestApiError(401, 3, 'Authentication failed.');
  }

  private refresh(request: PinterestRequest): unknown {
    const oauth = this.options.oauth;
    if (!oauth) throw new PinterestApiError(401, 3, 'Authentication failed.');
    const expected = `Basic ${Buffer.from(`${oauth.clientId}:${oauth.clientSecret}`, 'utf8').toString('base64')}`;
    if (request.authorization !== expected) throw new PinterestApiError(401, 3, 'Authentication failed.');
    if (!request.contentType?.startsWith('application/x-www-form-urlencoded'))
      throw new PinterestApiError(415, 415, 'Unsupported media type.');
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'refresh_token') throw new PinterestApiError(400, 1, 'Invalid grant_type.');
    if (this.refreshToken === undefined || form.get('refresh_token') !== this.refreshToken)
      throw new PinterestApiError(400, 1, 'Invalid refresh token.');
    this.issued += 1;
    const accessToken = `pina_fake_${this.issued}`;
    this.refreshToken = `pinr_fake_${this.issued}`;
    this.validTokens.add(accessToken);
    const now = Math.floor(this.market.now().getTime() / 1000);
    return {
      access_token: accessToken,
      refresh_token: this.refreshToken,
      response_type: 'refresh_token',
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
      refresh_token_expires_at: now + REFRESH_TOKEN_SECONDS,
      scope: 'ads:read,ads:write',
    };
  }

  private account(id: string): AdAccount {
    const account = this.market.accounts().find((a) => a.platform === 'pinterest' && a.accountId === id);
    if (!account) throw new PinterestApiError(404, 2, 'AdAccount not found.');
    return account;
  }

  private campaigns(account: AdAccount): FakeCampaign[] {
    const byId = new Map<string, AdSet[]>();
    for (const adset of this.market.adsets(account.accountId)) byId.set(adset.campaignId, [...(byId.get(adset.campaignId) ?? []), adset]);
    return [...byId.entries()].map(([id, adsets]) => ({
      id,
      accountId: account.accountId,
      name: adsets[0]?.campaignName ?? '',
      adsets,
      cbo: adsets.some((a) => a.budgetLevel === 'campaign'),
    }));
  }

  private listCampaigns(account: AdAccount, request: PinterestRequest): unknown {
    const ids = idList(request, 'campaign_ids');
    const statuses = entityStatuses(request);
    const items = this.campaigns(account)
      .map((c) => campaignJson(c))
      .filter((c) => (ids === undefined || ids.has(String(c.id))) && statuses.has(String(c.status)));
    return page(request, items);
  }

  private listAdGroups(account: AdAccount, request: PinterestRequest): unknown {
    const ids = idList(request, 'ad_group_ids');
    const campaignIds = idList(request, 'campaign_ids');
    if (ids !== undefined && campaignIds !== undefined)
      throw new PinterestApiError(400, 1, 'Use either campaign_ids or ad_group_ids, not both.');
    const statuses = entityStatuses(request);
    const items = this.market
      .adsets(account.accountId)
      .filter((a) => (ids === undefined || ids.has(a.adsetId)) && (campaignIds === undefined || campaignIds.has(a.campaignId)))
      .map((a) => adGroupJson(a))
      .filter((g) => statuses.has(String(g.status)));
    return page(request, items);
  }

  /** `ad_groups/analytics` (by `ad_group_ids`) or `ads/analytics` (by `ad_ids`, rows exactly SimAds'): the same checks. */
  private analytics(account: AdAccount, request: PinterestRequest, idName: 'ad_group_ids' | 'ad_ids'): unknown {
    const q = request.query;
    for (const name of ['start_date', 'end_date', idName, 'columns', 'granularity']) {
      if (q[name] === undefined || q[name] === '') throw new PinterestApiError(400, 1, `${name}: required.`);
    }
    if (q.granularity !== 'DAY') throw new PinterestApiError(400, 1, `granularity ${q.granularity}: only DAY is simulated.`);
    if (q.reporting_timezone !== undefined) throw new PinterestApiError(400, 1, 'reporting_timezone is not available to this ad account.');
    for (const name of ['click_window_days', 'engagement_window_days', 'view_window_days']) {
      if (q[name] !== undefined && !WINDOWS.has(q[name] ?? '')) throw new PinterestApiError(400, 400, INVALID_ANALYTICS);
    }
    if (q.conversion_report_time !== undefined && q.conversion_report_time !== 'TIME_OF_AD_ACTION') {
      throw new PinterestApiError(400, 1, 'conversion_report_time: only TIME_OF_AD_ACTION is simulated.');
    }
    const { from, to } = this.range(q.start_date ?? '', q.end_date ?? '', MAX_ANALYTICS_DAYS, MAX_ANALYTICS_DAYS_BACK);
    const ids = idList(request, idName) ?? new Set<string>();
    const columns = this.columns((q.columns ?? '').split(','));
    if (idName === 'ad_ids') return adAnalyticsRows(this.ads, account, [...ids], from, to, columns);
    return this.market
      .reportedResults(account.accountId, from, to)
      .filter((row) => ids.has(row.adsetId))
      .map((row) => analyticsRow(row, columns));
  }

  private range(start: string, end: string, maxDays: number, maxDaysBack: number): { from: LocalDate; to: LocalDate } {
    if (!isLocalDate(start) || !isLocalDate(end) || start > end) throw new PinterestApiError(400, 400, INVALID_ANALYTICS);
    if (daysBetween(start, end) + 1 > maxDays) throw new PinterestApiError(400, 1, `The date range may not exceed ${maxDays} days.`);
    const today = localDateAt(this.market.now(), 'UTC');
    if (start < addDays(today, -maxDaysBack)) throw new PinterestApiError(400, 1, `start_date may be at most ${maxDaysBack} days back.`);
    return { from: start, to: end };
  }

  private columns(columns: readonly string[]): string[] {
    const known = new Set<string>(SIMULATED_COLUMNS);
    for (const column of columns) if (!known.has(column)) throw new PinterestApiError(400, 400, INVALID_ANALYTICS);
    return [...columns];
  }

  private patchAdGroups(account: AdAccount, request: PinterestRequest): unknown {
    const items = patchBody(request);
    const adsets = new Map(this.market.adsets(account.accountId).map((a) => [a.adsetId, a]));
    return {
      items: items.map((item) => {
        const adset = adsets.get(String(item.id));
        if (!adset) return failure(2, 'Ad group not found.');
        const budget = item.budget_in_micro_currency;
        if (budget !== undefined) {
          if (adset.budgetLevel === 'campaign')
            return failure(2604, 'Ad group budget cannot be set on a campaign budget optimization campaign.');
          if (typeof budget !== 'number' || !Number.isSafeInteger(budget) || budget < 0)
            return failure(1, 'budget_in_micro_currency: invalid value.');
          // [U] Pinterest's billable granularity: the currency's minor unit here.
          if (floorToBillable(budget, adset.currency) !== budget)
            return failure(1, `budget_in_micro_currency: not a whole amount of ${adset.currency}.`);
        }
        if (item.status !== undefined) {
          if (!['ACTIVE', 'PAUSED', 'ARCHIVED'].includes(String(item.status))) return failure(1, 'status: invalid value.');
          // A deleted draft is gone; [U] an archived ad group cannot be un-archived (Pinterest's UI says so), so
          // it takes no other status. Writing the status an ad group already has is accepted.
          if (adset.status === 'DELETED') return failure(2, 'Ad group not found.');
          if (adset.status === 'ARCHIVED' && item.status !== 'ARCHIVED')
            return failure(1, 'status: an archived ad group cannot be changed.');
        }
        if (typeof budget === 'number') this.market.setDailyBudget(adset.adsetId, budget);
        if (item.status !== undefined) this.market.setStatus(adset.adsetId, item.status as AdSet['status']);
        return { data: adGroupJson(this.market.adset(adset.adsetId)), exceptions: [] };
      }),
    };
  }

  private patchCampaigns(account: AdAccount, request: PinterestRequest): unknown {
    const items = patchBody(request);
    for (const item of items) {
      if (item.ad_account_id === undefined) throw new PinterestApiError(400, 1, 'ad_account_id: required.');
    }
    return {
      items: items.map((item) => {
        if (item.ad_account_id !== account.accountId) return failure(2, 'Advertiser not found.');
        const campaign = this.campaigns(account).find((c) => c.id === String(item.id));
        if (!campaign) return failure(2, 'Campaign not found.');
        const cap = item.daily_spend_cap;
        if (cap !== undefined) {
          if (!campaign.cbo) return failure(1, 'daily_spend_cap: only campaign budget optimization campaigns are simulated.');
          if (typeof cap !== 'number' || !Number.isSafeInteger(cap) || cap < 0) return failure(1, 'daily_spend_cap: invalid value.');
          if (floorToBillable(cap, account.currency) !== cap)
            return failure(1, `daily_spend_cap: not a whole amount of ${account.currency}.`);
          this.splitCampaignBudget(campaign, cap);
        }
        const after = this.campaigns(account).find((c) => c.id === campaign.id) ?? campaign;
        return { data: campaignJson(after), exceptions: [] };
      }),
    };
  }

  /** A CBO cap spread over the campaign's ad sets in proportion to their budgets (equally when all are 0); exact to the micro. */
  private splitCampaignBudget(campaign: FakeCampaign, cap: number): void {
    const budgets = campaign.adsets.map((a) => BigInt(a.dailyBudgetMicros ?? 0));
    const total = budgets.reduce((s, b) => s + b, 0n);
    const shares = budgets.map((b) => (total === 0n ? BigInt(cap) / BigInt(budgets.length) : (BigInt(cap) * b) / total));
    const rest = BigInt(cap) - shares.reduce((s, b) => s + b, 0n);
    campaign.adsets.forEach((adset, i) => {
      this.market.setDailyBudget(adset.adsetId, Number((shares[i] ?? 0n) + (i === 0 ? rest : 0n)));
    });
  }

  private createReport(account: AdAccount, request: PinterestRequest): unknown {
    const body = parseJson(request.body);
    if (!isRecord(body)) throw new PinterestApiError(400, 1, 'The body must be a JSON object.');
    if (Object.keys(request.query).length > 0) throw new PinterestApiError(400, 1, 'Report parameters go in the body.');
    if (body.granularity !== 'DAY') throw new PinterestApiError(400, 1, 'granularity: only DAY is simulated.');
    if (body.level !== 'AD_GROUP') throw new PinterestApiError(400, 1, 'level: only AD_GROUP is simulated.');
    if (body.report_format !== undefined && body.report_format !== 'JSON')
      throw new PinterestApiError(400, 1, 'report_format: only JSON is simulated.');
    if (!Array.isArray(body.columns) || body.columns.length === 0 || !body.columns.every((c) => typeof c === 'string')) {
      throw new PinterestApiError(400, 1, 'columns: required.');
    }
    const ids = body.ad_group_ids;
    if (ids !== undefined && (!Array.isArray(ids) || ids.length > MAX_REPORT_IDS))
      throw new PinterestApiError(400, 1, `ad_group_ids: at most ${MAX_REPORT_IDS}.`);
    const { from, to } = this.range(String(body.start_date), String(body.end_date), MAX_REPORT_DAYS, MAX_REPORT_DAYS_BACK);
    const columns = this.columns(body.columns as string[]);
    const token = `report-${this.reports.size + 1}-${account.accountId}`;
    this.reports.set(token, {
      accountId: account.accountId,
      from,
      to,
      columns,
      adGroupIds: ids === undefined ? undefined : new Set(ids.map(String)),
      polls: 0,
    });
    return { report_status: 'IN_PROGRESS', token, message: null };
  }

  private pollReport(account: AdAccount, request: PinterestRequest): unknown {
    const token = request.query.token;
    if (token === undefined) throw new PinterestApiError(400, 1, 'token: required.');
    const report = this.reports.get(token);
    if (!report || report.accountId !== account.accountId) return { report_status: 'DOES_NOT_EXIST', url: null, size: null };
    report.polls += 1;
    if (report.polls <= (this.options.reportPolls ?? 1)) return { report_status: 'IN_PROGRESS', url: null, size: null };
    const url = `${request.origin}${DOWNLOADS}${encodeURIComponent(token)}.json?X-Amz-Expires=300&X-Amz-Signature=${report.polls.toString(16).padStart(16, '0')}`;
    return { report_status: 'FINISHED', url, size: JSON.stringify(this.reportFile(report)).length };
  }

  /** A pre-signed storage URL: S3 refuses a second auth mechanism, so a bearer token is an error here. */
  private download(request: PinterestRequest): PinterestResponse {
    const xml = (code: string, message: string, status: number): PinterestResponse => ({
      status,
      headers: { 'content-type': 'application/xml' },
      text: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    });
    if (request.authorization !== undefined) return xml('InvalidArgument', 'Only one auth mechanism allowed', 400);
    if (request.query['X-Amz-Signature'] === undefined) return xml('AccessDenied', 'Access Denied', 403);
    const token = decodeURIComponent(request.path.slice(DOWNLOADS.length).replace(/\.json$/, ''));
    const report = this.reports.get(token);
    if (!report || report.polls <= (this.options.reportPolls ?? 1)) return xml('NoSuchKey', 'The specified key does not exist.', 404);
    return { status: 200, headers: { ...json }, payload: this.reportFile(report) };
  }

  /** The JSON report: rows by ad group id, not zero-filled. */
  private reportFile(report: Report): Record<string, unknown[]> {
    const out: Record<string, unknown[]> = {};
    for (const row of this.market.reportedResults(report.accountId, report.from, report.to)) {
      if (report.adGroupIds !== undefined && !report.adGroupIds.has(row.adsetId)) continue;
      const rows = out[row.adsetId] ?? [];
      rows.push(analyticsRow(row, report.columns));
      out[row.adsetId] = rows;
    }
    return out;
  }
}
