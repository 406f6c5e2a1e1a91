/**
 * The insights of the fake Graph API: the sync edge `GET /act_{id}/insights` (daily rows at level=adset or ad, or the
 * hourly breakdown), the async report runs (`POST /act_{id}/insights`, `GET /{report_run_id}`, its `/insights`), their
 * shared validation (level, time_increment, time_range, fields) and each row's values as Graph writes them.
 */
import type { AdAccount, AdSet, DailyMetric } from '../../model/ads.ts';
import { addDays, isLocalDate, type LocalDate } from '../../model/dates.ts';
import { microsToDecimal, minorUnitOffset } from '../../model/money.ts';
import { SimulationError } from '../errors.ts';
import type { MarketSimulator } from '../market.ts';
import type { FakeMetaAds } from './ads.ts';
import type { FakeGraphApiOptions, GraphRequest } from './api.ts';
import { invalidParam, pick, requestFields, stringParam } from './fields.ts';
import { HOURLY_BREAKDOWN, hourlyInsightsRows } from './hourly-insights.ts';
import { page } from './paging.ts';
import { type ReportRun, type ReportRunQuery, ReportRuns } from './report-runs.ts';
import { graphRatio } from './wire.ts';

/** The options the insights routes read. */
export type InsightsOptions = Pick<FakeGraphApiOptions, 'pageSize' | 'reportRuns' | 'intraday'>;

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

/** The insights routes and the async report runs they start. */
export class FakeMetaInsights {
  private readonly reportRuns: ReportRuns;

  constructor(
    private readonly market: MarketSimulator,
    private readonly ads: FakeMetaAds,
    private readonly options: InsightsOptions,
  ) {
    this.reportRuns = new ReportRuns(options.reportRuns);
  }

  /** The report run with this node id, if any. */
  findRun(node: string): ReportRun | undefined {
    return this.reportRuns.find(node);
  }

  /** `GET /act_{id}/insights`: daily rows, or hourly ones with `breakdowns=hourly_stats_aggregated_by_advertiser_time_zone`. */
  insights(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const breakdowns = stringParam(request.params, 'breakdowns');
    if (breakdowns === undefined) return this.insightsPage(this.insightsQuery(account, request), request);
    if (breakdowns !== HOURLY_BREAKDOWN)
      throw invalidParam(`The fake Graph API serves breakdowns=${HOURLY_BREAKDOWN} only, got breakdowns=${breakdowns}`);
    // The same validation as the daily edge; the breakdown's own column comes with the rows.
    const query = this.insightsQuery(account, request);
    if (query.level === 'ad') throw invalidParam(`The fake Graph API serves breakdowns=${HOURLY_BREAKDOWN} at level=adset only`);
    const rows = hourlyInsightsRows(this.market, account, query, this.options.intraday ?? {});
    return page(rows, request, this.options.pageSize, (row) => row);
  }

  /** `POST /act_{id}/insights`: the same params as the sync call start an async job. */
  createReportRun(account: AdAccount, request: GraphRequest): Record<string, unknown> {
    const run = this.reportRuns.create(this.insightsQuery(account, request), this.market.now().getTime());
    return { report_run_id: run.id };
  }

  /** `GET /{report_run_id}`: one poll of the job, its requested fields. */
  pollReportRun(run: ReportRun, request: GraphRequest): Record<string, unknown> {
    const node = this.reportRuns.poll(run, this.market.now().getTime());
    const fields = requestFields(request);
    const all = fields.length === 0 ? node : pick(node, fields, 'AdReportRun', ['id']);
    return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
  }

  /** `GET /{report_run_id}/insights`: the job's rows, paged like the sync edge, once it has completed. */
  reportRunInsights(run: ReportRun, request: GraphRequest): Record<string, unknown> {
    // [U] Meta's exact answer for an unfinished or failed job; the code and shape are Meta's.
    if (!this.reportRuns.isCompleted(run))
      throw invalidParam(`Report run ${run.id} has not completed; poll it until async_status is Job Completed`);
    return this.insightsPage(run, request);
  }

  /** The validated query of an insights call (sync, or an async job's creation). */
  private insightsQuery(account: AdAccount, request: GraphRequest): ReportRunQuery {
    const level = stringParam(request.params, 'level');
    if (level !== 'adset' && level !== 'ad')
      throw invalidParam(`The fake Graph API serves level=adset and ad only, got level=${level ?? '(none)'}`);
    const increment = stringParam(request.params, 'time_increment');
    if (increment !== '1') throw invalidParam(`The fake Graph API serves time_increment=1 only, got ${increment ?? '(none)'}`);
    const today = this.market.today(account.accountId);
    const { since, until } = timeRange(request, today);
    const fields = requestFields(request);
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
    return page(rows, request, this.options.pageSize, (row) => {
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
}

/** `time_range={"since","until"}`; the end may be today (nothing reported yet) but not later. Default: the last 30 complete days. */
function timeRange(request: GraphRequest, today: LocalDate): { since: LocalDate; until: LocalDate } {
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
