/**
 * The resources and fields the fake Google Ads API serves, with their types: which resources may be selected
 * from which FROM resource, and how a GAQL condition is checked against a typed value.
 */
import { isLocalDate } from '../../model/dates.ts';
import { GaqlError } from './errors.ts';
import type { GaqlCondition, GaqlLiteral } from './gaql.ts';

export type FieldType = 'int64' | 'double' | 'string' | 'enum' | 'bool' | 'date';

export interface FieldDef {
  readonly type: FieldType;
  readonly values?: readonly string[];
}

const CAMPAIGN_STATUSES = ['ENABLED', 'PAUSED', 'REMOVED'] as const;

/** Every field the fake knows, by GAQL name. */
export const FIELDS: Readonly<Record<string, FieldDef>> = {
  'customer.resource_name': { type: 'string' },
  'customer.id': { type: 'int64' },
  'customer.descriptive_name': { type: 'string' },
  'customer.currency_code': { type: 'string' },
  'customer.time_zone': { type: 'string' },
  'customer.manager': { type: 'bool' },
  'customer.test_account': { type: 'bool' },
  'customer.status': { type: 'enum', values: ['ENABLED', 'CANCELED', 'SUSPENDED', 'CLOSED'] },
  'campaign.resource_name': { type: 'string' },
  'campaign.id': { type: 'int64' },
  'campaign.name': { type: 'string' },
  'campaign.status': { type: 'enum', values: CAMPAIGN_STATUSES },
  'campaign.campaign_budget': { type: 'string' },
  'campaign.advertising_channel_type': {
    type: 'enum',
    values: ['SEARCH', 'DISPLAY', 'SHOPPING', 'VIDEO', 'PERFORMANCE_MAX', 'DEMAND_GEN'],
  },
  'campaign.bidding_strategy_system_status': {
    type: 'enum',
    values: ['ENABLED', 'LEARNING_NEW', 'LEARNING_SETTING_CHANGE', 'LEARNING_BUDGET_CHANGE', 'LIMITED_BY_BUDGET', 'PAUSED'],
  },
  'campaign_budget.resource_name': { type: 'string' },
  'campaign_budget.id': { type: 'int64' },
  'campaign_budget.name': { type: 'string' },
  'campaign_budget.amount_micros': { type: 'int64' },
  'campaign_budget.explicitly_shared': { type: 'bool' },
  'campaign_budget.reference_count': { type: 'int64' },
  'campaign_budget.period': { type: 'enum', values: ['DAILY', 'CUSTOM_PERIOD'] },
  'campaign_budget.status': { type: 'enum', values: ['ENABLED', 'REMOVED'] },
  'campaign_budget.delivery_method': { type: 'enum', values: ['STANDARD', 'ACCELERATED'] },
  'campaign_budget.type': { type: 'enum', values: ['STANDARD', 'SMART_CAMPAIGN', 'FIXED_CPA'] },
  'currency_constant.resource_name': { type: 'string' },
  'currency_constant.code': { type: 'string' },
  'currency_constant.name': { type: 'string' },
  'currency_constant.symbol': { type: 'string' },
  'currency_constant.billable_unit_micros': { type: 'int64' },
  'ad_group.resource_name': { type: 'string' },
  'ad_group.id': { type: 'int64' },
  'ad_group.name': { type: 'string' },
  'ad_group.status': { type: 'enum', values: ['ENABLED', 'PAUSED', 'REMOVED'] },
  'ad_group_ad.resource_name': { type: 'string' },
  'ad_group_ad.status': { type: 'enum', values: ['ENABLED', 'PAUSED', 'REMOVED'] },
  'ad_group_ad.ad.resource_name': { type: 'string' },
  'ad_group_ad.ad.id': { type: 'int64' },
  'ad_group_ad.ad.name': { type: 'string' },
  'segments.date': { type: 'date' },
  'metrics.impressions': { type: 'int64' },
  'metrics.clicks': { type: 'int64' },
  'metrics.cost_micros': { type: 'int64' },
  'metrics.conversions': { type: 'double' },
  'metrics.conversions_value': { type: 'double' },
  'metrics.all_conversions': { type: 'double' },
  'metrics.all_conversions_value': { type: 'double' },
};

/** Resources whose fields may appear with each FROM resource (attributed resources, segments, metrics). */
export const SELECTABLE_WITH: Readonly<Record<string, readonly string[]>> = {
  customer: ['customer'],
  campaign: ['campaign', 'campaign_budget', 'customer', 'segments', 'metrics'],
  campaign_budget: ['campaign_budget', 'customer'],
  ad_group_ad: ['ad_group_ad', 'ad_group', 'campaign', 'customer', 'segments', 'metrics'],
  currency_constant: ['currency_constant'],
};

/** Resource prefix of a field ("campaign_budget" of "campaign_budget.amount_micros"). */
export function resourceOf(field: string): string {
  return field.slice(0, field.indexOf('.'));
}

/** A value of a row: int64 as a decimal string, doubles as numbers, the rest as written. */
export type FieldValue = string | number | boolean;
export type RowValues = Readonly<Record<string, FieldValue | undefined>>;

/** Checks that a field exists and may be used with the FROM resource; returns its definition. */
export function checkField(field: string, from: string, clause: 'SELECT' | 'WHERE' | 'ORDER BY'): FieldDef {
  const def = FIELDS[field];
  if (!def) throw new GaqlError('UNRECOGNIZED_FIELD', `Unrecognized field in the query: '${field}'.`);
  const resource = resourceOf(field);
  if (!(SELECTABLE_WITH[from] ?? []).includes(resource)) {
    if (resource === 'metrics')
      throw new GaqlError('PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE', `Cannot select or filter on ${field} with FROM ${from}.`);
    if (resource === 'segments')
      throw new GaqlError('PROHIBITED_SEGMENT_IN_SELECT_OR_WHERE_CLAUSE', `Cannot select or filter on ${field} with FROM ${from}.`);
    const code = clause === 'WHERE' ? 'PROHIBITED_RESOURCE_TYPE_IN_WHERE_CLAUSE' : 'PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE';
    throw new GaqlError(code, `'${field}' cannot be used with FROM ${from}.`);
  }
  return def;
}

type Comparable =
  | { readonly kind: 'bigint'; readonly value: bigint }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'text'; readonly value: string };

function literalFor(def: FieldDef, field: string, literal: GaqlLiteral): Comparable {
  switch (def.type) {
    case 'int64':
      if (!/^-?\d+$/.test(literal.value) || literal.kind === 'word')
        throw new GaqlError('BAD_NUMBER', `'${literal.value}' is not a whole number for ${field}.`);
      return { kind: 'bigint', value: BigInt(literal.value) };
    case 'double':
      if (literal.kind !== 'number') throw new GaqlError('BAD_NUMBER', `'${literal.value}' is not a number for ${field}.`);
      return { kind: 'number', value: Number(literal.value) };
    case 'date':
      if (literal.kind !== 'string' || !isLocalDate(literal.value))
        throw new GaqlError('INVALID_DATE_FORMAT', `Invalid date format: '${literal.value}'. Expected 'YYYY-MM-DD'.`);
      return { kind: 'text', value: literal.value };
    case 'enum':
      if (literal.kind === 'number' || !(def.values ?? []).includes(literal.value))
        throw new GaqlError('BAD_ENUM_CONSTANT', `'${literal.value}' is not a value of ${field}.`);
      return { kind: 'text', value: literal.value };
    case 'bool': {
      const value = literal.value.toUpperCase();
      if (literal.kind === 'number' || (value !== 'TRUE' && value !== 'FALSE'))
        throw new GaqlError('BAD_VALUE', `'${literal.value}' is not TRUE or FALSE for ${field}.`);
      return { kind: 'text', value };
    }
    case 'string':
      if (literal.kind !== 'string') throw new GaqlError('INVALID_STRING_VALUE', `The value for ${field} must be a quoted string.`);
      return { kind: 'text', value: literal.value };
  }
}

function comparableOf(def: FieldDef, value: FieldValue): Comparable {
  if (def.type === 'int64') return { kind: 'bigint', value: BigInt(String(value)) };
  if (def.type === 'double') return { kind: 'number', value: Number(value) };
  if (def.type === 'bool') return { kind: 'text', value: value ? 'TRUE' : 'FALSE' };
  return { kind: 'text', value: String(value) };
}

function compare(a: Comparable, b: Comparable): number {
  if (a.kind === 'bigint' && b.kind === 'bigint') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (a.kind === 'number' && b.kind === 'number') return a.value - b.value;
  const x = String(a.value);
  const y = String(b.value);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders two values of a field (for ORDER BY); absent values first. */
export function compareValues(def: FieldDef, a: FieldValue | undefined, b: FieldValue | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return compare(comparableOf(def, a), comparableOf(def, b));
}

const ORDERED_TYPES: readonly FieldType[] = ['int64', 'double', 'date', 'string'];

/** A predicate over rows for one WHERE condition (DURING is resolved into a BETWEEN by the caller). */
export function compileCondition(condition: GaqlCondition, def: FieldDef): (row: RowValues) => boolean {
  const { field } = condition;
  const get = (row: RowValues): Comparable | undefined => {
    const value = row[field];
    return value === undefined ? undefined : comparableOf(def, value);
  };
  switch (condition.op) {
    case 'IN':
    case 'NOT IN': {
      const values = condition.values.map((v) => literalFor(def, field, v));
      const negate = condition.op === 'NOT IN';
      return (row) => {
        const value = get(row);
        if (value === undefined) return negate;
        return values.some((v) => compare(value, v) === 0) !== negate;
      };
    }
    case 'BETWEEN': {
      if (!ORDERED_TYPES.includes(def.type)) throw new GaqlError('OPERATOR_FIELD_MISMATCH', `BETWEEN cannot be used on ${field}.`);
      const low = literalFor(def, field, condition.low);
      const high = literalFor(def, field, condition.high);
      return (row) => {
        const value = get(row);
        return value !== undefined && compare(value, low) >= 0 && compare(value, high) <= 0;
      };
    }
    case 'DURING':
      throw new GaqlError('OPERATOR_FIELD_MISMATCH', `DURING can only be used on segments.date, not ${field}.`);
    default: {
      const op = condition.op;
      if (op !== '=' && op !== '!=' && !ORDERED_TYPES.includes(def.type)) {
        throw new GaqlError('OPERATOR_FIELD_MISMATCH', `Operator ${op} cannot be used on ${field}.`);
      }
      const literal = literalFor(def, field, condition.value);
      return (row) => {
        const value = get(row);
        if (value === undefined) return op === '!=';
        const c = compare(value, literal);
        return op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      };
    }
  }
}
