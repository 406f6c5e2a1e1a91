/**
 * Reading Rest.li 2.0 query values the way LinkedIn's servers do (`X-Restli-Protocol-Version: 2.0.0`): objects
 * `(key:value,…)`, lists `List(a,b)`, and primitives that are percent-encoded, so a reserved character inside a
 * value (the colons of a URN) must arrive as `%3A`. Also the raw query split that keeps those encodings intact.
 */
import { RestliSyntaxError } from './errors.ts';

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
