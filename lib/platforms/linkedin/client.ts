/**
 * A thin typed `fetch` wrapper for the LinkedIn Marketing API under `/rest/`: the bearer token, the monthly
 * `LinkedIn-Version` header and `X-Restli-Protocol-Version: 2.0.0` on every request, Rest.li-encoded query
 * strings passed through untouched, a timeout per request, errors mapped to typed errors and bodies validated by zod.
 *
 * @example
 *   const client = new LinkedInClient({ baseUrl: 'https://api.linkedin.com', accessToken, version: '202601', fetch, timeoutMs: 60_000 });
 *   const account = await client.get('adAccounts/512345678', [], AdAccountEntity);
 */
import type { z } from 'zod';
import type { Clock } from '../../runtime/clock.ts';
import { fetchAnswer, type HttpCaller, notJsonError, parseWith } from '../http.ts';
import type { Fetch } from '../port.ts';
import { redactSecret } from '../redact.ts';
import { linkedinErrorFor } from './error-map.ts';
import { LinkedInConnectorConfigError } from './errors.ts';
import { queryString } from './restli.ts';

export const LINKEDIN_API_PREFIX = 'rest';

export interface LinkedInClientOptions {
  /** Origin, e.g. https://api.linkedin.com (a path prefix is kept; `/rest/` is appended). */
  readonly baseUrl: string;
  readonly accessToken: string;
  /** YYYYMM, sent as `LinkedIn-Version`. */
  readonly version: string;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
  /** Wait after a throttle that names no daily limit and no Retry-After. */
  readonly defaultRetryAfterMs: number;
  /** Source of "now" for the time left until LinkedIn's daily limits reset. */
  readonly clock: Clock;
}

/** Query pairs whose values are already Rest.li 2.0 encoded (see restli.ts). */
export type RestliQuery = readonly (readonly [string, string])[];

/** Typed access to the LinkedIn Marketing API. */
export class LinkedInClient {
  private readonly base: URL;
  private readonly options: LinkedInClientOptions;
  private readonly caller: HttpCaller;

  constructor(options: LinkedInClientOptions) {
    this.options = options;
    if (options.accessToken === '') throw new LinkedInConnectorConfigError('LinkedIn access token is empty');
    if (!/^\d{4}(0[1-9]|1[0-2])$/.test(options.version))
      throw new LinkedInConnectorConfigError(`LinkedIn version must be YYYYMM, got ${JSON.stringify(options.version)}`);
    const clean = (text: string) => redactSecret(text, options.accessToken);
    this.caller = { platform: 'linkedin', label: 'LinkedIn', fetch: options.fetch, timeoutMs: options.timeoutMs, clean };
    try {
      this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    } catch {
      throw new LinkedInConnectorConfigError(`LinkedIn base URL is not a URL: ${JSON.stringify(clean(options.baseUrl))}`);
    }
  }

  /** `GET /rest/adAnalytics`, as errors name an endpoint. */
  endpoint(method: 'GET' | 'POST', path: string): string {
    return `${method} ${this.url(path).pathname}`;
  }

  /** GET `path` with a Rest.li query; the body validated by `schema`. */
  async get<S extends z.ZodType>(path: string, query: RestliQuery, schema: S): Promise<z.infer<S>> {
    const url = this.url(path);
    if (query.length > 0) url.search = `?${queryString(query)}`;
    const endpoint = `GET ${url.pathname}`;
    const answer = await fetchAnswer(this.caller, url, { method: 'GET', headers: this.headers() }, endpoint);
    this.throwIfFailed(answer.response, answer.json, endpoint);
    if (!answer.parsedJson) throw notJsonError(this.caller, answer, endpoint);
    return parseWith(this.caller, schema, answer.json, endpoint, answer.response.status);
  }

  /** A Rest.li PARTIAL_UPDATE: POST `{"patch":{"$set":…}}` with `X-RestLi-Method: PARTIAL_UPDATE` (success is a 2xx, 204 [U]). */
  async partialUpdate(path: string, set: Readonly<Record<string, unknown>>): Promise<void> {
    const url = this.url(path);
    const endpoint = `POST ${url.pathname}`;
    const headers = { ...this.headers(), 'content-type': 'application/json', 'X-RestLi-Method': 'PARTIAL_UPDATE' };
    const body = JSON.stringify({ patch: { $set: set } });
    const answer = await fetchAnswer(this.caller, url, { method: 'POST', headers, body }, endpoint);
    this.throwIfFailed(answer.response, answer.json, endpoint);
  }

  private headers(): Record<string, string> {
    return {
      accept: 'application/json',
      authorization: `Bearer ${this.options.accessToken}`,
      'LinkedIn-Version': this.options.version,
      'X-Restli-Protocol-Version': '2.0.0',
    };
  }

  private throwIfFailed(response: Response, json: unknown, endpoint: string): void {
    if (response.ok) return;
    throw linkedinErrorFor({ status: response.status, body: json, retryAfter: response.headers.get('retry-after') }, endpoint, {
      defaultRetryAfterMs: this.options.defaultRetryAfterMs,
      now: this.options.clock.now(),
      clean: this.caller.clean,
    });
  }

  private url(path: string): URL {
    return new URL(`${LINKEDIN_API_PREFIX}/${path.replace(/^\/|\/$/g, '')}`, this.base);
  }
}
