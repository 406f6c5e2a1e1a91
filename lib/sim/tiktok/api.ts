/**
 * The routes of the fake TikTok API for Business v1.3 over a MarketSimulator, without any socket: a request in,
 * a status, headers and a JSON envelope out; `server.ts` puts it on node:http. Wire formats follow
 * ../shared/PLATFORM_APIS.md §3; facts marked [U] there are assumptions here too.
 *
 * The market's tiktok ad sets are ad groups. One with budgetLevel 'campaign' is reported with
 * `BUDGET_MODE_INFINITE` (its campaign holds the budget) and refuses a budget update. Errors are HTTP 200 with a
 * non-zero `code`, as TikTok sends them. Status updates (`adgroup/status/update`) refuse a deleted ad group.
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { daysBetween, isLocalDate } from '../../model/dates.ts';
import { decimalToMicros, floorToBillable } from '../../model/money.ts';
import { SimAds } from '../ads.ts';
import { SimulationError } from '../errors.ts';
import type { FaultResponse } from '../faults.ts';
import type { MarketSimulator } from '../market.ts';
import { FakeTikTokAds, OPERATION_STATUS, WRITE_STATUS } from './ads.ts';
import { TikTokApiError } from './errors.ts';
import { isRecord, jsonParam, majorUnits, paged, reportRow } from './wire.ts';

export { majorUnits } from './wire.ts';

export interface FakeTikTokApiOptions {
  readonly market: MarketSimulator;
  /** When set, requests must carry `Access-Token: <it>` (code 40105 otherwise). */
  readonly accessToken?: string;
  /** The ads of the market's ad groups, served by `ad/get`, AUCTION_AD reports and `ad/status/update` (default `new SimAds(market)`). */
  readonly ads?: SimAds;
}

export interface TikTokRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly accessToken: string | undefined;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  readonly body: unknown;
  readonly index: number;
}

export interface TikTokResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The envelope `{code, message, request_id, data}`; absent when `text` is set. */
  readonly payload?: { code: number; message: string; request_id: string; data: unknown };
  readonly text?: string;
}

const PREFIX = '/open_api/v1.3/';
const MAX_DAYS = 30;

function requestId(index: number): string {
  return `20261001${String(index).padStart(12, '0')}`;
}

/** The fake TikTok API: auth, advertiser info, ad groups, the integrated report, ad group budget and status updates. */
export class FakeTikTokApi {
  private readonly market: MarketSimulator;
  private readonly options: FakeTikTokApiOptions;
  private readonly ads: FakeTikTokAds;

  constructor(options: FakeTikTokApiOptions) {
    this.market = options.market;
    this.options = options;
    this.ads = new FakeTikTokAds(options.ads ?? new SimAds(options.market));
    if (!options.market.accounts().some((a) => a.platform === 'tiktok')) throw new SimulationError('the market has no tiktok account');
  }

  /** Answers one request. */
  handle(request: TikTokRequest): TikTokResponse {
    const route = request.path.startsWith(PREFIX) ? request.path.slice(PREFIX.length).replace(/\/$/, '') : undefined;
    const key = `${request.method.toUpperCase()} ${route ?? ''}`;
    try {
      this.authorize(request);
      switch (key) {
        case 'GET advertiser/info':
          return this.ok(request, this.advertiserInfo(request));
        case 'GET adgroup/get':
          return this.ok(request, this.adGroups(request));
        case 'GET report/integrated/get':
          return this.ok(request, this.report(request));
        case 'POST adgroup/update':
          return this.ok(request, this.updateAdGroup(request));
        case 'POST adgroup/status/update':
          return this.ok(request, this.updateStatus(request));
        case 'GET ad/get':
          return this.ok(request, this.ads.list(request, this.advertiser(request.query.advertiser_id)));
        case 'POST ad/status/update':
          return this.ok(
            request,
            this.ads.updateStatus(request, this.advertiser(isRecord(request.body) ? request.body.advertiser_id : undefined)),
          );
        default:
          return {
            status: 404,
            headers: { 'content-type': 'text/html' },
            text: `<html><body>404 page not found: ${request.path}</body></html>`,
          };
      }
    } catch (error) {
      if (!(error instanceof TikTokApiError)) throw error;
      return this.errorResponse(request, error);
    }
  }

  /** Renders a fault in TikTok's own style: code 40100 or 50000 in an HTTP 200, a gateway page, an expired token. */
  faultResponse(
    request: TikTokRequest,
    fault: Extract<FaultResponse, { kind: 'throttle' | 'server-error' | 'expired-token' }>,
  ): TikTokResponse {
    switch (fault.kind) {
      case 'throttle':
        return this.errorResponse(request, new TikTokApiError(fault.code ?? 40100, 'Too many requests. Please retry in some time.'));
      case 'server-error': {
        const status = fault.status ?? 500;
        if (status === 500) return this.errorResponse(request, new TikTokApiError(50000, 'System error, please try again later.'));
        return {
          status,
          headers: { 'content-type': 'text/html' },
          text: `<html><head><title>${status}</title></head><body>${status} Bad Gateway</body></html>`,
        };
      }
      case 'expired-token':
        return this.errorResponse(request, new TikTokApiError(40102, 'Access token has expired.'));
    }
  }

  /** An error envelope (HTTP 200). */
  errorResponse(request: TikTokRequest, error: TikTokApiError): TikTokResponse {
    return {
      status: 200,
      headers: this.headers(),
      payload: { code: error.code, message: error.message, request_id: requestId(request.index), data: {} },
    };
  }

  private ok(request: TikTokRequest, data: unknown): TikTokResponse {
    return { status: 200, headers: this.headers(), payload: { code: 0, message: 'OK', request_id: requestId(request.index), data } };
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json' };
  }

  private authorize(request: TikTokRequest): void {
    if (this.options.accessToken === undefined) return;
    if (request.accessToken === undefined || request.accessToken === '') throw new TikTokApiError(40104, 'Access token is null.');
    if (request.accessToken !== this.options.accessToken) throw new TikTokApiError(40105, 'Access token is incorrect or has been revoked.');
  }

  private advertiser(id: unknown): AdAccount {
    const account = this.market.accounts().find((a) => a.platform === 'tiktok' && a.accountId === id);
    if (!account) throw new TikTokApiError(40001, `No permission to operate advertiser ${String(id)}.`);
    return account;
  }

  private advertiserInfo(request: TikTokRequest): unknown {
    const ids = jsonParam(request, 'advertiser_ids');
    if (!Array.isArray(ids) || ids.length === 0) throw new TikTokApiError(40002, 'advertiser_ids: Field required.');
    return {
      list: ids.map((id) => {
        const a = this.advertiser(id);
        return { advertiser_id: a.accountId, name: a.name, currency: a.currency, timezone: a.timezone, display_timezone: a.timezone };
      }),
    };
  }

  private adGroups(request: TikTokRequest): unknown {
    const account = this.advertiser(request.query.advertiser_id);
    const filtering = request.query.filtering === undefined ? {} : jsonParam(request, 'filtering');
    const wanted = isRecord(filtering) && Array.isArray(filtering.adgroup_ids) ? new Set(filtering.adgroup_ids.map(String)) : undefined;
    const groups = this.market
      .adsets(account.accountId)
      .filter((a) => wanted === undefined || wanted.has(a.adsetId))
      .map((a) => adGroupJson(a));
    return paged(request, groups);
  }

  private report(request: TikTokRequest): unknown {
    const q = request.query;
    const account = this.advertiser(q.advertiser_id);
    const entity = ({ AUCTION_ADGROUP: 'adgroup_id', AUCTION_AD: 'ad_id' } as Record<string, string>)[q.data_level ?? ''];
    if (entity === undefined) throw new TikTokApiError(40002, 'data_level: only AUCTION_ADGROUP and AUCTION_AD are simulated.');
    if (q.report_type !== 'BASIC') throw new TikTokApiError(40002, 'report_type: only BASIC is simulated.');
    const dimensions = jsonParam(request, 'dimensions');
    if (JSON.stringify(dimensions) !== JSON.stringify([entity, 'stat_time_day']))
      throw new TikTokApiError(40002, 'dimensions: invalid combination.');
    const metrics = jsonParam(request, 'metrics');
    if (!Array.isArray(metrics) || !metrics.every((m) => typeof m === 'string'))
      throw new TikTokApiError(40002, 'metrics: Not a valid list.');
    const from = q.start_date ?? '';
    const to = q.end_date ?? '';
    if (!isLocalDate(from) || !isLocalDate(to) || from > to) throw new TikTokApiError(40002, 'start_date/end_date: invalid date range.');
    if (daysBetween(from, to) + 1 > MAX_DAYS)
      throw new TikTokApiError(40002, `The time span cannot exceed ${MAX_DAYS} days when stat_time_day is a dimension.`);
    if (entity === 'ad_id') return paged(request, this.ads.reportRows(request, account, metrics as string[], from, to));
    const rows = this.market
      .reportedResults(account.accountId, from, to)
      .map((row) => reportRow(row, metrics as string[], { adgroup_id: row.adsetId }));
    return paged(request, rows);
  }

  private updateAdGroup(request: TikTokRequest): unknown {
    const body = request.body;
    if (!isRecord(body)) throw new TikTokApiError(40002, 'The request body is not a JSON object.');
    const account = this.advertiser(body.advertiser_id);
    const adsetId = String(body.adgroup_id);
    const adset = this.market.adsets(account.accountId).find((a) => a.adsetId === adsetId);
    if (!adset) throw new TikTokApiError(40002, `adgroup_id: ad group ${adsetId} does not exist.`);
    if (typeof body.budget !== 'number' || !Number.isFinite(body.budget) || body.budget < 0)
      throw new TikTokApiError(40002, 'budget: Not a valid number.');
    if (adset.budgetLevel === 'campaign')
      throw new TikTokApiError(40002, 'The ad group budget cannot be set when campaign budget optimization is on.');
    let micros: number;
    try {
      micros = decimalToMicros(String(body.budget));
    } catch {
      throw new TikTokApiError(40002, 'budget: Not a valid number.');
    }
    if (floorToBillable(micros, account.currency) !== micros)
      throw new TikTokApiError(40002, `budget: too many decimals for ${account.currency}.`);
    this.market.setDailyBudget(adsetId, micros);
    return { adgroup_id: adsetId };
  }

  /**
   * `adgroup/status/update`: ENABLE, DISABLE or DELETE for a list of ad groups, all or nothing unless
   * `allow_partial_success` (then the failed ones are left out of `adgroup_ids`). A deleted ad group cannot change.
   */
  private updateStatus(request: TikTokRequest): unknown {
    const body = request.body;
    if (!isRecord(body)) throw new TikTokApiError(40002, 'The request body is not a JSON object.');
    const account = this.advertiser(body.advertiser_id);
    const ids = body.adgroup_ids;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string'))
      throw new TikTokApiError(40002, 'adgroup_ids: Field required.');
    const status = typeof body.operation_status === 'string' ? WRITE_STATUS[body.operation_status] : undefined;
    if (status === undefined) throw new TikTokApiError(40002, 'operation_status: Must be one of: ENABLE, DISABLE, DELETE.');
    if (body.allow_partial_success !== undefined && typeof body.allow_partial_success !== 'boolean')
      throw new TikTokApiError(40002, 'allow_partial_success: Not a valid boolean.');
    const groups = new Map(this.market.adsets(account.accountId).map((a) => [a.adsetId, a]));
    const refusals = new Map<string, TikTokApiError>();
    for (const id of ids as string[]) {
      const group = groups.get(id);
      // [U] TikTok's code and wording for these refusals: a parameter error (40002) is assumed.
      if (!group) refusals.set(id, new TikTokApiError(40002, `adgroup_ids: ad group ${id} does not exist.`));
      else if (group.status === 'DELETED')
        refusals.set(id, new TikTokApiError(40002, `Ad group ${id} has been deleted and cannot be modified.`));
    }
    const [firstRefusal] = refusals.values();
    if (firstRefusal && body.allow_partial_success !== true) throw firstRefusal;
    const changed = (ids as string[]).filter((id) => !refusals.has(id));
    for (const id of changed) this.market.setStatus(id, status);
    return { adgroup_ids: changed };
  }
}

function adGroupJson(adset: AdSet): Record<string, unknown> {
  const campaignBudget = adset.budgetLevel === 'campaign';
  return {
    adgroup_id: adset.adsetId,
    adgroup_name: adset.name,
    campaign_id: adset.campaignId,
    campaign_name: adset.campaignName,
    operation_status: OPERATION_STATUS[adset.status],
    budget_mode: campaignBudget ? 'BUDGET_MODE_INFINITE' : 'BUDGET_MODE_DAY',
    // TikTok sends budgets as JSON numbers in major units; with an infinite budget mode, 0.
    budget: campaignBudget || adset.dailyBudgetMicros === null ? 0 : Number(majorUnits(adset.dailyBudgetMicros, adset.currency)),
  };
}
