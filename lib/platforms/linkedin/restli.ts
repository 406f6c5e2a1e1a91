/**
 * Rest.li 2.0 query encoding (`X-Restli-Protocol-Version: 2.0.0`), as LinkedIn's versioned APIs expect it:
 * structures are written `(key:value,key:value)` and lists `List(a,b)`, with the Rest.li syntax characters left
 * as they are and every value percent-encoded, so a URN inside `List()` travels as `urn%3Ali%3AsponsoredAccount%3A1`
 * (../shared/PLATFORM_APIS.md §4: "URNs inside List() must be URL-encoded; the Rest.li parentheses must not be").
 */
import type { LocalDate } from '../../model/dates.ts';

/** A value as Rest.li 2.0 writes it in a URL: percent-encoded, including the syntax characters ( ) , : ' that encodeURIComponent keeps. */
export function restliValue(value: string): string {
  return encodeURIComponent(value).replace(/[()!*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `List(a,b,…)` with each element encoded. */
export function restliList(values: readonly string[]): string {
  return `List(${values.map(restliValue).join(',')})`;
}

/** A LocalDate as a Rest.li Date record `(year:2026,month:10,day:1)` (no leading zeros). */
export function restliDate(date: LocalDate): string {
  return `(year:${Number(date.slice(0, 4))},month:${Number(date.slice(5, 7))},day:${Number(date.slice(8, 10))})`;
}

/** The `dateRange` parameter: `(start:(year:…),end:(year:…))`, both ends inclusive. */
export function restliDateRange(from: LocalDate, to: LocalDate): string {
  return `(start:${restliDate(from)},end:${restliDate(to)})`;
}

/** A finder `search` criterion on statuses: `(status:(values:List(ACTIVE,PAUSED)))`. */
export function restliStatusSearch(statuses: readonly string[]): string {
  return `(status:(values:${restliList(statuses)}))`;
}

/** Query pairs (values already Rest.li-encoded) as a query string, without a leading `?`. */
export function queryString(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([key, value]) => `${encodeURIComponent(key)}=${value}`).join('&');
}
