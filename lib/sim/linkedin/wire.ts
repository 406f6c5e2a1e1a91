/**
 * Reading Rest.li 2.0 query values the way LinkedIn's servers do (`X-Restli-Protocol-Version: 2.0.0`): objects
 * `(key:value,…)`, lists `List(a,b)`, and primitives that are percent-encoded, so a reserved character inside a
 * value (the colons of a URN) must arrive as `%3A`. Also the raw query split that keeps those encodings intact,
 * the values the fake writes back (URN prefixes, money amounts, Date records) and the Rest.li PARTIAL_UPDATE
 * envelope the write routes share.
 */
import type { LocalDate } from '../../model/dates.ts';
import { microsToDecimal, minorUnitOffset } from '../../model/money.ts';
import { LinkedInApiError, RestliSyntaxError } from './errors.ts';

export const ACCOUNT_URN = 'urn:li:sponsoredAccount:';
export const CAMPAIGN_URN = 'urn:li:sponsoredCampaign:';
export const CAMPAIGN_GROUP_URN = 'urn:li:sponsoredCampaignGroup:';

/** Money as LinkedIn writes it: a decimal string in major units, 2 decimals (0 for zero-decimal currencies), more only when needed to be exact. */
export function amountText(micros: number, currency: string): string {
  return microsToDecimal(micros, minorUnitOffset(currency) === 1 ? 0 : 2);
}

/** A LocalDate as a Rest.li Date record. */
export function dateRecord(date: LocalDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export type RestliValue = string | RestliValue[] | { [key: string]: RestliValue };

/** The raw query (no leading `?`) as name → raw value; names are decoded, values are left as sent. */
export function rawQueryParams(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = decode(at < 0 ? part : part.slice(0, at));
    if (out.has(name)) throw new RestliSyntaxError(`parameter ${name} is given twice`);
    out.set(name, at < 0 ? '' : part.slice(at + 1));
  }
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new RestliSyntaxError(`bad percent-encoding in ${JSON.stringify(text)}`);
  }
}

const RESERVED = new Set(['(', ')', ',', ':']);

/** Parses one raw Rest.li 2.0 value; primitives come back decoded. */
export function parseRestli(raw: string): RestliValue {
  let at = 0;
  const fail = (why: string): never => {
    throw new RestliSyntaxError(`${why} at offset ${at} of ${JSON.stringify(raw)}`);
  };
  const expect = (c: string) => {
    if (raw[at] !== c) fail(`expected "${c}"`);
    at += 1;
  };
  const primitive = (): string => {
    const start = at;
    while (at < raw.length && !RESERVED.has(raw[at] ?? '')) at += 1;
    return decode(raw.slice(start, at));
  };
  const value = (): RestliValue => {
    if (raw.startsWith('List(', at)) {
      at += 5;
      const items: RestliValue[] = [];
      if (raw[at] === ')') {
        at += 1;
        return items;
      }
      for (;;) {
        items.push(value());
        if (raw[at] === ',') at += 1;
        else break;
      }
      expect(')');
      return items;
    }
    if (raw[at] === '(') {
      at += 1;
      const record: Record<string, RestliValue> = {};
      if (raw[at] === ')') {
        at += 1;
        return record;
      }
      for (;;) {
        const key = primitive();
        if (key === '') fail('expected a field name');
        expect(':');
        record[key] = value();
        if (raw[at] === ',') at += 1;
        else break;
      }
      expect(')');
      return record;
    }
    return primitive();
  };
  const result = value();
  if (at !== raw.length) fail('unexpected character');
  return result;
}

/** True for a parsed Rest.li object. */
export function isRestliObject(value: RestliValue | undefined): value is { [key: string]: RestliValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The opaque page token of an offset (what the fake sends in `metadata.nextPageToken`). */
export function pageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

/** The offset of a page token, or undefined when it is not one the fake issued. */
export function offsetOfToken(token: string): number | undefined {
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** True for a JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a PARTIAL_UPDATE route reads of its request. */
export interface PatchRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

/** The answer to an applied PARTIAL_UPDATE: a 204 without a body. */
export interface PatchAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
}

/** Refuses a POST on a `what` that is not `X-RestLi-Method: PARTIAL_UPDATE`. */
export function requirePartialUpdate(request: PatchRequest, what: 'campaign' | 'creative'): void {
  if ((request.headers['x-restli-method'] ?? '').toUpperCase() !== 'PARTIAL_UPDATE')
    throw new LinkedInApiError(400, `POST on a ${what} needs X-RestLi-Method: PARTIAL_UPDATE`, { code: 'METHOD_NOT_ALLOWED' });
}

/** The `$set` of a `{"patch":{"$set":{…}}}` body; a field outside `simulated` is a 422. */
export function patchSet(request: PatchRequest, simulated: readonly string[]): Record<string, unknown> {
  const body = request.body;
  const patch = isRecord(body) ? body.patch : undefined;
  const set = isRecord(patch) ? patch.$set : undefined;
  if (!isRecord(set) || Object.keys(patch as Record<string, unknown>).some((k) => k !== '$set'))
    throw new LinkedInApiError(400, 'The body must be {"patch":{"$set":{…}}}', { code: 'ILLEGAL_ARGUMENT' });
  const unknown = Object.keys(set).filter((k) => !simulated.includes(k));
  if (unknown.length > 0) throw new LinkedInApiError(422, `Fields not simulated: ${unknown.join(', ')}`, { code: 'FIELD_NOT_SUPPORTED' });
  return set;
}

/** The 204 of an applied PARTIAL_UPDATE. */
export function patched(): PatchAnswer {
  return { status: 204, headers: { 'x-restli-protocol-version': '2.0.0' }, text: '' };
}
