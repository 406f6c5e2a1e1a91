/** Cursor paging of the fake Graph API's list edges: `limit`, `after`, and the `paging` object Graph answers with. */
import type { GraphRequest } from './api.ts';
import { invalidParam, stringParam } from './fields.ts';
import { decodeCursor, encodeCursor } from './wire.ts';

const DEFAULT_LIMIT = 25;

/**
 * Cursor paging over `items` (only the served page is rendered): `paging.cursors.{before,after}`, `paging.next` only when more follow.
 * A page holds at most `pageSize` rows, whatever `limit` asks.
 */
export function page<T>(
  items: readonly T[],
  request: GraphRequest,
  pageSize: number | undefined,
  render: (item: T) => Record<string, unknown>,
): Record<string, unknown> {
  const limitRaw = stringParam(request.params, 'limit');
  const limit = limitRaw === undefined ? DEFAULT_LIMIT : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1) throw invalidParam('Invalid parameter: limit must be a positive integer');
  const size = Math.min(limit, pageSize ?? Number.POSITIVE_INFINITY);
  const after = stringParam(request.params, 'after');
  let start = 0;
  if (after !== undefined) {
    const position = decodeCursor(after);
    if (position === undefined) throw invalidParam('Invalid parameter: after is not a valid cursor');
    start = position + 1;
  }
  const data = items.slice(start, start + size).map(render);
  if (data.length === 0) return { data: [] };
  const last = start + data.length - 1;
  const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(last) } };
  if (last + 1 < items.length) {
    const next = new URL(request.url.toString());
    next.searchParams.delete('before');
    next.searchParams.set('limit', String(limit));
    next.searchParams.set('after', encodeCursor(last));
    paging.next = next.toString();
  }
  if (start > 0) {
    const previous = new URL(request.url.toString());
    previous.searchParams.delete('after');
    previous.searchParams.set('before', encodeCursor(start));
    paging.previous = previous.toString();
  }
  return { data, paging };
}
