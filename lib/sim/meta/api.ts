/**
 * The routes of the fake Meta Graph API over a MarketSimulator, without any socket: a request in, a
 * status, headers and a JSON payload out. `server.ts` puts it on node:http.
 * Wire formats follow ../shared/PLATFORM_APIS.md §1; facts marked [U] there are assumptions here too.
 * This module routes: it finds the node, checks the token and the quota, renders errors, faults and usage headers, and
 * hands each route's work to its siblings (writes.ts, insights.ts, nodes.ts, campaigns.ts, ads.ts, fields.ts, paging.ts).
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { SimAds } from '../ads.ts';
import { GraphApiError } from '../errors.ts';
import type { FaultResponse } from '../faults.ts';
import type { MarketSimulator } from '../market.ts';
import { FakeMetaAds } from './ads.ts';
import { campaignNode, campaignsFrom, type FakeCampaign } from './campaigns.ts';
import { pick, requestFields, stringParam } from './fields.ts';
import type { IntradayOptions } from './hourly.ts';
import { FakeMetaInsights } from './insights.ts';
import { type LearningContext, type LearningRules, learningContext, learningStageInfo } from './learning.ts';
import { accountNode, adsetNode } from './nodes.ts';
import { page } from './paging.ts';
import type { ReportRunOptions } from './report-runs.ts';
import { DEFAULT_QUOTA_PER_HOUR, type FieldSpec, fbtraceId, graphErrorBody, type UsageQuotas, UsageTracker, type UseCase } from './wire.ts';
import { FakeMetaWrites, type MinimumBudgets } from './writes.ts';

export { splitBudget } from './campaigns.ts';
export type { MinimumBudgets } from './writes.ts';

export interface GraphRequest {
  readonly method: string;
  /** The full request URL (origin included: `paging.next` is absolute). */
  readonly url: URL;
  /** Query parameters merged with the body's (form or JSON) parameters. */
  readonly params: Readonly<Record<string, unknown>>;
  /** 1-based request number. */
  readonly index: number;
}

/** A response: JSON `payload` (written as Graph writes JSON) or a raw `text` body. */
export interface GraphResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly payload?: unknown;
  readonly text?: string;
}

export interface FakeGraphApiOptions {
  readonly market: MarketSimulator;
  /** When set, requests must carry it as `access_token` (code 190 otherwise). */
  readonly accessToken?: string;
  /** Most rows a page holds, whatever `limit` asks (Meta too may return fewer rows than asked). */
  readonly pageSize?: number;
  /** Smallest daily budget accepted, in minor units (default 100: 1.00 EUR, 100 JPY): the default of every `minimumBudgetsMinor`. */
  readonly minDailyBudgetMinor?: number;
  /** What `GET /act_{id}/minimum_budgets` answers, in minor units, per billing-event family; writes below it are refused. */
  readonly minimumBudgetsMinor?: Partial<MinimumBudgets>;
  /** `billing_event` of every ad set (default IMPRESSIONS, Meta's usual one for conversion ad sets). */
  readonly billingEvent?: string;
  /** Budget changes allowed per ad set (or CBO campaign) per rolling hour (Meta: 4). */
  readonly budgetChangesPerHour?: number;
  /** Async report runs: polls to finish and each job's outcome (e.g. `failRunsLongerThan(14)`). */
  readonly reportRuns?: ReportRunOptions;
  /** The learning-phase rule behind `learning_stage_info`. */
  readonly learning?: LearningRules;
  /**
   * Calls per hour per account and use case. When given, they are enforced: a call past the quota gets Meta's BUC
   * error (80000 insights, 80004 management) with `estimated_time_to_regain_access`. Without it, the dev-tier
   * quotas (300 / 600) only shape the usage headers.
   */
  readonly usageQuotaPerHour?: Partial<UsageQuotas>;
  /** How days split into hours for `breakdowns=hourly_stats_aggregated_by_advertiser_time_zone` (see hourly.ts). */
  readonly intraday?: IntradayOptions;
  /** The ads of the market's ad sets (ad nodes, `/act_{id}/ads`, insights at level=ad); default `new SimAds(market)`. */
  readonly ads?: SimAds;
}

const unsupported = (method: string, id: string) =>
  new GraphApiError(
    400,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { subcode: 33 },
  );

/** Meta's BUC throttle error (80000 insights, 80004 management), with the minutes until access is regained. */
const tooManyCalls = (code: number, minutes: number) =>
  new GraphApiError(
    400,
    code,
    `(#${code}) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.`,
    { subcode: 2446079, retryMinutes: minutes },
  );

/** The fake Graph API: routes, validation, paging, budget-change limits and usage headers. */
export class FakeGraphApi {
  private readonly market: MarketSimulator;
  private readonly options: FakeGraphApiOptions;
  private readonly usage: UsageTracker;
  private readonly ads: FakeMetaAds;
  private readonly writes: FakeMetaWrites;
  private readonly insights: FakeMetaInsights;

  constructor(options: FakeGraphApiOptions) {
    this.market = options.market;
    this.ads = new FakeMetaAds(options.market, options.ads ?? new SimAds(options.market));
    this.options = options;
    this.usage = new UsageTracker({ ...DEFAULT_QUOTA_PER_HOUR, ...options.usageQuotaPerHour });
    this.writes = new FakeMetaWrites(options.market, options);
    this.insights = new FakeMetaInsights(options.market, this.ads, options);
  }

  /** Answers one request. */
  handle(request: GraphRequest): GraphResponse {
    let accountKey: string | undefined;
    let useCase: UseCase = 'ads_management';
    try {
      const m = /^\/v\d+\.0\/(.+)$/.exec(request.url.pathname);
      if (!m?.[1]) throw new GraphApiError(400, 2500, `Unknown path components: ${request.url.pathname}`);
      const segments = m[1].split('/').filter((s) => s !== '');
      const [node = '', edge, ...rest] = segments;
      const account = this.findAccount(node);
      const adset = account ? undefined : this.findAdSet(node);
      const campaign = account || adset ? undefined : this.findCampaign(node);
      const ad = account || adset || campaign ? undefined : this.ads.find(node);
      const run = account || adset || campaign || ad ? undefined : this.insights.findRun(node);
      accountKey = (account?.accountId ?? adset?.accountId ?? campaign?.accountId ?? ad?.accountId ?? run?.accountId)?.replace(/^act_/, '');
      if (edge === 'insights' || run) useCase = 'ads_insights';
      this.authorize(request);
      if (rest.length > 0) throw unsupported(request.method, segments.join('/'));
      const overQuota = this.quotaRefusal(accountKey, useCase);
      // A call refused for its quota is not counted, or a client waiting as told could never get back in.
      if (overQuota) return this.errorResponse(request, overQuota, accountKey, useCase, false);
      const method = request.method.toUpperCase();
      let payload: unknown;
      if (account && method === 'GET' && edge === undefined) payload = this.getAccount(account, request);
      else if (account && method === 'GET' && edge === 'adsets') payload = this.listAdSets(account, request);
      else if (account && method === 'GET' && edge === 'campaigns') payload = this.listCampaigns(account, request);
      else if (account && method === 'GET' && edge === 'ads') payload = this.listAds(account, request);
      else if (ad && method === 'GET' && edge === undefined) payload = pick(this.ads.node(ad), requestFields(request), 'Ad', ['id']);
      else if (ad && method === 'POST' && edge === undefined) payload = this.ads.update(ad, request.params);
      else if (account && method === 'GET' && edge === 'minimum_budgets') payload = this.minimumBudgets(account, request);
      else if (account && method === 'GET' && edge === 'insights') payload = this.insights.insights(account, request);
      else if (account && method === 'POST' && edge === 'insights') payload = this.insights.createReportRun(account, request);
      else if (adset && method === 'GET' && edge === undefined) payload = this.getAdSet(adset, request);
      else if (adset && method === 'POST' && edge === undefined) payload = this.writes.updateAdSet(adset, request);
      else if (campaign && method === 'GET' && edge === undefined) payload = this.getCampaign(campaign, request);
      else if (campaign && method === 'POST' && edge === undefined) payload = this.writes.updateCampaign(campaign, request);
      else if (run && method === 'GET' && edge === undefined) payload = this.insights.pollReportRun(run, request);
      else if (run && method === 'GET' && edge === 'insights') payload = this.insights.reportRunInsights(run, request);
      else throw unsupported(request.method, node);
      return { status: 200, headers: this.headers(request, accountKey, useCase), payload };
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      return this.errorResponse(request, error, accountKey, useCase);
    }
  }

  /** With `usageQuotaPerHour`, the refusal of a call past the hourly quota, as Meta answers it (BUC code, regain time in minutes). */
  private quotaRefusal(accountKey: string | undefined, useCase: UseCase): GraphApiError | undefined {
    if (this.options.usageQuotaPerHour === undefined) return undefined;
    const minutes = this.usage.blockedMinutes(accountKey, useCase, this.market.now().getTime());
    if (minutes === undefined) return undefined;
    return tooManyCalls(useCase === 'ads_insights' ? 80000 : 80004, minutes);
  }

  /** Renders a fault in Meta's own style (throttle, 5xx, expired token). Malformed bodies and hangs are the server's job. */
  faultResponse(
    request: GraphRequest,
    fault: Extract<FaultResponse, { kind: 'throttle' | 'server-error' | 'expired-token' }>,
  ): GraphResponse {
    const insights = request.url.pathname.endsWith('/insights');
    const accountKey =
      /\/act_(\d+)/.exec(request.url.pathname)?.[1] ??
      this.findAdSet(request.url.pathname.split('/')[2] ?? '')?.accountId.replace(/^act_/, '');
    const useCase: UseCase = insights ? 'ads_insights' : 'ads_management';
    switch (fault.kind) {
      case 'throttle':
        return this.errorResponse(request, tooManyCalls(fault.code ?? (insights ? 80000 : 80004), fault.minutes ?? 1), accountKey, useCase);
      case 'server-error': {
        const status = fault.status ?? 500;
        if (status === 500) {
          return this.errorResponse(
            request,
            new GraphApiError(500, 1, 'An unknown error occurred', { subcode: 99, transient: true }),
            accountKey,
            useCase,
          );
        }
        return {
          status,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          text: `<html><head><title>${status}</title></head><body><h1>Sorry, something went wrong.</h1></body></html>`,
        };
      }
      case 'expired-token':
        return this.errorResponse(
          request,
          new GraphApiError(400, 190, 'Error validating access token: Session has expired on Monday, 02-Nov-26 00:00:00 PST.', {
            subcode: 463,
          }),
          accountKey,
          useCase,
        );
    }
  }

  /** Answers a request with an error found outside the routes (e.g. an unreadable body). */
  reject(request: GraphRequest, error: GraphApiError): GraphResponse {
    return this.errorResponse(request, error, undefined, 'ads_management');
  }

  private errorResponse(
    request: GraphRequest,
    error: GraphApiError,
    accountKey: string | undefined,
    useCase: UseCase,
    counted = true,
  ): GraphResponse {
    const payload = graphErrorBody(
      {
        message: error.message,
        code: error.code,
        ...(error.details.subcode === undefined ? {} : { subcode: error.details.subcode }),
        ...(error.details.userTitle === undefined ? {} : { userTitle: error.details.userTitle }),
        ...(error.details.userMessage === undefined ? {} : { userMessage: error.details.userMessage }),
        ...(error.details.transient === undefined ? {} : { transient: error.details.transient }),
      },
      fbtraceId(request.index),
    );
    return { status: error.status, headers: this.headers(request, accountKey, useCase, error.details.retryMinutes ?? 0, counted), payload };
  }

  private headers(
    request: GraphRequest,
    accountKey: string | undefined,
    useCase: UseCase,
    throttledMinutes = 0,
    counted = true,
  ): Record<string, string> {
    const version = /^\/(v\d+\.0)\//.exec(request.url.pathname)?.[1];
    return {
      'content-type': 'application/json; charset=UTF-8',
      'x-fb-trace-id': fbtraceId(request.index),
      ...(version ? { 'facebook-api-version': version } : {}),
      ...this.usage.record(accountKey, useCase, this.market.now().getTime(), throttledMinutes, counted),
    };
  }

  private authorize(request: GraphRequest): void {
    const expected = this.options.accessToken;
    if (expected === undefined) return;
    const given = stringParam(request.params, 'access_token');
    if (given === undefined || given === '') {
      throw new GraphApiError(400, 190, 'An active access token must be used to query information about the current user.');
    }
    if (given !== expected) throw new GraphApiError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
  }

  private findAccount(node: string): AdAccount | undefined {
    if (!node.startsWith('act_')) return undefined;
    return this.market.accounts().find((a) => a.platform === 'meta' && a.accountId === node);
  }

  private findAdSet(node: string): AdSet | undefined {
    if (!/^\d+$/.test(node)) return undefined;
    return this.market.adsets().find((a) => a.platform === 'meta' && a.adsetId === node);
  }

  /** Campaigns are the market's campaign ids; one whose ad sets have budgetLevel 'campaign' holds their budget (CBO). */
  private findCampaign(node: string): FakeCampaign | undefined {
    if (!/^\d+$/.test(node)) return undefined;
    return campaignsFrom(this.market.adsets().filter((a) => a.platform === 'meta')).get(node);
  }

  private campaignsOf(account: AdAccount): FakeCampaign[] {
    const campaigns = campaignsFrom(this.market.adsets(account.accountId));
    return [...campaigns.keys()].sort().flatMap((id) => campaigns.get(id) ?? []);
  }

  /** Cursor paging at this fake's page size. */
  private page<T>(items: readonly T[], request: GraphRequest, render: (item: T) => Record<string, unknown>): Record<string, unknown> {
    return page(items, request, this.options.pageSize, render);
  }

  private getAccount(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    return pick(accountNode(account, this.market.now()), requestFields(request), 'AdAccount', ['id']);
  }

  /** Every field of an ad set node; `learning_stage_info` only when `learning` is given (it reads the market's history). */
  private adsetNode(adset: AdSet, campaign: FakeCampaign | undefined, learning: LearningContext | undefined): Record<string, unknown> {
    const stage = learning
      ? learningStageInfo(learning, adset, this.writes.significantEdit(adset.adsetId), this.options.learning)
      : undefined;
    return adsetNode(adset, campaign, this.options.billingEvent ?? 'IMPRESSIONS', stage);
  }

  private learningFor(fields: readonly FieldSpec[], accountId: string): LearningContext | undefined {
    return fields.some((f) => f.name === 'learning_stage_info') ? learningContext(this.market, accountId) : undefined;
  }

  private getAdSet(adset: AdSet, request: GraphRequest): Record<string, unknown> {
    const fields = requestFields(request);
    const node = this.adsetNode(adset, this.findCampaign(adset.campaignId), this.learningFor(fields, adset.accountId));
    return pick(node, fields, 'AdSet', ['id']);
  }

  private listAdSets(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const fields = requestFields(request);
    const adsets = this.market.adsets(account.accountId);
    const campaigns = campaignsFrom(adsets);
    const learning = this.learningFor(fields, account.accountId);
    return this.page(adsets, request, (adset) =>
      pick(this.adsetNode(adset, campaigns.get(adset.campaignId), learning), fields, 'AdSet', ['id']),
    );
  }

  private getCampaign(campaign: FakeCampaign, request: GraphRequest): Record<string, unknown> {
    return pick(campaignNode(campaign), requestFields(request), 'Campaign', ['id']);
  }

  private listAds(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const fields = requestFields(request);
    return this.page(this.ads.listed(account, request.params.filtering), request, (ad) => pick(this.ads.node(ad), fields, 'Ad', ['id']));
  }

  private listCampaigns(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const fields = requestFields(request);
    return this.page(this.campaignsOf(account), request, (campaign) => pick(campaignNode(campaign), fields, 'Campaign', ['id']));
  }

  /** `GET /act_{id}/minimum_budgets`: one entry, in the account's currency (int32 minor units). */
  private minimumBudgets(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    return this.page([this.writes.minimumBudgets(account)], request, (r) => r);
  }
}
