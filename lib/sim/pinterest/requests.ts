/**
 * Request readers and error rendering shared by the fake Pinterest API's routes: the `{code, message}` error,
 * JSON and batch PATCH bodies (1–30 items), id filters (≤250), `entity_statuses`, and bookmark paging.
 */
import type { PinterestRequest } from './api.ts';
import { bookmarkFor, offsetOf } from './wire.ts';

const MAX_PAGE_SIZE = 250;
const DEFAULT_PAGE_SIZE = 25;
const MAX_IDS = 250;
const MAX_PATCH_ITEMS = 30;
const ENTITY_STATUSES = new Set(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DRAFT', 'DELETED_DRAFT']);

/** A Pinterest error (rendered as `{code, message}` with this HTTP status). */
export class PinterestApiError extends Error {
  override readonly name = 'PinterestApiError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON body, or a 400 when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PinterestApiError(400, 1, 'The body is not valid JSON.');
  }
}

/** A batch PATCH item Pinterest refused. */
export function failure(code: number, message: string): unknown {
  return { data: null, exceptions: [{ code, message }] };
}

/** A batch PATCH body: an array of 1–30 objects, each with an `id`. */
export function patchBody(request: PinterestRequest): Record<string, unknown>[] {
  const body = parseJson(request.body);
  if (!Array.isArray(body) || body.length < 1 || body.length > MAX_PATCH_ITEMS) {
    throw new PinterestApiError(400, 1, `The body must be an array of 1 to ${MAX_PATCH_ITEMS} items.`);
  }
  if (!body.every((item) => isRecord(item) && typeof item.id === 'string')) throw new PinterestApiError(400, 1, 'Each item needs an id.');
  return body as Record<string, unknown>[];
}

/** A comma-separated id filter of at most 250 ids, or undefined when absent. */
export function idList(request: PinterestRequest, name: string): Set<string> | undefined {
  const raw = request.query[name];
  if (raw === undefined) return undefined;
  const ids = raw.split(',').filter((id) => id !== '');
  if (ids.length < 1 || ids.length > MAX_IDS) throw new PinterestApiError(400, 1, `${name}: between 1 and ${MAX_IDS} ids.`);
  return new Set(ids);
}

export function entityStatuses(request: PinterestRequest): Set<string> {
  const raw = request.query.entity_statuses;
  const statuses = raw === undefined ? ['ACTIVE', 'PAUSED'] : raw.split(',');
  if (!statuses.every((s) => ENTITY_STATUSES.has(s))) throw new PinterestApiError(400, 1, 'entity_statuses: invalid value.');
  return new Set(statuses);
}

/** One page of a list: `page_size` 1–250 (default 25) from the bookmark's offset. */
export function page(request: PinterestRequest, items: readonly unknown[]): unknown {
  const raw = request.query.page_size;
  const size = raw === undefined ? DEFAULT_PAGE_SIZE : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
    throw new PinterestApiError(400, 1, `page_size: between 1 and ${MAX_PAGE_SIZE}.`);
  const bookmark = request.query.bookmark;
  const offset = bookmark === undefined ? 0 : offsetOf(bookmark);
  if (offset === undefined) throw new PinterestApiError(400, 1, 'Invalid bookmark.');
  const end = offset + size;
  return { items: items.slice(offset, end), bookmark: end < items.length ? bookmarkFor(end) : null };
}
