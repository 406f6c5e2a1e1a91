/**
 * What the Meta connector's parts share: the Graph client, the page size, retried calls, reading every page of an
 * edge, node writes, account nodes and the field names that malformed-row errors carry.
 */
import type { z } from 'zod';
import { MalformedResponseError } from '../errors.ts';
import { type RetryPolicy, withRetries } from '../retry.ts';
import type { MetaGraphClient } from './client.ts';
import type { MetaRequestKind } from './error-map.ts';
import { MetaSuccess } from './schemas.ts';

/** A guard against a server that keeps sending `paging.next` forever. */
const MAX_PAGES = 10_000;

/** A page of an edge as the schemas parse it: rows, and the next page's URL while there is one. */
export interface MetaPage<Row> {
  data: Row[];
  paging?: { next?: string | undefined } | undefined;
}

export interface MetaContext {
  readonly client: MetaGraphClient;
  readonly retry: RetryPolicy;
  /** `limit` asked per page. */
  readonly pageSize: number;
  /** Runs one request with the connector's retry policy. */
  call<T>(operation: () => Promise<T>): Promise<T>;
  /** Every page of an edge, following `paging.next` until it is absent (fewer rows than `limit` does not mean the end). */
  collect<Row>(path: string, params: Record<string, string>, schema: z.ZodType<MetaPage<Row>>): Promise<Row[][]>;
  /** A write to a node (`POST /{node}` with a JSON body answered `{"success": true}`), retried: it sets absolute values. */
  write(node: string, body: Readonly<Record<string, unknown>>, kind?: MetaRequestKind): Promise<void>;
}

/** "act_123" from "act_123" or "123". */
export function metaAccountNode(accountId: string): string {
  return accountId.startsWith('act_') ? accountId : `act_${accountId}`;
}

/** The name of field `name` of row `index` on page `page` (0-based), as malformed-row errors give it. */
export function rowField(page: number, index: number): (name: string) => string {
  return (name) => `data[${index}].${name}` + (page > 0 ? ` (page ${page + 1})` : '');
}

/** The context of one connector: its client and page size, with every call retried under `retry`. */
export function metaContext(client: MetaGraphClient, retry: RetryPolicy, pageSize: number): MetaContext {
  const call = <T>(operation: () => Promise<T>) => withRetries(operation, retry);
  return {
    client,
    retry,
    pageSize,
    call,
    async collect<Row>(path: string, params: Record<string, string>, schema: z.ZodType<MetaPage<Row>>): Promise<Row[][]> {
      const endpoint = client.endpoint('GET', path);
      let page = await call(() => client.get(path, params, schema));
      const pages: Row[][] = [page.data];
      for (let next = page.paging?.next; next !== undefined; next = page.paging?.next) {
        if (pages.length >= MAX_PAGES) {
          throw new MalformedResponseError(`Meta ${endpoint}: more than ${MAX_PAGES} pages`, { platform: 'meta', endpoint }, 'paging.next');
        }
        const url = next;
        page = await call(() => client.getUrl(url, schema, endpoint));
        pages.push(page.data);
      }
      return pages;
    },
    async write(node: string, body: Readonly<Record<string, unknown>>, kind: MetaRequestKind = {}): Promise<void> {
      await call(() => client.post(`/${node}`, body, MetaSuccess, kind));
    },
  };
}
