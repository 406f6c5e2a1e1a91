/**
 * Wire helpers of the fake X Ads API (../shared/PLATFORM_APIS.md §7.1): error bodies, entity JSON of the market's
 * line items and their campaigns, DAY stats arrays, ISO time parsing, opaque cursors. Pure functions.
 */
import type { AdAccount, AdSet, DailyMetric } from '../../model/ads.ts';
import { addDays, type LocalDate, zoneOffsetMinutes } from '../../model/dates.ts';
import { microsToDecimal, minorUnitOffset } from '../../model/money.ts';
import type { XAdsApiError } from './errors.ts';

/** The error body X sends. */
export function errorBody(error: XAdsApiError, params: Readonly<Record<string, unknown>>): unknown {
  return {
    errors: [{ code: error.code, message: error.message, ...(error.parameter === undefined ? {} : { parameter: error.parameter }) }],
    request: { params },
  };
}

/** Unit of `sale_amount` the fake renders [U]: micros like every X amount, or a decimal in major units. */
export type SaleAmountUnit = 'micros' | 'major';

const CREATED = '2026-01-05T10:00:00Z';

/** X's status of a market status (ARCHIVED and DELETED have none: paused, and `deleted` for DELETED). */
export function entityStatus(status: AdSet['status']): 'ACTIVE' | 'PAUSED' {
  return status === 'ACTIVE' ? 'ACTIVE' : 'PAUSED';
}

/** A campaign of the market: the line items (market ad sets) sharing its id. */
export interface FakeCampaign {
  readonly id: string;
  readonly name: string;
  readonly lineItems: readonly AdSet[];
  /** True when the campaign holds the budget (its line items have budgetLevel 'campaign'). */
  readonly campaignBudget: boolean;
}

/** The campaigns of an account's line items (market ad sets), in the order their first line item comes. */
export function campaignsOf(lineItems: readonly AdSet[]): FakeCampaign[] {
  const byId = new Map<string, AdSet[]>();
  for (const li of lineItems) byId.set(li.campaignId, [...(byId.get(li.campaignId) ?? []), li]);
  return [...byId.entries()].map(([id, items]) => ({
    id,
    name: items[0]?.campaignName ?? '',
    lineItems: items,
    campaignBudget: items.some((li) => li.budgetLevel === 'campaign'),
  }));
}

/** The one funding instrument the fake gives an account. */
export function fundingInstrumentId(account: AdAccount): string {
  return `fi${account.accountId.slice(0, 4)}`;
}

/** The campaign's daily budget: the sum of its line items' shares when it holds the budget, else null (line-item budgets). */
export function campaignDailyBudget(campaign: FakeCampaign): number | null {
  if (!campaign.campaignBudget) return null;
  return campaign.lineItems.reduce((sum, li) => sum + (li.dailyBudgetMicros ?? 0), 0);
}

/** A campaign as `GET /12/accounts/:id/campaigns` shows it. */
export function campaignJson(account: AdAccount, campaign: FakeCampaign, fundingInstrumentId: string): Record<string, unknown> {
  const active = campaign.lineItems.some((li) => li.status === 'ACTIVE');
  const deleted = campaign.lineItems.every((li) => li.status === 'DELETED');
  return {
    name: campaign.name,
    budget_optimization: 'LINE_ITEM',
    reasons_not_servable: active ? [] : ['PAUSED_BY_ADVERTISER'],
    servable: active,
    purchase_order_number: null,
    effective_status: active ? 'RUNNING' : 'PAUSED',
    daily_budget_amount_local_micro: campaignDailyBudget(campaign),
    funding_instrument_id: fundingInstrumentId,
    duration_in_days: null,
    standard_delivery: null,
    total_budget_amount_local_micro: null,
    id: campaign.id,
    entity_status: active ? 'ACTIVE' : 'PAUSED',
    frequency_cap: null,
    currency: account.currency,
    created_at: CREATED,
    updated_at: CREATED,
    deleted,
  };
}

/** A line item as `GET /12/accounts/:id/line_items` shows it. */
export function lineItemJson(account: AdAccount, lineItem: AdSet): Record<string, unknown> {
  return {
    id: lineItem.adsetId,
    campaign_id: lineItem.campaignId,
    name: lineItem.name,
    entity_status: entityStatus(lineItem.status),
    bid_amount_local_micro: null,
    bid_strategy: 'AUTO',
    goal: 'WEBSITE_CONVERSIONS',
    objective: 'WEBSITE_CONVERSIONS',
    product_type: 'PROMOTED_TWEETS',
    placements: ['ALL_ON_TWITTER'],
    pay_by: 'IMPRESSION',
    daily_budget_amount_local_micro: lineItem.budgetLevel === 'adset' ? lineItem.dailyBudgetMicros : null,
    total_budget_amount_local_micro: null,
    standard_delivery: true,
    start_time: CREATED,
    end_time: null,
    currency: account.currency,
    created_at: CREATED,
    updated_at: CREATED,
    deleted: lineItem.status === 'DELETED',
  };
}

/** The account object of `GET /12/accounts/:id`. */
export function accountJson(account: AdAccount): Record<string, unknown> {
  return {
    name: account.name,
    business_name: null,
    timezone: account.timezone,
    timezone_switch_at: CREATED,
    id: account.accountId,
    created_at: CREATED,
    updated_at: CREATED,
    salt: 'f9f9d5a5f23075c4e3cb7c53bf4b28be',
    deleted: false,
    approval_status: 'ACCEPTED',
    business_id: null,
    industry_type: 'RETAIL',
  };
}

/** The one funding instrument of an account, in its currency [U]. */
export function fundingInstrumentJson(account: AdAccount, id: string): Record<string, unknown> {
  return {
    id,
    name: 'Visa ending in 4242',
    account_id: account.accountId,
    type: 'CREDIT_CARD',
    currency: account.currency,
    entity_status: 'ACTIVE',
    deleted: false,
    able_to_fund: true,
    created_at: CREATED,
    updated_at: CREATED,
  };
}

const TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An X time parameter as an instant: ISO 8601 with `Z`, `±HHMM` or `±HH:MM`, or a date alone, read as midnight
 * in the account zone (with today's offset, like DAY windows). Undefined when it is neither.
 */
export function parseXTime(value: string, timezone: string, now: Date): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const utc = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(utc) ? undefined : new Date(utc - zoneOffsetMinutes(now, timezone) * 60_000);
  }
  const m = TIME.exec(value);
  if (!m) return undefined;
  const zone = m[5] === 'Z' ? 'Z' : `${m[5]?.slice(0, 3)}:${m[5]?.slice(-2)}`;
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${zone}`);
  return Number.isNaN(at) ? undefined : new Date(at);
}

/** The account-local date a DAY step starting at `instant` stands for, with today's offset; undefined unless it is local midnight. */
export function alignedLocalDate(instant: Date, timezone: string, now: Date): LocalDate | undefined {
  const shifted = new Date(instant.getTime() + zoneOffsetMinutes(now, timezone) * 60_000);
  if (shifted.getUTCHours() !== 0 || shifted.getUTCMinutes() !== 0 || shifted.getUTCSeconds() !== 0 || shifted.getUTCMilliseconds() !== 0)
    return undefined;
  return shifted.toISOString().slice(0, 10);
}

/** A window of DAY steps: first date and number of days. */
export interface DayWindow {
  readonly from: LocalDate;
  readonly days: number;
}

/** One value per day of `window` from `pick`, null on days without a row or where the value is 0; null alone when all are. */
function series(
  window: DayWindow,
  rows: ReadonlyMap<LocalDate, DailyMetric>,
  pick: (row: DailyMetric) => number | null,
): (number | null)[] | null {
  const values: (number | null)[] = [];
  for (let i = 0; i < window.days; i++) {
    const row = rows.get(addDays(window.from, i));
    const value = row === undefined ? null : pick(row);
    values.push(value === 0 ? null : value);
  }
  return values.every((v) => v === null) ? null : values;
}

/** A `sale_amount` as the fake writes it. */
function saleAmount(row: DailyMetric, unit: SaleAmountUnit): number {
  if (unit === 'micros') return row.revenueMicros;
  return Number(microsToDecimal(row.revenueMicros, minorUnitOffset(row.currency) === 1 ? 0 : 2));
}

/** The metrics of one line item over `window` for the requested metric groups, from its reported rows. */
export function statsMetrics(
  window: DayWindow,
  rows: ReadonlyMap<LocalDate, DailyMetric>,
  groups: readonly string[],
  unit: SaleAmountUnit,
): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  const s = (pick: (row: DailyMetric) => number | null) => series(window, rows, pick);
  if (groups.includes('ENGAGEMENT')) {
    Object.assign(metrics, {
      impressions: s((r) => r.impressions),
      clicks: s((r) => r.clicks),
      url_clicks: s((r) => r.clicks),
      engagements: s((r) => r.clicks),
      likes: null,
      retweets: null,
      replies: null,
      follows: null,
      card_engagements: null,
      app_clicks: null,
      qualified_impressions: null,
      carousel_swipes: null,
    });
  }
  if (groups.includes('BILLING')) {
    Object.assign(metrics, { billed_charge_local_micro: s((r) => r.spendMicros), billed_engagements: s((r) => r.clicks) });
  }
  if (groups.includes('WEB_CONVERSION')) {
    const metric = s((r) => r.conversions);
    const purchases =
      metric === null
        ? null
        : {
            metric,
            order_quantity: metric,
            sale_amount: s((r) => saleAmount(r, unit)),
            post_view: null,
            post_engagement: metric,
            assisted: null,
          };
    Object.assign(metrics, {
      conversion_purchases: purchases,
      conversion_sign_ups: null,
      conversion_site_visits: null,
      conversion_downloads: null,
      conversion_custom: null,
    });
  }
  return metrics;
}

/** The `stats` answer for line items `ids` over `window` (every id appears, with null metrics when it served nothing). */
export function statsPayload(
  window: DayWindow,
  ids: readonly string[],
  truth: readonly DailyMetric[],
  groups: readonly string[],
  unit: SaleAmountUnit,
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const last = addDays(window.from, window.days - 1);
  const byId = new Map<string, Map<LocalDate, DailyMetric>>();
  for (const row of truth) {
    if (row.date < window.from || row.date > last) continue;
    const rows = byId.get(row.adsetId) ?? new Map<LocalDate, DailyMetric>();
    rows.set(row.date, row);
    byId.set(row.adsetId, rows);
  }
  return {
    data_type: 'stats',
    time_series_length: window.days,
    data: ids.map((id) => ({ id, id_data: [{ segment: null, metrics: statsMetrics(window, byId.get(id) ?? new Map(), groups, unit) }] })),
    request: { params },
  };
}

/** An opaque cursor for the row offset `offset`. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`xc:${offset}`).toString('base64url');
}

/** The offset of a cursor this fake made, or undefined. */
export function decodeCursor(cursor: string): number | undefined {
  const m = /^xc:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** A copy of `target` with `path` set to `value`; numeric segments index arrays (for 'malformed' faults). */
export function withPath(target: unknown, path: readonly string[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  if (Array.isArray(target) && /^\d+$/.test(key)) {
    const index = Number(key);
    return target.map((item, i) => (i === index ? withPath(item, rest, value) : item));
  }
  const record = typeof target === 'object' && target !== null && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
  return { ...record, [key]: withPath(record[key], rest, value) };
}
