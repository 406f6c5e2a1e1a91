/**
 * The plumbing every platform client shares: one `fetch` with a timeout that turns network failures into
 * TransientPlatformError, JSON parsing that remembers whether it worked, and zod validation that names the
 * first bad field in a MalformedResponseError. Messages pass through the client's `clean` (secret redaction).
 */
import type { z } from 'zod';
import type { Platform } from '../model/ads.ts';
import { MalformedResponseError, TransientPlatformError } from './errors.ts';
import type { Fetch } from './port.ts';
import { sanitizedCause } from './redact.ts';

/** Who is calling, for error messages: `${label} ${endpoint}: …`. */
export interface HttpCaller {
  readonly platform: Platform;
  /** Human name used in messages, e.g. "Google Ads". */
  readonly label: string;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
  /** Redacts every secret from a text that may end up in an error. */
  readonly clean: (text: string) => string;
}

/** A received answer: its status, headers, raw text, and the parsed JSON when the text was JSON. */
export interface HttpAnswer {
  readonly response: Response;
  readonly text: string;
  readonly parsedJson: boolean;
  readonly json: unknown;
}

/** Formats a zod issue path as `data[3].spend`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(body)' : out;
}

/** Sends one request with the caller's timeout; a network failure or timeout becomes a TransientPlatformError. */
export async function fetchAnswer(caller: HttpCaller, url: URL, init: RequestInit, endpoint: string): Promise<HttpAnswer> {
  let response: Response;
  let text: string;
  try {
    response = await caller.fetch(url, { ...init, signal: AbortSignal.timeout(caller.timeoutMs) });
    text = await response.text();
  } catch (error) {
    throw networkError(caller, error, endpoint);
  }
  try {
    return { response, text, parsedJson: true, json: JSON.parse(text) };
  } catch {
    return { response, text, parsedJson: false, json: undefined };
  }
}

/** The TransientPlatformError of a failed fetch: a timeout, or a network error with a sanitized cause. */
export function networkError(caller: HttpCaller, error: unknown, endpoint: string): TransientPlatformError {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  const message = timedOut
    ? `${caller.label} ${endpoint}: no answer within ${caller.timeoutMs} ms`
    : `${caller.label} ${endpoint}: network error (${error instanceof Error ? error.message : String(error)})`;
  return new TransientPlatformError(caller.clean(message), {
    platform: caller.platform,
    endpoint,
    cause: sanitizedCause(error, caller.clean),
  });
}

/** A MalformedResponseError naming `field`, its message cleaned of secrets. */
export function malformedError(
  caller: HttpCaller,
  message: string,
  endpoint: string,
  field: string,
  status?: number,
): MalformedResponseError {
  return new MalformedResponseError(
    caller.clean(message),
    { platform: caller.platform, endpoint, ...(status === undefined ? {} : { status }) },
    field,
  );
}

/** Validates `json` with `schema`; a mismatch is a MalformedResponseError naming the first bad field. */
export function parseWith<S extends z.ZodType>(caller: HttpCaller, schema: S, json: unknown, endpoint: string, status: number): z.infer<S> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = formatPath(issue?.path ?? []);
  const more = result.error.issues.length > 1 ? ` and ${result.error.issues.length - 1} more issue(s)` : '';
  throw malformedError(
    caller,
    `${caller.label} ${endpoint}: unexpected value at ${field}: ${issue?.message ?? 'invalid'}${more}`,
    endpoint,
    field,
    status,
  );
}

/** The MalformedResponseError of a body that is not JSON. */
export function notJsonError(caller: HttpCaller, answer: HttpAnswer, endpoint: string): MalformedResponseError {
  return malformedError(
    caller,
    `${caller.label} ${endpoint}: the body is not valid JSON (${answer.text.length} characters)`,
    endpoint,
    '(body)',
    answer.response.status,
  );
}
