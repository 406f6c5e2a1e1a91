/**
 * A thin typed `fetch` wrapper for the Meta Graph API: base URL + version, the token as the
 * `access_token` query parameter, a timeout per request, zod validation of every body, and errors
 * mapped to the typed platform errors. The token never appears in an error message or cause.
 *
 * @example
 *   const client = new MetaGraphClient({ baseUrl: 'https://graph.facebook.com', apiVersion: 'v25.0', accessToken, fetch, timeoutMs: 30_000 });
 *   const account = await client.get('/act_123', { fields: 'currency,timezone_name,name' }, MetaAccount);
 */
import type { z } from 'zod';
import type { MalformedResponseError } from '../errors.ts';
import { fetchAnswer, type HttpCaller, malformedError, parseWith } from '../http.ts';
import type { Fetch } from '../port.ts';
import { redactSecret } from '../redact.ts';
import { type MetaRequestKind, metaErrorFor } from './error-map.ts';
import { MetaConnectorConfigError } from './errors.ts';
import { MetaErrorBody } from './schemas.ts';
import { DEFAULT_USAGE_PAUSE_PCT, usagePauseMs } from './usage.ts';

export interface MetaClientOptions {
  /** Origin of the Graph API, e.g. https://graph.facebook.com (a path prefix is kept). */
  readonly baseUrl: string;
  /** "v25.0" (also accepted: "25.0", "v25", "25"). */
  readonly apiVersion: string;
  readonly accessToken: string;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
  /** Wait after a throttle whose headers give no time. */
  readonly defaultRetryAfterMs?: number;
  /** Pauses before a request when the previous answer's usage headers were high; injected so tests never wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Usage percentage (any of the usage headers) from which the next request waits (default 90). */
  readonly usagePausePct?: number;
  /** Longest such pause (default 2 min); past it, Meta's own throttle (a RateLimitedError) takes over. */
  readonly maxUsagePauseMs?: number;
}

/** "v25.0" from "v25.0", "25.0", "v25" or "25". */
export function normalizeApiVersion(version: string): string {
  const m = /^v?(\d+)(?:\.0)?$/.exec(version.trim());
  if (!m) throw new MetaConnectorConfigError(`Meta API version must look like v25.0, got ${JSON.stringify(version)}`);
  return `v${m[1]}.0`;
}

/** Typed access to the Graph API. */
export class MetaGraphClient {
  readonly apiVersion: string;
  private readonly base: URL;
  private readonly options: MetaClientOptions;
  private readonly caller: HttpCaller;
  /** Wait owed before the next request, from the last successful answer's usage headers. */
  private pendingPauseMs = 0;

  constructor(options: MetaClientOptions) {
    this.options = options;
    this.caller = {
      platform: 'meta',
      label: 'Meta',
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      clean: (text) => redactSecret(text, options.accessToken),
    };
    this.apiVersion = normalizeApiVersion(options.apiVersion);
    try {
      this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    } catch {
      throw new MetaConnectorConfigError(
        `Meta base URL is not a URL: ${JSON.stringify(redactSecret(options.baseUrl, options.accessToken))}`,
      );
    }
    if (options.accessToken === '') throw new MetaConnectorConfigError('Meta access token is empty');
  }

  /** `METHOD /v25.0/path`, as errors name an endpoint (never with a query string). */
  endpoint(method: string, path: string): string {
    return `${method} ${this.url(path).pathname}`;
  }

  /** GET `/{version}{path}` with query `params`, validated by `schema`. */
  get<S extends z.ZodType>(path: string, params: Readonly<Record<string, string>>, schema: S): Promise<z.infer<S>> {
    const url = this.url(path);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return this.send('GET', url, undefined, schema);
  }

  /**
   * GET a `paging.next` URL. It is re-based onto the configured base URL (path after the version, and
   * its query), so the token only ever goes to our own host, also behind a proxy whose `next` names Meta.
   */
  getUrl<S extends z.ZodType>(absoluteUrl: string, schema: S, endpointHint: string): Promise<z.infer<S>> {
    let next: URL;
    try {
      next = new URL(absoluteUrl);
    } catch {
      return Promise.reject(this.malformed(`Meta ${endpointHint}: paging.next is not a URL`, endpointHint, 'paging.next'));
    }
    const rest = /\/v\d+\.0\/(.+)$/.exec(next.pathname)?.[1];
    if (rest === undefined) {
      return Promise.reject(this.malformed(`Meta ${endpointHint}: paging.next has no /v{N}.0/ path`, endpointHint, 'paging.next'));
    }
    const url = this.url(rest);
    url.search = next.search;
    return this.send('GET', url, undefined, schema);
  }

  /** POST a JSON body to `/{version}{path}` (as Meta's Node SDK does), validated by `schema`. */
  post<S extends z.ZodType>(
    path: string,
    body: Readonly<Record<string, unknown>>,
    schema: S,
    kind: MetaRequestKind = {},
  ): Promise<z.infer<S>> {
    return this.send('POST', this.url(path), body, schema, kind);
  }

  private url(path: string): URL {
    return new URL(`${this.apiVersion}/${path.replace(/^\//, '')}`, this.base);
  }

  private async send<S extends z.ZodType>(
    method: string,
    url: URL,
    body: Readonly<Record<string, unknown>> | undefined,
    schema: S,
    kind: MetaRequestKind = {},
  ): Promise<z.infer<S>> {
    const endpoint = `${method} ${url.pathname}`;
    await this.pauseIfNearQuota();
    url.searchParams.set('access_token', this.options.accessToken);
    const answer = await fetchAnswer(
      this.caller,
      url,
      {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      endpoint,
    );
    const { response, json, parsedJson } = answer;
    const carriesError = parsedJson && MetaErrorBody.safeParse(json).success;
    if (!response.ok || carriesError) {
      throw metaErrorFor(
        { status: response.status, body: json, headers: response.headers },
        endpoint,
        this.options.defaultRetryAfterMs ?? 60_000,
        this.caller.clean,
        kind,
      );
    }
    // Only a successful answer sets the pause: a throttle error already carries its own wait (RateLimitedError).
    this.pendingPauseMs = usagePauseMs(response.headers, this.options.usagePausePct ?? DEFAULT_USAGE_PAUSE_PCT);
    if (!parsedJson)
      throw this.malformed(`Meta ${endpoint}: the body is not valid JSON (${answer.text.length} characters)`, endpoint, '(body)');
    return parseWith(this.caller, schema, json, endpoint, response.status);
  }

  /** Sleeps the pause the last answer's usage headers asked for, capped; it is owed once. */
  private async pauseIfNearQuota(): Promise<void> {
    const owed = this.pendingPauseMs;
    if (owed <= 0 || this.options.sleep === undefined) return;
    this.pendingPauseMs = 0;
    await this.options.sleep(Math.min(owed, this.options.maxUsagePauseMs ?? 120_000));
  }

  private malformed(message: string, endpoint: string, field: string): MalformedResponseError {
    return malformedError(this.caller, message, endpoint, field);
  }
}
