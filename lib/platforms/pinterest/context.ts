/** What the Pinterest connector's parts share: the client, retried calls and malformed-field errors. */
import type { MalformedResponseError } from '../errors.ts';
import type { PinterestClient } from './client.ts';

export interface PinterestContext {
  readonly client: PinterestClient;
  /** Runs one request (or request + conversion) with the connector's retry policy. */
  call<T>(operation: () => Promise<T>): Promise<T>;
  /** A MalformedResponseError naming `field` of `endpoint`. */
  malformed(endpoint: string, field: string, why: string, cause?: unknown): MalformedResponseError;
  /** Runs `read`; a throw becomes a MalformedResponseError naming `field`. */
  convert<T>(read: () => T, endpoint: string, field: string): T;
}

/** Attribution settings of every metrics request. */
export interface AttributionWindows {
  /** `click_window_days`: 0, 1, 7, 14, 30 or 60; conversions on a date change for this many days. */
  readonly clickWindowDays: number;
  /** `view_window_days`: 0, 1, 7, 14, 30 or 60. */
  readonly viewWindowDays: number;
}
