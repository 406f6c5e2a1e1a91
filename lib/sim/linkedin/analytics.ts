/**
 * `GET /rest/adAnalytics` of the fake LinkedIn API: the `fields` projection (at most 20 metrics), analytics
 * elements as LinkedIn writes them, and the `pivot=CAMPAIGN&timeGranularity=DAILY` answer, exactly
 * `MarketSimulator.reportedResults`, cut SILENTLY at the element cap (LinkedIn has no paging here).
 * `pivot=CREATIVE` is served by ads.ts with the same parts.
 */
import type { DailyMetric } from '../../model/ads.ts';
import type { MarketSimulator } from '../market.ts';
import type { LinkedInApiParts } from './ads.ts';
import { paramError } from './params.ts';
import { ACCOUNT_URN, amountText, CAMPAIGN_URN, dateRecord } from './wire.ts';

export const FAKE_MAX_ELEMENTS = 15_000;
export const MAX_METRICS = 20;

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

/** The `fields` projection, checked against the metric limit. */
export function analyticsFields(raw: string | undefined): string[] {
  // Without a projection LinkedIn answers impressions and clicks only.
  if (raw === undefined) return ['impressions', 'clicks'];
  const fields = raw.split(',').map((f) => decodeURIComponent(f));
  const unknown = fields.filter((f) => !ANALYTICS_METRICS.has(f) && !NON_METRIC_FIELDS.has(f));
  if (unknown.length > 0) throw paramError(`fields: unknown field(s) ${unknown.join(', ')}`);
  const metrics = fields.filter((f) => ANALYTICS_METRICS.has(f));
  if (metrics.length > MAX_METRICS) throw paramError(`fields: at most ${MAX_METRICS} metrics per request, got ${metrics.length}`);
  return fields;
}

/** One analytics element of a row with the projected `fields`, pivoted on `pivotValue`; conversions as numbers or ([U]) strings. */
export function analyticsElement(
  row: DailyMetric,
  fields: readonly string[],
  pivotValue: string,
  conversionEncoding: 'number' | 'string' | undefined,
): Record<string, unknown> {
  const day = dateRecord(row.date);
  const conversions = conversionEncoding === 'string' ? String(row.conversions) : row.conversions;
  const all: Record<string, unknown> = {
    dateRange: { start: day, end: day },
    pivotValues: [pivotValue],
    impressions: row.impressions,
    clicks: row.clicks,
    costInLocalCurrency: amountText(row.spendMicros, row.currency),
    externalWebsiteConversions: conversions,
    externalWebsitePostClickConversions: conversions,
    externalWebsitePostViewConversions: conversionEncoding === 'string' ? '0' : 0,
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

/** `adAnalytics` with `pivot=CAMPAIGN`: one element per campaign per day with delivery, as the market reports it now. */
export function campaignAnalytics(api: LinkedInApiParts, market: MarketSimulator, params: Map<string, string>): unknown {
  if (params.get('timeGranularity') !== 'DAILY') throw paramError('timeGranularity: only DAILY is simulated');
  const { from, to } = api.dateRange(params.get('dateRange'));
  const accounts = api.urnList(params, 'accounts', ACCOUNT_URN);
  const campaigns = api.urnList(params, 'campaigns', CAMPAIGN_URN);
  if (accounts === undefined && campaigns === undefined) throw paramError('at least one facet (accounts, campaigns) is required');
  const fields = api.fields(params.get('fields'));
  const rows: DailyMetric[] = [];
  for (const account of api.visibleAccounts(accounts)) {
    for (const row of market.reportedResults(account.accountId, from, to)) {
      if (campaigns === undefined || campaigns.has(row.adsetId)) rows.push(row);
    }
  }
  rows.sort((a, b) => (a.date === b.date ? Number(a.adsetId) - Number(b.adsetId) : a.date < b.date ? -1 : 1));
  // LinkedIn has no paging here and drops what is past the cap without a word.
  const kept = rows.slice(0, api.maxElements);
  return {
    elements: kept.map((row) => api.element(row, fields, `${CAMPAIGN_URN}${row.adsetId}`)),
    paging: { count: 10, start: 0, links: [] },
  };
}
