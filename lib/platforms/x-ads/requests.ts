/**
 * The request plumbing the X Ads connector and its stats reader share: retried calls, cursor-paged collections
 * (`count` + `cursor` → `next_cursor`, a repeated cursor refused) and MalformedResponseErrors cleaned of secrets.
 */
import type { z } from 'zod';
import { MalformedResponseError } from '../errors.ts';
import { type RetryPolicy, withRetries } from '../retry.ts';
import type { XAdsClient, XAdsParams } from './client.ts';
import { page } from './schemas.ts';

/** A client with its retry policy and page size. */
export class XAdsRequests {
  constructor(
    readonly client: XAdsClient,
    readonly retry: RetryPolicy,
    private readonly pageSize: number,
  ) {}

  /** Runs `operation` under the retry policy. */
  call<T>(operation: () => Promise<T>): Promise<T> {
    return withRetries(operation, this.retry);
  }

  /** Every page of a cursor-paged collection (`count` + `cursor` → `next_cursor`), each row converted inside its retried request. */
  async pages<Row, Out>(path: string, params: XAdsParams, row: z.ZodType<Row>, convert: (row: Row, path: string) => Out): Promise<Out[]> {
    const endpoint = this.client.endpoint('GET', path);
    const schema = page(row);
    const out: Out[] = [];
    const cursors = new Set<string>();
    let cursor: string | undefined;
    for (let number = 1; ; number++) {
      const query: XAdsParams = { ...params, count: this.pageSize, ...(cursor === undefined ? {} : { cursor }) };
      const answer = await this.call(() => this.client.request('GET', path, query, schema));
      if (answer.data.length > this.pageSize) {
        throw this.malformed(endpoint, 'data', `holds ${answer.data.length} rows, more than count ${this.pageSize} (page ${number})`);
      }
      answer.data.forEach((r, i) => {
        out.push(convert(r as Row, `data[${i}] (page ${number})`));
      });
      const next = answer.next_cursor ?? null;
      if (next === null) return out;
      if (cursors.has(next)) throw this.malformed(endpoint, 'next_cursor', `repeats ${next} (page ${number})`);
      cursors.add(next);
      cursor = next;
    }
  }

  /** A MalformedResponseError naming `field` of an HTTP 200 answer. */
  malformed(endpoint: string, field: string, why: string, cause?: unknown): MalformedResponseError {
    return new MalformedResponseError(
      this.client.clean(`X Ads ${endpoint}: ${field} ${why}`),
      { platform: 'x-ads', endpoint, status: 200, ...(cause === undefined ? {} : { cause }) },
      field,
    );
  }
}
