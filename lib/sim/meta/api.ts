/**
 * The routes of the fake Meta Graph API over a MarketSimulator, without any socket: a request in, a
 * status, headers and a JSON payload out. `server.ts` puts it on node:http.
 * Wire formats follow ../shared/PLATFORM_APIS.md §1; facts marked [U] there are assumptions here too.
 */
import type { AdAccount, AdSet, DailyMetric } from '../../model/ads.ts';
import { addDays, isLocalDate, type LocalDate, zoneOffsetMinutes } from '../../model/dates.ts';
import { microsToDecimal, microsToMinorFloor, minorToMicros, minorUnitOffset } from '../../model/money.ts';
import { SimAds } from '../ads.ts';
import { GraphApiError, SimulationError } from '../errors.ts';
import type { FaultResponse } from '../faults.ts';
import type { MarketSimulator } from '../market.ts';
import { FakeMetaAds } from './ads.ts';
import type { IntradayOptions } from './hourly.ts';
import { HOURLY_BREAKDOWN, hourlyInsightsRows } from './hourly-insights.ts';
import { isSignificantBudgetChange, type LearningContext, type LearningRules, learningContext, learningStageInfo } from './learning.ts';
import { type ReportRun, type ReportRunOptions, type ReportRunQuery, ReportRuns } from './report-runs.ts';
import {
  DEFAULT_QUOTA_PER_HOUR,
  decodeCursor,
  encodeCursor,
  type FieldSpec,
  fbtraceId,
  graphErrorBody,
  graphRatio,
  parseFields,
  type UsageQuotas,
  UsageTracker,
  type UseCase,
} from './wire.ts';

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

/** Minimum daily budgets in minor units, as `minimum_budgets` names them. */
export interface MinimumBudgets {
  readonly imp: number;
  readonly high_freq: number;
  readonly low_freq: number;
  readonly video_views: number;
}

/** The billing-event family of each minimum (the same grouping the connector reads; [U] in PLATFORM_APIS.md). */
const MINIMUM_FAMILY: Readonly<Record<string, keyof MinimumBudgets>> = {
  IMPRESSIONS: 'imp',
  THRUPLAY: 'video_views',
  VIDEO_VIEWS: 'video_views',
  CLICKS: 'high_freq',
  LINK_CLICKS: 'high_freq',
  POST_ENGAGEMENT: 'high_freq',
  APP_INSTALLS: 'low_freq',
};

/** A Meta campaign as the fake derives it from the market's ad sets. */
interface FakeCampaign {
  readonly campaignId: string;
  readonly name: string;
  readonly accountId: string;
  readonly currency: string;
  /** The campaign's ad sets; under CBO they share its budget. */
  readonly adsets: readonly AdSet[];
  readonly cbo: boolean;
}

const HOUR_MS = 3_600_000;
const DEFAULT_LIMIT = 25;
const ADSET_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'] as const;
const PURCHASE_TYPES = ['offsite_conversion.fb_pixel_purchase', 'omni_purchase', 'purchase'] as const;
const INSIGHTS_FIELDS = new Set([
  'account_id',
  'account_name',
  'account_currency',
  'campaign_id',
  'campaign_name',
  'adset_id',
  'adset_name',
  'ad_id',
  'ad_name',
  'date_start',
  'date_stop',
  'impressions',
  'clicks',
  'spend',
  'cpm',
  'ctr',
  'cpc',
  'actions',
  'action_values',
  'purchase_roas',
]);

const unsupported = (method: string, id: string) =>
  new GraphApiError(
    400,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { subcode: 33 },
  );

const invalidParam = (message: string, userMessage?: string) =>
  new GraphApiError(400, 100, `(#100) ${message}`, userMessage === undefined ? {} : { userMessage });

/** Picks the requested fields of a node, in request order; `id` always comes along, as in Graph. */
function pick(
  all: Record<string, unknown>,
  fields: readonly FieldSpec[],
  nodeType: string,
  always: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!(field.name in all)) throw invalidParam(`Tried accessing nonexisting field (${field.name}) on node type (${nodeType})`);
    const value = all[field.name];
    if (value === undefined) continue;
    out[field.name] = field.sub.length > 0 && typeof value === 'object' && value !== null ? pickSub(value, field) : value;
  }
  for (const key of always) if (all[key] !== undefined && !(key in out)) out[key] = all[key];
  return out;
}

function pickSub(value: object, field: FieldSpec): Record<string, unknown> {
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of field.sub) {
    if (!(name in record)) throw invalidParam(`Tried accessing nonexisting field (${name}) on node type (${field.name})`);
    out[name] = record[name];
  }
  if (!('id' in out) && 'id' in record) out.id = record.id;
  return out;
}

function stringParam(params: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The fake Graph API: routes, validation, paging, budget-change limits and usage headers. */
export class FakeGraphApi {
  private readonly market: MarketSimulator;
  private readonly options: FakeGraphApiOptions;
  private readonly usage: UsageTracker;
  /** Instants (ms) of accepted budget changes, per ad set or CBO campaign. */
  private readonly budgetChanges = new Map<string, number[]>();
  /** Last significant edit of each ad set made through the fake (restarts its learning phase). */
  private readonly significantEdits = new Map<string, Date>();
  private readonly reportRuns: ReportRuns;
  private readonly ads: FakeMetaAds;

  constructor(options: FakeGraphApiOptions) {
    this.market = options.market;
    this.ads = new FakeMetaAds(options.market, options.ads ?? new SimAds(options.market));
    this.options = options;
    this.usage = new UsageTracker({ ...DEFAULT_QUOTA_PER_HOUR, ...options.usageQuotaPerHour });
    this.reportRuns = new ReportRuns(options.reportRuns);
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
      const run = account || adset || campaign || ad ? undefined : this.reportRuns.find(node);
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
      else if (ad && method === 'GET' && edge === undefined) payload = pick(this.ads.node(ad), this.fields(request), 'Ad', ['id']);
      else if (ad && method === 'POST' && edge === undefined) payload = this.ads.update(ad, request.params);
      else if (account && method === 'GET' && edge === 'minimum_budgets') payload = this.minimumBudgets(account, request);
      else if (account && method === 'GET' && edge === 'insights') payload = this.insights(account, request);
      else if (account && method === 'POST' && edge === 'insights') payload = this.createReportRun(account, request);
      else if (adset && method === 'GET' && edge === undefined) payload = this.getAdSet(adset, request);
      else if (adset && method === 'POST' && edge === undefined) payload = this.updateAdSet(adset, request);
      else if (campaign && method === 'GET' && edge === undefined) payload = this.getCampaign(campaign, request);
      else if (campaign && method === 'POST' && edge === undefined) payload = this.updateCampaign(campaign, request);
      else if (run && method === 'GET' && edge === undefined) payload = this.pollReportRun(run, request);
      else if (run && method === 'GET' && edge === 'insights') payload = this.reportRunInsights(run, request);
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
    const code = useCase === 'ads_insights' ? 80000 : 80004;
    return new GraphApiError(
      400,
      code,
      `(#${code}) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.`,
      { subcode: 2446079, retryMinutes: minutes },
    );
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
      case 'throttle': {
        const code = fault.code ?? (insights ? 80000 : 80004);
        const minutes = fault.minutes ?? 1;
        return this.errorResponse(
          request,
          new GraphApiError(
            400,
            code,
            `(#${code}) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.`,
            {
              subcode: 2446079,
              retryMinutes: minutes,
            },
          ),
          accountKey,
          useCase,
        );
      }
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

  private fields(request: GraphRequest): FieldSpec[] {
    try {
      return parseFields(stringParam(request.params, 'fields'));
    } catch (error) {
      throw invalidParam(`Syntax error in fields: ${error instanceof Error ? error.message : 'unparsable'}`);
    }
  }

  private getAccount(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const all: Record<string, unknown> = {
      id: account.accountId,
      account_id: account.accountId.replace(/^act_/, ''),
      name: account.name,
      currency: account.currency,
      timezone_name: account.timezone,
      timezone_offset_hours_utc: zoneOffsetMinutes(this.market.now(), account.timezone) / 60,
      account_status: 1,
    };
    return pick(all, this.fields(request), 'AdAccount', ['id']);
  }

  /** Every field of an ad set node; `learning_stage_info` only when `learning` is given (it reads the market's history). */
  private adsetNode(adset: AdSet, campaign: FakeCampaign | undefined, learning: LearningContext | undefined): Record<string, unknown> {
    const budgetMinor = adset.dailyBudgetMicros === null ? undefined : String(microsToMinorFloor(adset.dailyBudgetMicros, adset.currency));
    const holdsBudget = adset.budgetLevel === 'adset';
    return {
      id: adset.adsetId,
      account_id: adset.accountId.replace(/^act_/, ''),
      name: adset.name,
      campaign_id: adset.campaignId,
      campaign: campaign ? this.campaignNode(campaign) : { id: adset.campaignId, name: adset.campaignName },
      status: adset.status,
      configured_status: adset.status,
      effective_status: adset.status,
      billing_event: this.options.billingEvent ?? 'IMPRESSIONS',
      optimization_goal: 'OFFSITE_CONVERSIONS',
      // A CBO ad set carries no budget of its own: Graph leaves both fields out.
      daily_budget: holdsBudget ? budgetMinor : undefined,
      lifetime_budget: holdsBudget ? '0' : undefined,
      budget_remaining: holdsBudget ? budgetMinor : undefined,
      learning_stage_info: learning
        ? learningStageInfo(learning, adset, this.significantEdits.get(adset.adsetId), this.options.learning)
        : undefined,
    };
  }

  private learningFor(fields: readonly FieldSpec[], accountId: string): LearningContext | undefined {
    return fields.some((f) => f.name === 'learning_stage_info') ? learningContext(this.market, accountId) : undefined;
  }

  private getAdSet(adset: AdSet, request: GraphRequest): Record<string, unknown> {
    const fields = this.fields(request);
    const node = this.adsetNode(adset, this.findCampaign(adset.campaignId), this.learningFor(fields, adset.accountId));
    return pick(node, fields, 'AdSet', ['id']);
  }

  private listAdSets(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const fields = this.fields(request);
    const adsets = this.market.adsets(account.accountId);
    const campaigns = campaignsFrom(adsets);
    const learning = this.learningFor(fields, account.accountId);
    return this.page(adsets, request, (adset) =>
      pick(this.adsetNode(adset, campaigns.get(adset.campaignId), learning), fields, 'AdSet', ['id']),
    );
  }

  /** Budget of a CBO campaign: the sum of its ad sets' shares, in minor units (it is what they were split from). */
  private campaignBudgetMinor(campaign: FakeCampaign): number {
    const micros = campaign.adsets.filter((a) => a.budgetLevel === 'campaign').reduce((sum, a) => sum + (a.dailyBudgetMicros ?? 0), 0);
    return microsToMinorFloor(micros, campaign.currency);
  }

  private campaignNode(campaign: FakeCampaign): Record<string, unknown> {
    const budget = campaign.cbo ? String(this.campaignBudgetMinor(campaign)) : undefined;
    const status = campaign.adsets.some((a) => a.status === 'ACTIVE') ? 'ACTIVE' : 'PAUSED';
    return {
      id: campaign.campaignId,
      account_id: campaign.accountId.replace(/^act_/, ''),
      name: campaign.name,
      status,
      configured_status: status,
      effective_status: status,
      objective: 'OUTCOME_SALES',
      // Only a CBO campaign holds a budget; Graph leaves the fields out otherwise.
      daily_budget: budget,
      lifetime_budget: campaign.cbo ? '0' : undefined,
      budget_remaining: budget,
    };
  }

  private getCampaign(campaign: FakeCampaign, request: GraphRequest): Record<string, unknown> {
    return pick(this.campaignNode(campaign), this.fields(request), 'Campaign', ['id']);
  }

  private listAds(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const fields = this.fields(request);
    return this.page(this.ads.listed(account, request.params.filtering), request, (ad) => pick(this.ads.node(ad), fields, 'Ad', ['id']));
  }

  private listCampaigns(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const fields = this.fields(request);
    return this.page(this.campaignsOf(account), request, (campaign) => pick(this.campaignNode(campaign), fields, 'Campaign', ['id']));
  }

  /** `GET /act_{id}/minimum_budgets`: one entry, in the account's currency (int32 minor units). */
  private minimumBudgets(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const m = this.minimums();
    const row = {
      currency: account.currency,
      min_daily_budget_imp: m.imp,
      min_daily_budget_high_freq: m.high_freq,
      min_daily_budget_low_freq: m.low_freq,
      min_daily_budget_video_views: m.video_views,
    };
    return this.page([row], request, (r) => r);
  }

  private minimums(): MinimumBudgets {
    const base = this.options.minDailyBudgetMinor ?? 100;
    return { imp: base, high_freq: base, low_freq: base, video_views: base, ...this.options.minimumBudgetsMinor };
  }

  /** The minimum (minor units) for the fake's billing event; an unknown one takes the largest, like the connector. */
  private minimumMinor(): number {
    const m = this.minimums();
    const family = MINIMUM_FAMILY[this.options.billingEvent ?? 'IMPRESSIONS'];
    return family ? m[family] : Math.max(m.imp, m.high_freq, m.low_freq, m.video_views);
  }

  /** The validated query of an insights call (sync, or an async job's creation). */
  private insightsQuery(account: AdAccount, request: GraphRequest): ReportRunQuery {
    const level = stringParam(request.params, 'level');
    if (level !== 'adset' && level !== 'ad')
      throw invalidParam(`The fake Graph API serves level=adset and ad only, got level=${level ?? '(none)'}`);
    const increment = stringParam(request.params, 'time_increment');
    if (increment !== '1') throw invalidParam(`The fake Graph API serves time_increment=1 only, got ${increment ?? '(none)'}`);
    const today = this.market.today(account.accountId);
    const { since, until } = this.timeRange(request, today);
    const fields = this.fields(request);
    for (const field of fields) {
      if (!INSIGHTS_FIELDS.has(field.name)) {
        throw invalidParam(
          `${field.name} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values`,
        );
      }
    }
    const names = fields.length > 0 ? fields.map((f) => f.name) : ['impressions', 'spend'];
    if (level === 'adset') return { accountId: account.accountId, since, until, fields: names };
    return {
      accountId: account.accountId,
      since,
      until,
      fields: names,
      level,
      adIds: this.ads.insightsAdIds(account, request.params.filtering),
    };
  }

  /** One page of the rows of `query`, paged by `request`'s `limit` and `after`. */
  private insightsPage(query: ReportRunQuery, request: GraphRequest): Record<string, unknown> {
    const account = this.market.account(query.accountId);
    const adsets = new Map(this.market.adsets(account.accountId).map((a) => [a.adsetId, a]));
    const rows: readonly (DailyMetric & { adId?: string })[] =
      query.level === 'ad'
        ? this.ads.rows(account.accountId, query.adIds ?? [], query.since, query.until)
        : this.market.reportedResults(account.accountId, query.since, query.until);
    return this.page(rows, request, (row) => {
      const adset = adsets.get(row.adsetId);
      if (!adset) throw new SimulationError(`row for unknown ad set ${row.adsetId}`);
      const ad = row.adId === undefined ? undefined : this.ads.find(row.adId);
      const all: Record<string, unknown> = { ...insightsValues(row, adset, account), ad_id: ad?.adId, ad_name: ad?.name };
      const out: Record<string, unknown> = {};
      for (const name of query.fields) if (all[name] !== undefined) out[name] = all[name];
      out.date_start = row.date;
      out.date_stop = row.date;
      return out;
    });
  }

  private insights(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const breakdowns = stringParam(request.params, 'breakdowns');
    if (breakdowns === undefined) return this.insightsPage(this.insightsQuery(account, request), request);
    if (breakdowns !== HOURLY_BREAKDOWN)
      throw invalidParam(`The fake Graph API serves breakdowns=${HOURLY_BREAKDOWN} only, got breakdowns=${breakdowns}`);
    // The same validation as the daily edge; the breakdown's own column comes with the rows.
    const query = this.insightsQuery(account, request);
    if (query.level === 'ad') throw invalidParam(`The fake Graph API serves breakdowns=${HOURLY_BREAKDOWN} at level=adset only`);
    const rows = hourlyInsightsRows(this.market, account, query, this.options.intraday ?? {});
    return this.page(rows, request, (row) => row);
  }

  /** `POST /act_{id}/insights`: the same params as the sync call start an async job. */
  private createReportRun(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const run = this.reportRuns.create(this.insightsQuery(account, request), this.market.now().getTime());
    return { report_run_id: run.id };
  }

  private pollReportRun(run: ReportRun, request: GraphRequest): Record<string, unknown> {
    const node = this.reportRuns.poll(run, this.market.now().getTime());
    const fields = this.fields(request);
    const all = fields.length === 0 ? node : pick(node, fields, 'AdReportRun', ['id']);
    return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
  }

  /** `GET /{report_run_id}/insights`: the job's rows, paged like the sync edge, once it has completed. */
  private reportRunInsights(run: ReportRun, request: GraphRequest): Record<string, unknown> {
    // [U] Meta's exact answer for an unfinished or failed job; the code and shape are Meta's.
    if (!this.reportRuns.isCompleted(run))
      throw invalidParam(`Report run ${run.id} has not completed; poll it until async_status is Job Completed`);
    return this.insightsPage(run, request);
  }

  /** `time_range={"since","until"}`; the end may be today (nothing reported yet) but not later. Default: the last 30 complete days. */
  private timeRange(request: GraphRequest, today: LocalDate): { since: LocalDate; until: LocalDate } {
    const raw = request.params.time_range;
    if (raw === undefined) return { since: addDays(today, -30), until: addDays(today, -1) };
    let parsed: unknown = raw;
    if (typeof raw === 'string') {
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw invalidParam('Invalid parameter: time_range must be a JSON object like {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}');
      }
    }
    const range = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    const since = range.since;
    const until = range.until;
    if (typeof since !== 'string' || typeof until !== 'string' || !isLocalDate(since) || !isLocalDate(until)) {
      throw invalidParam('Invalid parameter: time_range needs since and until as YYYY-MM-DD');
    }
    if (since > until) throw invalidParam('Invalid parameter: time_range.since must be on or before time_range.until');
    // [U] the exact wording of Meta's future-date error; the code and shape are Meta's.
    if (until > today) throw invalidParam('Invalid parameter: time_range.until cannot be in the future (ad account time zone)');
    return { since, until };
  }

  /** Cursor paging over `items` (only the served page is rendered): `paging.cursors.{before,after}`, `paging.next` only when more follow. */
  private page<T>(items: readonly T[], request: GraphRequest, render: (item: T) => Record<string, unknown>): Record<string, unknown> {
    const limitRaw = stringParam(request.params, 'limit');
    const limit = limitRaw === undefined ? DEFAULT_LIMIT : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1) throw invalidParam('Invalid parameter: limit must be a positive integer');
    const size = Math.min(limit, this.options.pageSize ?? Number.POSITIVE_INFINITY);
    const after = stringParam(request.params, 'after');
    let start = 0;
    if (after !== undefined) {
      const position = decodeCursor(after);
      if (position === undefined) throw invalidParam('Invalid parameter: after is not a valid cursor');
      start = position + 1;
    }
    const data = items.slice(start, start + size).map(render);
    if (data.length === 0) return { data: [] };
    const last = start + data.length - 1;
    const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(last) } };
    if (last + 1 < items.length) {
      const next = new URL(request.url.toString());
      next.searchParams.delete('before');
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('after', encodeCursor(last));
      paging.next = next.toString();
    }
    if (start > 0) {
      const previous = new URL(request.url.toString());
      previous.searchParams.delete('after');
      previous.searchParams.set('before', encodeCursor(start));
      paging.previous = previous.toString();
    }
    return { data, paging };
  }

  private updateAdSet(adset: AdSet, request: GraphRequest): Record<string, unknown> {
    const { validateOnly, minor, status } = this.budgetWriteParams(request, adset.currency);
    assertEditable(adset, minor, status);
    if (minor !== undefined) {
      if (adset.budgetLevel !== 'adset') {
        // [U] Meta refuses ad-set budgets under campaign budget optimization; the subcode is not documented here.
        throw new GraphApiError(400, 100, '(#100) Invalid parameter', {
          userTitle: "Can't Set Ad Set Budget",
          userMessage: 'This ad set is in a campaign that uses campaign budget optimization, so its budget is set on the campaign.',
        });
      }
      this.assertBudgetChangeAllowed(adset.adsetId, 'ad set');
    }
    if (validateOnly) return { success: true };
    const now = this.market.now();
    if (minor !== undefined) {
      const before = adset.dailyBudgetMicros ?? 0;
      const after = minorToMicros(minor, adset.currency);
      this.market.setDailyBudget(adset.adsetId, after, now);
      this.noteBudgetChange(adset.adsetId, [adset.adsetId], before, after, now);
    }
    if (status !== undefined) this.market.setStatus(adset.adsetId, status, now);
    return { success: true };
  }

  /**
   * `POST /{campaign_id}` with `daily_budget`: only a CBO campaign holds one. The new budget is split over its ad sets
   * in proportion to their current shares (equally when all are 0), exactly, so the campaign reads back what was written.
   */
  private updateCampaign(campaign: FakeCampaign, request: GraphRequest): Record<string, unknown> {
    const { validateOnly, minor, status } = this.budgetWriteParams(request, campaign.currency);
    const funded = campaign.adsets.filter((a) => a.budgetLevel === 'campaign');
    if (minor !== undefined) {
      if (!campaign.cbo) {
        // [U] the wording; Meta refuses a campaign budget where the ad sets hold theirs.
        throw new GraphApiError(400, 100, '(#100) Invalid parameter', {
          userTitle: "Can't Set Campaign Budget",
          userMessage: 'This campaign does not use campaign budget optimization: set budgets on its ad sets.',
        });
      }
      this.assertBudgetChangeAllowed(campaign.campaignId, 'campaign');
    }
    if (validateOnly) return { success: true };
    const now = this.market.now();
    if (minor !== undefined) {
      const before = funded.reduce((sum, a) => sum + (a.dailyBudgetMicros ?? 0), 0);
      const after = minorToMicros(minor, campaign.currency);
      const shares = splitBudget(
        after,
        funded.map((a) => a.dailyBudgetMicros ?? 0),
      );
      for (const [i, adset] of funded.entries()) this.market.setDailyBudget(adset.adsetId, shares[i] ?? 0, now);
      this.noteBudgetChange(
        campaign.campaignId,
        funded.map((a) => a.adsetId),
        before,
        after,
        now,
      );
    }
    if (status !== undefined) for (const adset of campaign.adsets) this.market.setStatus(adset.adsetId, status, now);
    return { success: true };
  }

  /** The params of a budget/status write, validated as Graph does (unknown params, integer budget, minimum, status enum). */
  private budgetWriteParams(
    request: GraphRequest,
    currency: string,
  ): { validateOnly: boolean; minor: number | undefined; status: AdSet['status'] | undefined } {
    const allowed = new Set(['access_token', 'appsecret_proof', 'daily_budget', 'status', 'execution_options']);
    for (const name of Object.keys(request.params)) {
      if (!allowed.has(name)) throw invalidParam(`Invalid parameter`, `The parameter ${name} is not supported by the fake Graph API.`);
    }
    const validateOnly = this.validateOnly(request.params.execution_options);
    const budgetRaw = stringParam(request.params, 'daily_budget');
    const statusRaw = stringParam(request.params, 'status');
    let minor: number | undefined;
    if (budgetRaw !== undefined) {
      if (!/^\d+$/.test(budgetRaw) || !Number.isSafeInteger(Number(budgetRaw))) throw invalidParam('Param daily_budget must be an integer');
      minor = Number(budgetRaw);
      const minimum = this.minimumMinor();
      if (minor < minimum) {
        const shown = microsToDecimal(minorToMicros(minimum, currency), minorUnitOffset(currency) === 1 ? 0 : 2);
        throw new GraphApiError(400, 100, '(#100) Invalid parameter', {
          userTitle: 'Your Budget Is Too Low',
          userMessage: `The minimum daily budget for this ad set is ${shown} ${currency}.`,
        });
      }
    }
    const status = statusRaw === undefined ? undefined : ADSET_STATUSES.find((s) => s === statusRaw);
    if (statusRaw !== undefined && status === undefined) throw invalidParam(`Param status must be one of {${ADSET_STATUSES.join(', ')}}`);
    return { validateOnly, minor, status };
  }

  /** Counts a budget change against the node's hourly limit; a significant one restarts the learning of `adsetIds`. */
  private noteBudgetChange(node: string, adsetIds: readonly string[], beforeMicros: number, afterMicros: number, now: Date): void {
    this.budgetChanges.set(node, [...(this.budgetChanges.get(node) ?? []), now.getTime()]);
    if (isSignificantBudgetChange(beforeMicros, afterMicros, this.options.learning)) {
      for (const id of adsetIds) this.significantEdits.set(id, now);
    }
  }

  private validateOnly(raw: unknown): boolean {
    if (raw === undefined) return false;
    let options: unknown = raw;
    if (typeof raw === 'string') {
      try {
        options = JSON.parse(raw);
      } catch {
        options = [raw];
      }
    }
    if (!Array.isArray(options) || options.some((o) => !['validate_only', 'include_recommendations'].includes(String(o)))) {
      throw invalidParam('Param execution_options must be an array of {validate_only, include_recommendations}');
    }
    return options.includes('validate_only');
  }

  /** Meta: an ad set's budget may change 4 times per hour; the 5th change is refused with code 17 ([U] the same for a CBO campaign). */
  private assertBudgetChangeAllowed(node: string, kind: 'ad set' | 'campaign'): void {
    const nowMs = this.market.now().getTime();
    const recent = (this.budgetChanges.get(node) ?? []).filter((t) => t > nowMs - HOUR_MS);
    this.budgetChanges.set(node, recent);
    const perHour = this.options.budgetChangesPerHour ?? 4;
    if (recent.length < perHour) return;
    const oldest = recent[0] ?? nowMs;
    throw new GraphApiError(400, 17, '(#17) User request limit reached', {
      subcode: 2446079,
      userTitle: kind === 'ad set' ? 'Ad Set Budget Change Limit Reached' : 'Campaign Budget Change Limit Reached',
      userMessage: `This ${kind}'s budget was changed ${recent.length} times in the last hour. Please try again later.`,
      retryMinutes: Math.max(1, Math.ceil((oldest + HOUR_MS - nowMs) / 60_000)),
    });
  }
}

/**
 * Meta's rules for archived and deleted objects: an ARCHIVED ad set can only change its status to DELETED (and its
 * name), a DELETED one cannot change at all. Writing the status it already has is accepted. [U] the code and wording
 * of the refusal: an invalid-parameter error (code 100) is assumed.
 */
function assertEditable(adset: AdSet, minor: number | undefined, status: AdSet['status'] | undefined): void {
  if (adset.status !== 'ARCHIVED' && adset.status !== 'DELETED') return;
  const allowed: readonly AdSet['status'][] = adset.status === 'ARCHIVED' ? ['ARCHIVED', 'DELETED'] : ['DELETED'];
  if (minor === undefined && (status === undefined || allowed.includes(status))) return;
  const what = minor === undefined ? `its status to ${status}` : 'its budget';
  throw new GraphApiError(400, 100, '(#100) Invalid parameter', {
    userTitle: adset.status === 'ARCHIVED' ? "Can't Edit Archived Ad Set" : "Can't Edit Deleted Ad Set",
    userMessage: `This ad set is ${adset.status.toLowerCase()}, so you can't change ${what}.`,
  });
}

/** The campaigns of a list of ad sets (one account's), by id. */
function campaignsFrom(adsets: readonly AdSet[]): Map<string, FakeCampaign> {
  const byId = new Map<string, AdSet[]>();
  for (const adset of adsets) byId.set(adset.campaignId, [...(byId.get(adset.campaignId) ?? []), adset]);
  const out = new Map<string, FakeCampaign>();
  for (const [campaignId, members] of byId) {
    const first = members[0];
    if (!first) continue;
    out.set(campaignId, {
      campaignId,
      name: first.campaignName,
      accountId: first.accountId,
      currency: first.currency,
      adsets: members,
      cbo: members.some((a) => a.budgetLevel === 'campaign'),
    });
  }
  return out;
}

/** Splits `totalMicros` over `weights` proportionally (equally when all are 0); the shares sum to the total exactly. */
export function splitBudget(totalMicros: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const w = sum > 0 ? weights.map(BigInt) : weights.map(() => 1n);
  const total = BigInt(totalMicros);
  const weightSum = w.reduce((a, b) => a + b, 0n);
  // BigInt: a budget in micros times a weight in micros passes 2^53.
  const shares = w.map((x) => (total * x) / weightSum);
  const rest = total - shares.reduce((a, b) => a + b, 0n);
  shares[shares.length - 1] = (shares[shares.length - 1] ?? 0n) + rest;
  return shares.map(Number);
}

/** Every insights field of one row, as Graph writes it: numbers as strings, spend in major units. */
function insightsValues(row: DailyMetric, adset: AdSet, account: AdAccount): Record<string, unknown> {
  const moneyDecimals = minorUnitOffset(account.currency) === 1 ? 0 : 2;
  const unit = 1_000_000 / minorUnitOffset(account.currency);
  const spendMajor = row.spendMicros / 1_000_000;
  // Derived counts are deterministic functions of the row, so the same day always reads the same.
  const linkClicks = Math.floor(row.clicks * 0.85);
  const landingPageViews = Math.floor(linkClicks * 0.7);
  const addToCart = row.conversions * 3 + (row.clicks % 7);
  const addToCartValue = Math.round((row.revenueMicros * 2.4) / unit) * unit;
  const actions = [
    { action_type: 'link_click', value: String(linkClicks) },
    { action_type: 'landing_page_view', value: String(landingPageViews) },
    { action_type: 'add_to_cart', value: String(addToCart) },
    ...PURCHASE_TYPES.map((type) => ({ action_type: type, value: String(row.conversions) })),
  ].filter((a) => a.value !== '0');
  const actionValues = [
    { action_type: 'add_to_cart', micros: addToCartValue },
    ...PURCHASE_TYPES.map((type) => ({ action_type: type, micros: row.revenueMicros })),
  ]
    .filter((a) => a.micros > 0)
    .map((a) => ({ action_type: a.action_type, value: microsToDecimal(a.micros, moneyDecimals) }));
  return {
    account_id: account.accountId.replace(/^act_/, ''),
    account_name: account.name,
    account_currency: account.currency,
    campaign_id: adset.campaignId,
    campaign_name: adset.campaignName,
    adset_id: adset.adsetId,
    adset_name: adset.name,
    impressions: String(row.impressions),
    clicks: String(row.clicks),
    spend: microsToDecimal(row.spendMicros, 0),
    cpm: row.impressions > 0 ? graphRatio((spendMajor / row.impressions) * 1000) : undefined,
    ctr: row.impressions > 0 ? graphRatio((row.clicks / row.impressions) * 100) : undefined,
    cpc: row.clicks > 0 ? graphRatio(spendMajor / row.clicks) : undefined,
    actions: actions.length > 0 ? actions : undefined,
    action_values: actionValues.length > 0 ? actionValues : undefined,
    purchase_roas:
      row.conversions > 0 && row.spendMicros > 0
        ? [{ action_type: 'omni_purchase', value: graphRatio(row.revenueMicros / row.spendMicros) }]
        : undefined,
  };
}
