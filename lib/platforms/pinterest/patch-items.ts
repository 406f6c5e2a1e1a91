/**
 * The items of a batch PATCH answer (../shared/PLATFORM_APIS.md §7.2.4): `{"items":[{"data":…,"exceptions":[…]}]}`,
 * one per item sent, in order. An item with exceptions (or without data) was not applied; the others were.
 * Budget and status writes read their answers with the same rule.
 */
import type { PinterestContext } from './context.ts';

/** One element of a batch PATCH answer. */
export interface PatchItem {
  readonly data?: { readonly id: string } | null | undefined;
  readonly exceptions?: readonly { readonly code?: number | undefined; readonly message?: string | undefined }[] | null | undefined;
}

/** Why Pinterest refused an item. */
export interface ItemRefusal {
  readonly why: string;
  /** The first exception's code. */
  readonly code?: number;
}

/**
 * Why item `index` (sent for entity `sentId`) was not applied: its first exception, or "no data"; undefined when it
 * was applied. Data naming another entity is a MalformedResponseError: the answers are in the order sent.
 */
export function itemRefusal(
  ctx: PinterestContext,
  endpoint: string,
  index: number,
  sentId: string,
  item: PatchItem | undefined,
): ItemRefusal | undefined {
  const exception = item?.exceptions?.[0];
  if (item?.data && !exception) {
    if (item.data.id !== sentId) throw ctx.malformed(endpoint, `items[${index}].data.id`, `is ${item.data.id}, sent ${sentId}`);
    return undefined;
  }
  if (!exception) return { why: 'no data and no exception' };
  return {
    why: `code ${exception.code ?? '?'}${exception.message ? ` (${exception.message})` : ''}`,
    ...(exception.code === undefined ? {} : { code: exception.code }),
  };
}
