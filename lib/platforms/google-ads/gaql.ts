/**
 * The GAQL queries the connector sends (../shared/PLATFORM_APIS.md §2). Only validated values (digits, dates,
 * currency codes) are ever put in a query, so nothing from a caller or a platform can change its meaning.
 *
 * The unit adpilot manages on Google Ads is the campaign: budgets live on the campaign's CampaignBudget, so
 * metrics are read per campaign per day to line up with the budget they are decisions about.
 */
import { isLocalDate, type LocalDate } from '../../model/dates.ts';
import { PlatformRequestError } from '../errors.ts';

const context = { platform: 'google-ads' as const, endpoint: '(gaql)' };

function digits(value: string, what: string): string {
  if (!/^\d{1,20}$/.test(value)) throw new PlatformRequestError(`${what} must be digits, got ${JSON.stringify(value)}`, context);
  return value;
}

function date(value: LocalDate, what: string): LocalDate {
  if (!isLocalDate(value)) throw new PlatformRequestError(`${what} must be a YYYY-MM-DD date, got ${JSON.stringify(value)}`, context);
  return value;
}

/** Currency code and time zone of the customer (one row). */
export const CUSTOMER_QUERY = 'SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone FROM customer';

/** Fields read for each campaign and its budget; also used for the read-back after a budget write. */
export const CAMPAIGN_FIELDS = [
  'campaign.id',
  'campaign.name',
  'campaign.status',
  'campaign.bidding_strategy_system_status',
  'campaign_budget.id',
  'campaign_budget.amount_micros',
  'campaign_budget.explicitly_shared',
  'campaign_budget.reference_count',
  'campaign_budget.period',
] as const;

/** Every campaign of the customer with its budget. */
export function campaignsQuery(): string {
  return `SELECT ${CAMPAIGN_FIELDS.join(', ')} FROM campaign`;
}

/** One campaign with its budget and status (before and after a budget or status write). */
export function campaignQuery(campaignId: string): string {
  return `${campaignsQuery()} WHERE campaign.id = ${campaignIdOf(campaignId)}`;
}

/** A campaign id checked to be digits, as it goes into a query or a resource name. */
export function campaignIdOf(campaignId: string): string {
  return digits(campaignId, 'campaign id');
}

/** Fields of a daily metric row. */
export const METRIC_FIELDS = [
  'campaign.id',
  'segments.date',
  'metrics.impressions',
  'metrics.clicks',
  'metrics.cost_micros',
  'metrics.conversions',
  'metrics.conversions_value',
] as const;

/** Metrics per campaign per account-local date in [from, to] (Google omits rows whose metrics are all zero). */
export function dailyMetricsQuery(from: LocalDate, to: LocalDate): string {
  date(from, 'from');
  date(to, 'to');
  if (from > to) throw new PlatformRequestError(`date range is empty: ${from} is after ${to}`, context);
  return `SELECT ${METRIC_FIELDS.join(', ')} FROM campaign WHERE segments.date BETWEEN '${from}' AND '${to}'`;
}

/** The billable unit of a currency: budgets must be multiples of it. */
export function billableUnitQuery(currency: string): string {
  if (!/^[A-Z]{3}$/.test(currency)) throw new PlatformRequestError(`not an ISO 4217 code: ${JSON.stringify(currency)}`, context);
  return `SELECT currency_constant.code, currency_constant.billable_unit_micros FROM currency_constant WHERE currency_constant.code = '${currency}'`;
}

/** Most ad ids named in one ad-level query, so the GAQL text stays far below Google's query size limit ([U] the limit). */
export const MAX_AD_IDS_PER_QUERY = 1000;

/** An ad id checked to be digits, as it goes into a query. */
export function adIdOf(adId: string): string {
  return digits(adId, 'ad id');
}

/** Fields read for each ad: its ad group ad (resource name for writes, status), ad group and campaign. */
export const AD_FIELDS = ['ad_group_ad.ad.id', 'ad_group_ad.ad.name', 'ad_group_ad.status', 'ad_group.id', 'campaign.id'] as const;

/** The ads (ad group ads) with these ids; also the read-back after a status write. */
export function adsQuery(adIds: readonly string[]): string {
  return `SELECT ${AD_FIELDS.join(', ')} FROM ad_group_ad WHERE ad_group_ad.ad.id IN (${adIdList(adIds)})`;
}

/** Fields of a daily ad metric row. */
export const AD_METRIC_FIELDS = ['ad_group_ad.ad.id', ...METRIC_FIELDS] as const;

/** Metrics per ad per account-local date in [from, to] for these ads (rows whose metrics are all zero are left out). */
export function adDailyMetricsQuery(adIds: readonly string[], from: LocalDate, to: LocalDate): string {
  const campaignLevel = dailyMetricsQuery(from, to);
  const where = campaignLevel.slice(campaignLevel.indexOf(' WHERE '));
  return `SELECT ${AD_METRIC_FIELDS.join(', ')} FROM ad_group_ad${where} AND ad_group_ad.ad.id IN (${adIdList(adIds)})`;
}

function adIdList(adIds: readonly string[]): string {
  if (adIds.length === 0 || adIds.length > MAX_AD_IDS_PER_QUERY)
    throw new PlatformRequestError(`an ad query names 1–${MAX_AD_IDS_PER_QUERY} ads, got ${adIds.length}`, context);
  return adIds.map(adIdOf).join(', ');
}
