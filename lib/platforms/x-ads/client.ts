/**
 * A thin typed `fetch` wrapper for the X Ads API: `/<version>/<path>` with every request signed by OAuth 1.0a
 * (oauth1.ts), parameters sent in the query string RFC 3986-encoded exactly as they are signed (write
 * parameters too, as X documents), non-2xx answers mapped to typed errors, and every body validated by zod.
 * No secret reaches an error: messages and causes are cleaned of all four.
 *
 * @example
 *   const client = new XAdsClient({ baseUrl: 'https://ads-api.x.com', apiVersion: '12', credentials, fetch, timeoutMs: 60_000,
 *     clock: systemClock, nonce: randomNonce });
 *   const account = await client.request('GET', 'accounts/18ce54d4x5t', {}, single(Account));
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { z } from 'zod';
import type { Clock } from '../../runtime/clock.ts';
import { fetchAnswer, type HttpCaller, malformedError, networkError, notJsonError, parseWith } from '../http.ts';
import type { Fetch } from '../port.ts';
import { redactSecret } from '../redact.ts';
import { xAdsErrorFor } from './error-map.ts';
import { XAdsConnectorConfigError } from './errors.ts';
import { authorizationHeader, type OAuth1Credentials, percentEncode } from './oauth1.ts';
import { ErrorBody } from './schemas.ts';

export interface XAdsClientOptions {
  /** Origin, e.g. https://ads-api.x.com (a path prefix is kept). */
  readonly baseUrl: string;
  /** First path segment, e.g. "12". */
  readonly apiVersion: string;
  readonly credentials: OAuth1Credentials;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
  /** Source of `oauth_timestamp` and of "now" for rate-limit resets. */
  readonly clock: Clock;
  /** A fresh `oauth_nonce` per request. */
  readonly nonce: () => string;
}

export type XAdsMethod = 'GET' | 'POST' | 'PUT';
/** Query values: lists are joined with `,` (then encoded as `%2C`). */
export type XAdsParams = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** 32 random hex characters: a nonce X will not have seen. */
export function randomNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Typed, signed access to the X Ads API. */
export class XAdsClient {
  private readonly base: URL;
  private readonly options: XAdsClientOptions;
  private readonly caller: HttpCaller;

  constructor(options: XAdsClientOptions) {
    this.options = options;
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = options.credentials;
    for (const [name, value] of Object.entries({ consumerKey, consumerSecret, accessToken, accessTokenSecret })) {
      if (value === '') throw new XAdsConnectorConfigError(`X Ads credential ${name} is empty`);
    }
    const secrets = [consumerKey, consumerSecret, accessToken, accessTokenSecret];
    const clean = (text: string) => secrets.reduce((out, secret) => redactSecret(out, secret), text);
    this.caller = { platform: 'x-ads', label: 'X Ads', fetch: options.fetch, timeoutMs: options.timeoutMs, clean };
    if (!/^\d+$/.test(options.apiVersion))
      throw new XAdsConnectorConfigError(`X Ads API version must be a number, got ${JSON.stringify(options.apiVersion)}`);
    try {
      this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    } catch {
      throw new XAdsConnectorConfigError(`X Ads base URL is not a URL: ${JSON.stringify(clean(options.baseUrl))}`);
    }
  }

  /** Redacts every credential from a text. */
  clean(text: string): string {
    return this.caller.clean(text);
  }

  /** `GET /12/accounts/18ce54d4x5t/line_items`, as errors name an endpoint. */
  endpoint(method: XAdsMethod, path: string): string {
    return `${method} ${this.url(path).pathname}`;
  }

  /** Sends a signed request with `params` in the query string; the JSON answer validated by `schema`. */
  async request<S extends z.ZodType>(method: XAdsMethod, path: string, params: XAdsParams, schema: S): Promise<z.infer<S>> {
    const url = this.url(path);
    url.search = Object.entries(params)
      .map(([key, value]) => `${percentEncode(key)}=${percentEncode(Array.isArray(value) ? value.join(',') : String(value))}`)
      .join('&');
    const endpoint = `${method} ${url.pathname}`;
    const stamp = { nonce: this.options.nonce(), timestamp: Math.floor(this.options.clock.now().getTime() / 1000) };
    const headers = { accept: 'application/json', authorization: authorizationHeader({ method, url }, this.options.credentials, stamp) };
    const answer = await fetchAnswer(this.caller, url, { method, headers }, endpoint);
    const { response, json, parsedJson } = answer;
    if (!response.ok) {
      const body = parsedJson ? ErrorBody.safeParse(json) : undefined;
      const errors = body?.success ? body.data.errors : [];
      throw xAdsErrorFor(
        {
          status: response.status,
          headers: response.headers,
          codes: errors.map((e) => e.code),
          ...(errors[0]?.message === undefined ? {} : { message: errors[0].message }),
        },
        endpoint,
        this.options.clock.now().getTime(),
        this.caller.clean,
      );
    }
    if (!parsedJson) throw notJsonError(this.caller, answer, endpoint);
    return parseWith(this.caller, schema, json, endpoint, response.status);
  }

  /**
   * Downloads an async job's result (a gzip file on X's CDN) and returns the decompressed JSON validated by
   * `schema`. The URL is not signed: it is a pre-authorized CDN link [U], and it is no X Ads endpoint.
   */
  async download<S extends z.ZodType>(location: string, schema: S): Promise<z.infer<S>> {
    const endpoint = 'GET (stats job download)';
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw malformedError(this.caller, `X Ads ${endpoint}: job url is not a URL`, endpoint, 'data.url');
    }
    let response: Response;
    let bytes: Buffer;
    try {
      response = await this.caller.fetch(url, { method: 'GET', signal: AbortSignal.timeout(this.caller.timeoutMs) });
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw networkError(this.caller, error, endpoint);
    }
    if (!response.ok) {
      throw xAdsErrorFor(
        { status: response.status, headers: response.headers, codes: [] },
        endpoint,
        this.options.clock.now().getTime(),
        this.caller.clean,
      );
    }
    let text: string;
    try {
      text = gunzipSync(bytes).toString('utf8');
    } catch (error) {
      throw malformedError(
        this.caller,
        `X Ads ${endpoint}: the job file is not gzip (${bytes.length} bytes: ${error instanceof Error ? error.message : String(error)})`,
        endpoint,
        '(body)',
        response.status,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw malformedError(
        this.caller,
        `X Ads ${endpoint}: the job file is not valid JSON (${text.length} characters)`,
        endpoint,
        '(body)',
        response.status,
      );
    }
    return parseWith(this.caller, schema, json, endpoint, response.status);
  }

  private url(path: string): URL {
    return new URL(`${this.options.apiVersion}/${path.replace(/^\/|\/$/g, '')}`, this.base);
  }
}
