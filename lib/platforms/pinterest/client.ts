/**
 * A thin typed `fetch` wrapper for the Pinterest API v5: `/v5/<path>` with `Authorization: Bearer`, list
 * parameters comma-separated, a timeout per request, non-2xx answers mapped to typed errors, bodies validated by
 * zod. A 401 refreshes the access token once (when it can) and sends the request again; a token close to expiry
 * is refreshed before sending. Report downloads go to a pre-signed URL WITHOUT the bearer token.
 *
 * @example
 *   const client = new PinterestClient({ baseUrl: 'https://api.pinterest.com', credentials, clock, fetch, timeoutMs: 60_000 });
 *   const account = await client.get('ad_accounts/549755885175', {}, AdAccount);
 */
import type { z } from 'zod';
import type { Clock } from '../../runtime/clock.ts';
import { fetchAnswer, type HttpCaller, malformedError, notJsonError, parseWith } from '../http.ts';
import type { Fetch } from '../port.ts';
import type { PinterestCredentials, TokenStore } from './credentials.ts';
import { pinterestErrorFor } from './error-map.ts';
import { PinterestConnectorConfigError } from './errors.ts';
import { PinterestTokens, SecretSet } from './oauth.ts';
import { ErrorBody } from './schemas.ts';

export const PINTEREST_API_PREFIX = 'v5';

export interface PinterestClientOptions {
  /** Origin, e.g. https://api.pinterest.com (a trailing /v5 is accepted; another path prefix is kept). */
  readonly baseUrl: string;
  readonly credentials: PinterestCredentials;
  readonly tokenStore?: TokenStore;
  readonly clock: Clock;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
  /** Wait after a 429 without a readable X-RateLimit-Reset. */
  readonly defaultRetryAfterMs: number;
}

/** Query values: lists are sent comma-separated (`explode: false`). */
export type QueryValue = string | number | boolean | readonly string[];

type Method = 'GET' | 'POST' | 'PATCH';

/** Typed access to the Pinterest API v5. */
export class PinterestClient {
  private readonly base: URL;
  private readonly options: PinterestClientOptions;
  private readonly caller: HttpCaller;
  private readonly tokens: PinterestTokens;

  constructor(options: PinterestClientOptions) {
    this.options = options;
    if (options.credentials.accessToken === '') throw new PinterestConnectorConfigError('Pinterest access token is empty');
    const secrets = new SecretSet();
    const clean = (text: string) => secrets.clean(text);
    this.caller = { platform: 'pinterest', label: 'Pinterest', fetch: options.fetch, timeoutMs: options.timeoutMs, clean };
    try {
      const origin = options.baseUrl.replace(/\/+$/, '').replace(/\/v5$/, '');
      this.base = new URL(`${origin}/`);
    } catch {
      throw new PinterestConnectorConfigError(`Pinterest base URL is not a URL: ${JSON.stringify(clean(options.baseUrl))}`);
    }
    this.tokens = new PinterestTokens({
      credentials: options.credentials,
      ...(options.tokenStore === undefined ? {} : { tokenStore: options.tokenStore }),
      clock: options.clock,
      tokenUrl: this.url('oauth/token'),
      caller: this.caller,
      secrets,
      defaultRetryAfterMs: options.defaultRetryAfterMs,
    });
  }

  /** `GET /v5/ad_accounts/{id}/ad_groups`, as errors name an endpoint (ids replaced by `{id}`). */
  endpoint(method: Method, path: string): string {
    return `${method} ${this.url(path).pathname.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
  }

  /** Text with every known secret redacted. */
  clean(text: string): string {
    return this.caller.clean(text);
  }

  /** GET `path` with query `params`, the body validated by `schema`. */
  get<S extends z.ZodType>(path: string, params: Readonly<Record<string, QueryValue | undefined>>, schema: S): Promise<z.infer<S>> {
    const url = this.url(path);
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return this.send('GET', url, undefined, schema, this.endpoint('GET', path));
  }

  /** PATCH a JSON body (an array for the batch endpoints) to `path`. */
  patch<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    return this.send('PATCH', this.url(path), body, schema, this.endpoint('PATCH', path));
  }

  /** POST a JSON body to `path`. */
  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    return this.send('POST', this.url(path), body, schema, this.endpoint('POST', path));
  }

  /** GET a pre-signed report URL without any credentials (it is a storage host, not the API). */
  async download<S extends z.ZodType>(location: string, schema: S): Promise<z.infer<S>> {
    const endpoint = 'GET (report download)';
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw malformedError(this.caller, `Pinterest ${endpoint}: the report url is not a URL`, endpoint, 'url', 200);
    }
    const answer = await fetchAnswer(this.caller, url, { method: 'GET', headers: { accept: 'application/json' } }, endpoint);
    const { response, json, parsedJson } = answer;
    if (!response.ok) throw this.failure(response, undefined, endpoint);
    if (!parsedJson) throw notJsonError(this.caller, answer, endpoint);
    return parseWith(this.caller, schema, json, endpoint, response.status);
  }

  private url(path: string): URL {
    return new URL(`${PINTEREST_API_PREFIX}/${path.replace(/^\/|\/$/g, '')}`, this.base);
  }

  private async send<S extends z.ZodType>(method: Method, url: URL, body: unknown, schema: S, endpoint: string): Promise<z.infer<S>> {
    await this.tokens.ensureFresh();
    for (let refreshed = false; ; refreshed = true) {
      const token = this.tokens.accessToken;
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const answer = await fetchAnswer(
        this.caller,
        url,
        { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
        endpoint,
      );
      const { response, json, parsedJson } = answer;
      if (response.status === 401 && !refreshed && this.tokens.canRefresh) {
        await this.tokens.refresh(token);
        continue;
      }
      if (!response.ok) throw this.failure(response, parsedJson ? json : undefined, endpoint);
      if (!parsedJson) throw notJsonError(this.caller, answer, endpoint);
      return parseWith(this.caller, schema, json, endpoint, response.status);
    }
  }

  private failure(response: Response, json: unknown, endpoint: string) {
    const error = ErrorBody.safeParse(json);
    return pinterestErrorFor(
      {
        status: response.status,
        rateLimitReset: response.headers.get('x-ratelimit-reset'),
        ...(error.success ? { code: error.data.code, ...(error.data.message === undefined ? {} : { message: error.data.message }) } : {}),
      },
      endpoint,
      { nowMs: this.options.clock.now().getTime(), defaultRetryAfterMs: this.options.defaultRetryAfterMs },
      this.caller.clean,
    );
  }
}
