/**
 * Reading a LinkedIn finder whole: `q=search` / `q=criteria` answers come in `pageToken` pages of at most
 * `pageSize` elements, the next token in `metadata.nextPageToken` while more follow.
 */
import type { z } from 'zod';
import type { RestliQuery } from './client.ts';
import type { LinkedInContext } from './context.ts';
import { restliStatusSearch, restliValue } from './restli.ts';
import { searchPage } from './schemas.ts';

export interface Located<T> {
  readonly value: T;
  /** Where the value was in its answer, for error messages: `elements[3] (page 2)`. */
  readonly path: string;
}

/** Every page of a finder (`criteria`: q and its parameters), following `metadata.nextPageToken`; each page fetched in its own retried request. */
export async function search<T>(ctx: LinkedInContext, path: string, element: z.ZodType<T>, criteria: RestliQuery): Promise<Located<T>[]> {
  const endpoint = ctx.client.endpoint('GET', path);
  const schema = searchPage(element);
  const out: Located<T>[] = [];
  const tokens = new Set<string>();
  let token: string | undefined;
  for (let number = 1; ; number++) {
    const query: (readonly [string, string])[] = [...criteria, ['pageSize', String(ctx.pageSize)]];
    if (token !== undefined) query.push(['pageToken', restliValue(token)]);
    const page = await ctx.call(() => ctx.client.get(path, query, schema));
    if (page.elements.length > ctx.pageSize)
      throw ctx.malformed(endpoint, 'elements', `holds ${page.elements.length} elements, more than pageSize ${ctx.pageSize}`);
    out.push(...page.elements.map((value, i) => ({ value: value as T, path: `elements[${i}] (page ${number})` })));
    token = page.metadata?.nextPageToken;
    if (token === undefined) return out;
    if (tokens.has(token)) throw ctx.malformed(endpoint, 'metadata.nextPageToken', `repeats an earlier token (page ${number})`);
    tokens.add(token);
  }
}

/** The `q=search` criteria of a finder on statuses. */
export function statusCriteria(statuses: readonly string[]): RestliQuery {
  return [
    ['q', 'search'],
    ['search', restliStatusSearch(statuses)],
  ];
}
