/** What the LinkedIn connector's parts share: the client, the finder page size, the analytics limits, retried calls and malformed-field errors. */
import { MalformedResponseError } from '../errors.ts';
import { type RetryPolicy, withRetries } from '../retry.ts';
import type { LinkedInClient } from './client.ts';
import type { SliceLimits } from './slices.ts';

export interface LinkedInContext {
  readonly client: LinkedInClient;
  /** Elements per finder page (1..1000). */
  readonly pageSize: number;
  /** The analytics cap and the campaigns (or creatives) named per request that slicing respects. */
  readonly limits: SliceLimits;
  /** Runs one request (or request + conversion) with the connector's retry policy. */
  call<T>(operation: () => Promise<T>): Promise<T>;
  /** Runs `read`; a throw becomes a MalformedResponseError naming `field`. */
  convert<T>(read: () => T, endpoint: string, field: string): T;
  /** A MalformedResponseError naming `field` of `endpoint`. */
  malformed(endpoint: string, field: string, why: string, cause?: unknown): MalformedResponseError;
}

/** The context of one connector: its client, page size and limits, with `call` retrying under `retry`. */
export function linkedInContext(client: LinkedInClient, retry: RetryPolicy, pageSize: number, limits: SliceLimits): LinkedInContext {
  const malformed = (endpoint: string, field: string, why: string, cause?: unknown) =>
    new MalformedResponseError(
      `LinkedIn ${endpoint}: ${field} ${why}`,
      { platform: 'linkedin', endpoint, status: 200, ...(cause === undefined ? {} : { cause }) },
      field,
    );
  return {
    client,
    pageSize,
    limits,
    call: (operation) => withRetries(operation, retry),
    convert: (read, endpoint, field) => {
      try {
        return read();
      } catch (error) {
        throw malformed(endpoint, field, `cannot be read exactly: ${error instanceof Error ? error.message : String(error)}`, error);
      }
    },
    malformed,
  };
}
