/**
 * The query parameters of the fake LinkedIn API, read as LinkedIn reads them: `pageSize`/`pageToken` pages of a
 * finder, a `dateRange` record, `List(<URN>,…)` facets and a `search=(status:(values:List(…)))` criterion. A bad
 * parameter is a 400 PARAM_INVALID.
 */
import { isLocalDate, type LocalDate, localDateAt } from '../../model/dates.ts';
import { LinkedInApiError } from './errors.ts';
import { isRestliObject, offsetOfToken, pageToken, parseRestli, type RestliValue } from './wire.ts';

export const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;

/** LinkedIn's answer to a parameter it cannot use. */
export function paramError(message: string): LinkedInApiError {
  return new LinkedInApiError(400, message, { code: 'PARAM_INVALID' });
}

/** A `pageToken`/`pageSize` page: `metadata.nextPageToken` while more follow. */
export function page(params: Map<string, string>, all: readonly unknown[]): unknown {
  const sizeText = params.get('pageSize');
  const size = sizeText === undefined ? DEFAULT_PAGE_SIZE : Number(sizeText);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw paramError(`pageSize must be between 1 and ${MAX_PAGE_SIZE}`);
  const tokenText = params.get('pageToken');
  const offset = tokenText === undefined ? 0 : offsetOfToken(decodeURIComponent(tokenText));
  if (offset === undefined) throw paramError('pageToken is not valid');
  const next = offset + size;
  return { elements: all.slice(offset, next), metadata: next < all.length ? { nextPageToken: pageToken(next) } : {} };
}

/** The `dateRange` parameter as dates; an open end is today (UTC) at `now`. */
export function dateRange(raw: string | undefined, now: () => Date): { from: LocalDate; to: LocalDate } {
  if (raw === undefined) throw paramError('dateRange is required');
  const range = parseRestli(raw);
  if (!isRestliObject(range) || range.start === undefined) throw paramError('dateRange must be (start:(year:…,month:…,day:…),end:(…))');
  const from = date(range.start, 'dateRange.start');
  const to = range.end === undefined ? localDateAt(now(), 'UTC') : date(range.end, 'dateRange.end');
  if (from > to) throw paramError('dateRange.start is after dateRange.end');
  return { from, to };
}

function date(value: RestliValue, field: string): LocalDate {
  if (!isRestliObject(value)) throw paramError(`${field} must be (year:…,month:…,day:…)`);
  const part = (name: string) => {
    const text = value[name];
    if (typeof text !== 'string' || !/^\d{1,4}$/.test(text)) throw paramError(`${field}.${name} must be a number`);
    return Number(text);
  };
  const date = `${String(part('year')).padStart(4, '0')}-${String(part('month')).padStart(2, '0')}-${String(part('day')).padStart(2, '0')}`;
  if (!isLocalDate(date)) throw paramError(`${field} is not a calendar date`);
  return date;
}

/** A `List(<URN>,…)` facet as ids; undefined when absent. */
export function urnList(params: Map<string, string>, name: string, prefix: string): Set<string> | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  const list = parseRestli(raw);
  if (!Array.isArray(list) || list.length === 0) throw paramError(`${name} must be List(<URN>,…)`);
  const ids = new Set<string>();
  for (const item of list) {
    if (typeof item !== 'string' || !item.startsWith(prefix) || !/^\d+$/.test(item.slice(prefix.length)))
      throw paramError(`${name}: ${JSON.stringify(item)} is not a ${prefix}<id> URN`);
    ids.add(item.slice(prefix.length));
  }
  return ids;
}

/** The `search=(status:(values:List(…)))` criterion of a finder; undefined without one. */
export function searchStatuses(params: Map<string, string>): Set<string> | undefined {
  if (params.get('q') !== 'search') throw paramError(`finder ${String(params.get('q'))} is not supported; use q=search`);
  const raw = params.get('search');
  if (raw === undefined) return undefined;
  const search = parseRestli(raw);
  const status = isRestliObject(search) ? search.status : undefined;
  const values = isRestliObject(status) ? status.values : undefined;
  if (!isRestliObject(search) || Object.keys(search).some((k) => k !== 'status') || !Array.isArray(values))
    throw paramError(`search: only (status:(values:List(…))) is simulated, got ${raw}`);
  return new Set(values.map(String));
}
