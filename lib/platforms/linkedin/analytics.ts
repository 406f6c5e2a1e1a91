/**
 * Daily rows from `adAnalytics?q=analytics&timeGranularity=DAILY` with a `fields` projection, filtered by the
 * account and by explicit campaign (`pivot=CAMPAIGN`) or creative (`pivot=CREATIVE`) lists. The finder has no
 * paging and silently cuts answers at 15,000 elements, so reads are sliced by dates × ids (see slices.ts).
 * Conversions are `externalWebsiteConversions` and revenue `conversionValueInLocalCurrency` (both [U]: absent
 * reads as 0). Days are UTC days.
 */
import type { AdAccount, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import type { RestliQuery } from './client.ts';
import type { LinkedInContext } from './context.ts';
import { restliDateRange, restliList } from './restli.ts';
import { type AnalyticsElement, AnalyticsResponse } from './schemas.ts';
import { type AnalyticsSlice, analyticsSlices } from './slices.ts';
import { ACCOUNT_URN, CREATIVE_URN, countToNumber, idOfUrn, metricMoneyToMicros, recordToDate } from './values.ts';

/** The metrics asked of adAnalytics (7 of the 20 a request may name). */
export const ANALYTICS_FIELDS = [
  'dateRange',
  'pivotValues',
  'impressions',
  'clicks',
  'costInLocalCurrency',
  'externalWebsiteConversions',
  'conversionValueInLocalCurrency',
] as const;

/** What an analytics element's pivot value is, and the ad set and campaign of each id it may name. */
export interface Pivot {
  readonly urn: string;
  readonly what: string;
  readonly parents: ReadonlyMap<string, { readonly adsetId: string; readonly campaignId: string }>;
}

/** Every analytics element of `pivot` over [from, to], sliced by ids × days; a day repeated for one id is malformed. */
export async function analytics(
  ctx: LinkedInContext,
  account: AdAccount,
  pivot: Pivot,
  from: LocalDate,
  to: LocalDate,
): Promise<{ id: string; row: DailyMetric }[]> {
  const out: { id: string; row: DailyMetric }[] = [];
  const seen = new Set<string>();
  const endpoint = ctx.client.endpoint('GET', 'adAnalytics');
  for (const slice of analyticsSlices([...pivot.parents.keys()], from, to, ctx.limits)) {
    // A whole answer is converted inside its retried request: a bad answer is fetched again, and fails when it stays bad.
    const rows = await ctx.call(async () => {
      const answer = await ctx.client.get('adAnalytics', analyticsQuery(account.accountId, slice, pivot), AnalyticsResponse);
      const wanted = new Set(slice.campaignIds);
      return answer.elements.map((element, i) => metricRow(ctx, account, element, `elements[${i}]`, slice, wanted, pivot, endpoint));
    });
    for (const row of rows) {
      const key = `${row.id}|${row.row.date}`;
      if (seen.has(key)) throw ctx.malformed(endpoint, 'elements', `repeats ${pivot.what} ${row.id} on ${row.row.date}`);
      seen.add(key);
      out.push(row);
    }
  }
  return out;
}

function analyticsQuery(accountId: string, slice: AnalyticsSlice, pivot: Pivot): RestliQuery {
  const creatives = pivot.urn === CREATIVE_URN;
  return [
    ['q', 'analytics'],
    ['pivot', creatives ? 'CREATIVE' : 'CAMPAIGN'],
    ['timeGranularity', 'DAILY'],
    ['dateRange', restliDateRange(slice.from, slice.to)],
    ['accounts', restliList([`${ACCOUNT_URN}${accountId}`])],
    [creatives ? 'creatives' : 'campaigns', restliList(slice.campaignIds.map((id) => `${pivot.urn}${id}`))],
    ['fields', ANALYTICS_FIELDS.join(',')],
  ];
}

function metricRow(
  ctx: LinkedInContext,
  account: AdAccount,
  element: AnalyticsElement,
  path: string,
  slice: AnalyticsSlice,
  wanted: ReadonlySet<string>,
  pivot: Pivot,
  endpoint: string,
): { id: string; row: DailyMetric } {
  const urn = element.pivotValues[0] ?? '';
  const id = ctx.convert(() => idOfUrn(urn, pivot.urn), endpoint, `${path}.pivotValues[0]`);
  const parent = pivot.parents.get(id);
  if (!wanted.has(id) || parent === undefined)
    throw ctx.malformed(endpoint, `${path}.pivotValues[0]`, `is ${pivot.what} ${id}, which was not asked for`);
  const start = ctx.convert(() => recordToDate(element.dateRange.start), endpoint, `${path}.dateRange.start`);
  const end = ctx.convert(() => recordToDate(element.dateRange.end), endpoint, `${path}.dateRange.end`);
  if (start !== end) throw ctx.malformed(endpoint, `${path}.dateRange`, `spans ${start}..${end}, not one day`);
  if (start < slice.from || start > slice.to)
    throw ctx.malformed(endpoint, `${path}.dateRange.start`, `is ${start}, outside ${slice.from}..${slice.to}`);
  const money = (name: 'costInLocalCurrency' | 'conversionValueInLocalCurrency') => {
    const value = element[name];
    return value === undefined ? 0 : ctx.convert(() => metricMoneyToMicros(value), endpoint, `${path}.${name}`);
  };
  const conversions = element.externalWebsiteConversions;
  const row: DailyMetric = {
    platform: 'linkedin',
    accountId: account.accountId,
    adsetId: parent.adsetId,
    campaignId: parent.campaignId,
    date: start,
    currency: account.currency,
    spendMicros: money('costInLocalCurrency'),
    revenueMicros: money('conversionValueInLocalCurrency'),
    impressions: element.impressions,
    clicks: element.clicks,
    conversions:
      conversions === undefined ? 0 : ctx.convert(() => countToNumber(conversions), endpoint, `${path}.externalWebsiteConversions`),
  };
  return { id, row };
}
