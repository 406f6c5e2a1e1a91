/**
 * GAQL over the market for the fake Google Ads API: the resources customer, campaign (with its budget, and with
 * metrics per segments.date), ad_group_ad (the SimAds ads, with metrics per segments.date), campaign_budget and
 * currency_constant, filtered, ordered and limited as the query
 * says, and written in the proto3 JSON shape (nested lowerCamelCase objects, int64 as strings, doubles as 2.0).
 */
import type { AdAccount, AdSet } from '../../model/ads.ts';
import { addDays, type LocalDate } from '../../model/dates.ts';
import type { SimAds } from '../ads.ts';
import { SimulationError } from '../errors.ts';
import type { MarketSimulator } from '../market.ts';
import { adRows, metricValues } from './ads.ts';
import { type BudgetView, budgetValues, type CampaignBudgets, campaignStatus } from './budgets.ts';
import { GaqlError } from './errors.ts';
import { checkField, compareValues, compileCondition, FIELDS, type FieldValue, type RowValues, resourceOf } from './fields.ts';
import { type GaqlCondition, type GaqlQuery, parseGaql } from './gaql.ts';
import { camelCase, invalidArgument, ProtoDouble } from './wire.ts';

const DURING_RANGES: Readonly<Record<string, (today: LocalDate) => [LocalDate, LocalDate]>> = {
  TODAY: (t) => [t, t],
  YESTERDAY: (t) => [addDays(t, -1), addDays(t, -1)],
  LAST_7_DAYS: (t) => [addDays(t, -7), addDays(t, -1)],
  LAST_14_DAYS: (t) => [addDays(t, -14), addDays(t, -1)],
  LAST_30_DAYS: (t) => [addDays(t, -30), addDays(t, -1)],
};
const CURRENCIES: Readonly<Record<string, { name: string; symbol: string }>> = {
  USD: { name: 'US Dollar', symbol: '$' },
  EUR: { name: 'Euro', symbol: '€' },
  GBP: { name: 'British Pound', symbol: '£' },
  JPY: { name: 'Japanese Yen', symbol: '¥' },
  CHF: { name: 'Swiss Franc', symbol: 'CHF' },
  SEK: { name: 'Swedish Krona', symbol: 'kr' },
  AUD: { name: 'Australian Dollar', symbol: 'A$' },
  CAD: { name: 'Canadian Dollar', symbol: 'CA$' },
  KRW: { name: 'South Korean Won', symbol: '₩' },
  BRL: { name: 'Brazilian Real', symbol: 'R$' },
};
const queryError = (error: GaqlError) => invalidArgument({ errorCode: { queryError: error.code }, message: error.message });

/** Runs GAQL queries against the market for one customer at a time. */
export class GaqlRunner {
  constructor(
    private readonly market: MarketSimulator,
    private readonly budgets: CampaignBudgets,
    private readonly ads: SimAds,
  ) {}

  /** Parses and runs a GAQL query for one customer: rows in the proto3 JSON shape, and the field mask. */
  run(account: AdAccount, text: string): { results: Record<string, unknown>[]; fieldMask: string } {
    try {
      return this.execute(account, parseGaql(text));
    } catch (error) {
      if (error instanceof GaqlError) throw queryError(error);
      throw error;
    }
  }

  private execute(account: AdAccount, query: GaqlQuery): { results: Record<string, unknown>[]; fieldMask: string } {
    const { from } = query;
    if (!['customer', 'campaign', 'ad_group_ad', 'campaign_budget', 'currency_constant'].includes(from)) {
      throw new GaqlError(
        'BAD_RESOURCE_TYPE_IN_FROM_CLAUSE',
        `The fake Google Ads API serves FROM customer, campaign, ad_group_ad, campaign_budget and currency_constant, not ${from}.`,
      );
    }
    const defs = new Map(query.select.map((field) => [field, checkField(field, from, 'SELECT')]));
    for (const order of query.orderBy) {
      if (!defs.has(order.field))
        throw new GaqlError('EXPECTED_REFERENCED_FIELD_IN_SELECT_CLAUSE', `ORDER BY field ${order.field} is not in the SELECT clause.`);
    }
    for (const name of Object.keys(query.parameters)) {
      if (name !== 'include_drafts' && name !== 'omit_unselected_resource_names')
        throw new GaqlError('BAD_PARAMETER_NAME', `Unknown parameter ${name}.`);
    }
    const today = this.market.today(account.accountId);
    const predicates = query.where.map((condition) => this.predicate(condition, from, today));
    const selectsDate = defs.has('segments.date');
    const selectsMetrics = query.select.some((f) => resourceOf(f) === 'metrics');
    const filtersMetrics = query.where.some((c) => resourceOf(c.field) === 'metrics');
    if ((selectsMetrics || filtersMetrics) && !selectsDate) {
      throw new GaqlError('QUERY_ERROR', 'The fake Google Ads API serves metrics segmented by segments.date only: select segments.date.');
    }
    const range = selectsDate || query.where.some((c) => c.field === 'segments.date') ? this.dateRange(query.where, today) : undefined;

    let rows: RowValues[];
    if (from === 'customer') rows = [this.customerValues(account)];
    else if (from === 'campaign_budget')
      rows = [...this.budgets.views(account).byId.values()].map((b) => ({ ...this.customerValues(account), ...budgetValues(b) }));
    else if (from === 'currency_constant') rows = this.currencyRows();
    else if (from === 'ad_group_ad') rows = this.adRows(account, range, query.select);
    else if (range) rows = this.metricRows(account, range, query.select);
    else rows = this.campaignRows(account);

    rows = rows.filter((row) => predicates.every((p) => p(row)));
    for (const order of [...query.orderBy].reverse()) {
      const def = FIELDS[order.field];
      if (!def) continue;
      rows = [...rows].sort((a, b) => (order.descending ? -1 : 1) * compareValues(def, a[order.field], b[order.field]));
    }
    if (query.limit !== undefined) rows = rows.slice(0, query.limit);
    const omitNames = query.parameters.omit_unselected_resource_names?.toLowerCase() === 'true';
    return {
      results: rows.map((row) => project(row, query.select, omitNames)),
      fieldMask: query.select.map((f) => f.split('.').map(camelCase).join('.')).join(','),
    };
  }

  private predicate(condition: GaqlCondition, from: string, today: LocalDate): (row: RowValues) => boolean {
    const def = checkField(condition.field, from, 'WHERE');
    if (condition.op !== 'DURING') return compileCondition(condition, def);
    if (condition.field !== 'segments.date') throw new GaqlError('OPERATOR_FIELD_MISMATCH', `DURING can only be used on segments.date.`);
    const [low, high] = this.during(condition.range, today);
    return compileCondition(
      { field: condition.field, op: 'BETWEEN', low: { kind: 'string', value: low }, high: { kind: 'string', value: high } },
      def,
    );
  }

  private during(range: string, today: LocalDate): [LocalDate, LocalDate] {
    const make = DURING_RANGES[range];
    if (!make)
      throw new GaqlError(
        'INVALID_VALUE_WITH_DURING_OPERATOR',
        `The fake serves DURING ${Object.keys(DURING_RANGES).join(', ')}; got ${range}.`,
      );
    return make(today);
  }

  /** The finite range of account-local dates the conditions on segments.date allow. */
  private dateRange(where: readonly GaqlCondition[], today: LocalDate): [LocalDate, LocalDate] {
    let low: LocalDate | undefined;
    let high: LocalDate | undefined;
    const atLeast = (d: LocalDate) => {
      low = low === undefined || d > low ? d : low;
    };
    const atMost = (d: LocalDate) => {
      high = high === undefined || d < high ? d : high;
    };
    for (const c of where) {
      if (c.field !== 'segments.date') continue;
      if (c.op === 'DURING') {
        const [a, b] = this.during(c.range, today);
        atLeast(a);
        atMost(b);
      } else if (c.op === 'BETWEEN') {
        if (c.low.value > c.high.value)
          throw new GaqlError('DATE_RANGE_TOO_NARROW', `The date range ${c.low.value}..${c.high.value} starts after it ends.`);
        atLeast(c.low.value);
        atMost(c.high.value);
      } else if (c.op === 'IN') {
        const dates = c.values.map((v) => v.value).sort();
        atLeast(dates[0] ?? '');
        atMost(dates[dates.length - 1] ?? '');
      } else if (c.op === '=') {
        atLeast(c.value.value);
        atMost(c.value.value);
      } else if (c.op === '>=' || c.op === '>') atLeast(c.op === '>' ? addDays(c.value.value, 1) : c.value.value);
      else if (c.op === '<=' || c.op === '<') atMost(c.op === '<' ? addDays(c.value.value, -1) : c.value.value);
    }
    if (low === undefined || high === undefined) {
      throw new GaqlError(
        'EXPECTED_FILTERS_ON_DATE_RANGE',
        'Missing filters on date related fields: segments.date needs a finite date range in the WHERE clause.',
      );
    }
    return [low, high];
  }

  private customerValues(account: AdAccount): Record<string, FieldValue> {
    return {
      'customer.resource_name': `customers/${account.accountId}`,
      'customer.id': account.accountId,
      'customer.descriptive_name': account.name,
      'customer.currency_code': account.currency,
      'customer.time_zone': account.timezone,
      'customer.manager': false,
      'customer.test_account': false,
      'customer.status': 'ENABLED',
    };
  }

  private campaignValues(account: AdAccount, campaign: AdSet, budget: BudgetView | undefined): Record<string, FieldValue> {
    return {
      ...this.customerValues(account),
      'campaign.resource_name': `customers/${account.accountId}/campaigns/${campaign.adsetId}`,
      'campaign.id': campaign.adsetId,
      'campaign.name': campaign.name,
      'campaign.status': campaignStatus(campaign.status),
      'campaign.advertising_channel_type': 'SEARCH',
      'campaign.bidding_strategy_system_status': campaign.learning ? 'LEARNING_NEW' : 'ENABLED',
      ...(budget ? { 'campaign.campaign_budget': budget.resourceName, ...budgetValues(budget) } : {}),
    };
  }

  private campaignRows(account: AdAccount): RowValues[] {
    const { byCampaign } = this.budgets.views(account);
    return this.market.adsets(account.accountId).map((c) => this.campaignValues(account, c, byCampaign.get(c.adsetId)));
  }

  /** One row per campaign per date with delivery, as the market reports it now; rows whose selected metrics are all zero are left out. */
  private metricRows(account: AdAccount, [from, to]: [LocalDate, LocalDate], select: readonly string[]): RowValues[] {
    const { byCampaign } = this.budgets.views(account);
    const campaigns = new Map(this.market.adsets(account.accountId).map((c) => [c.adsetId, c]));
    const metrics = select.filter((f) => resourceOf(f) === 'metrics');
    const out: RowValues[] = [];
    for (const row of this.market.reportedResults(account.accountId, from, to)) {
      const campaign = campaigns.get(row.adsetId);
      if (!campaign) throw new SimulationError(`row for unknown campaign ${row.adsetId}`);
      const values: Record<string, FieldValue> = {
        ...this.campaignValues(account, campaign, byCampaign.get(campaign.adsetId)),
        ...metricValues(row),
      };
      if (metrics.length > 0 && metrics.every((m) => Number(values[m]) === 0)) continue;
      out.push(values);
    }
    return out;
  }

  /** Ads, or with a date range their days as SimAds reports them now; rows whose selected metrics are all zero are left out. */
  private adRows(account: AdAccount, range: [LocalDate, LocalDate] | undefined, select: readonly string[]): RowValues[] {
    const { byCampaign } = this.budgets.views(account);
    const campaigns = new Map(this.market.adsets(account.accountId).map((c) => [c.adsetId, c]));
    const campaignValues = (id: string) => {
      const campaign = campaigns.get(id);
      if (!campaign) throw new SimulationError(`ad of unknown campaign ${id}`);
      return this.campaignValues(account, campaign, byCampaign.get(id));
    };
    const rows = adRows(this.ads, account, campaignValues, range);
    const metrics = select.filter((f) => resourceOf(f) === 'metrics');
    return range && metrics.length > 0 ? rows.filter((row) => metrics.some((m) => Number(row[m]) !== 0)) : rows;
  }

  private currencyRows(): RowValues[] {
    const codes = [...new Set([...Object.keys(CURRENCIES), ...this.market.accounts().map((a) => a.currency)])].sort();
    return codes.map((code) => ({
      'currency_constant.resource_name': `currencyConstants/${code}`,
      'currency_constant.code': code,
      'currency_constant.name': CURRENCIES[code]?.name ?? code,
      'currency_constant.symbol': CURRENCIES[code]?.symbol ?? code,
      'currency_constant.billable_unit_micros': String(this.budgets.billableUnit(code)),
    }));
  }
}

/**
 * A row in the proto3 JSON shape: nested lowerCamelCase objects (`ad_group_ad.ad.id` → `adGroupAd.ad.id`), with
 * the resourceName of every resource and nested resource touched.
 */
function project(row: RowValues, select: readonly string[], omitNames: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of select) {
    const resource = resourceOf(field);
    const def = FIELDS[field];
    const value = row[field];
    if (!def || value === undefined) continue;
    const parts = field.split('.');
    let target = out;
    for (let depth = 1; depth < parts.length; depth++) {
      const key = camelCase(parts[depth - 1] ?? '');
      let next = target[key] as Record<string, unknown> | undefined;
      if (!next) {
        next = {};
        const name = row[`${parts.slice(0, depth).join('.')}.resource_name`];
        if (!omitNames && name !== undefined && resource !== 'segments' && resource !== 'metrics') next.resourceName = name;
        target[key] = next;
      }
      target = next;
    }
    target[camelCase(parts[parts.length - 1] ?? '')] =
      def.type === 'int64' ? String(value) : def.type === 'double' ? new ProtoDouble(Number(value)) : value;
  }
  return out;
}
