/**
 * A thin typed `fetch` wrapper for the TikTok API for Business: `/open_api/v1.3/<path>/` with the
 * `Access-Token` header, array parameters JSON-encoded in the query, a timeout per request, the envelope's
 * `code` mapped to typed errors (errors arrive as HTTP 200), and `data` validated by zod.
 *
 * @example
 *   const client = new TikTokClient({ baseUrl: 'https://business-api.tiktok.com', accessToken, fetch, timeoutMs: 60_000 });
 *   const info = await client.get('advertiser/info', { advertiser_ids: ['7000000000000000001'] }, AdvertiserInfo);
 */
import { z } from 'zod';
import { fetchAnswer, type HttpCaller, notJsonError, parseWith } from '../http.ts';
import type { Fetch } from '../port.ts';
import { redactSecret } from '../redact.ts';
import { tiktokErrorFor } from './error-map.ts';
import { TikTokConnectorConfigError } from './errors.ts';
import { Envelope } from './schemas.ts';

export const TIKTOK_API_PREFIX = 'open_api/v1.3';

export interface TikTokClientOptions {
  /** Origin, e.g. https://business-api.tiktok.com (a path prefix is kept). */
  readonly baseUrl: string;
  readonly accessToken: string;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
  /** Wait after a throttle (TikTok names none). */
  readonly defaultRetryAfterMs?: number;
}

/** Query parameter values: arrays and objects are JSON-encoded, as TikTok expects. */
export type QueryValue = string | number | boolean | readonly unknown[] | Readonly<Record<string, unknown>>;

/** Typed access to the TikTok API for Business v1.3. */
export class TikTokClient {
  private readonly base: URL;
  private readonly options: TikTokClientOptions;
  private readonly caller: HttpCaller;

  constructor(options: TikTokClientOptions) {
    this.options = options;
    if (options.accessToken === '') throw new TikTokConnectorConfigError('TikTok access token is empty');
    const clean = (text: string) => redactSecret(text, options.accessToken);
    this.caller = { platform: 'tiktok', label: 'TikTok', fetch: options.fetch, timeoutMs: options.timeoutMs, clean };
    try {
      this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    } catch {
      throw new TikTokConnectorConfigError(`TikTok base URL is not a URL: ${JSON.stringify(clean(options.baseUrl))}`);
    }
  }

  /** `GET /open_api/v1.3/report/integrated/get/`, as errors name an endpoint. */
  endpoint(method: 'GET' | 'POST', path: string): string {
    return `${method} ${this.url(path).pathname}`;
  }

  /** GET `path` with query `params`; `data` validated by `schema`. */
  get<S extends z.ZodType>(path: string, params: Readonly<Record<string, QueryValue>>, schema: S): Promise<z.infer<S>> {
    const url = this.url(path);
    for (const [key, value] of Object.entries(params))
      url.searchParams.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    return this.send('GET', url, undefined, schema);
  }

  /** POST a JSON body to `path`; `data` validated by `schema`. */
  post<S extends z.ZodType>(path: string, body: Readonly<Record<string, unknown>>, schema: S): Promise<z.infer<S>> {
    return this.send('POST', this.url(path), body, schema);
  }

  private url(path: string): URL {
    return new URL(`${TIKTOK_API_PREFIX}/${path.replace(/^\/|\/$/g, '')}/`, this.base);
  }

  private async send<S extends z.ZodType>(
    method: 'GET' | 'POST',
    url: URL,
    body: Readonly<Record<string, unknown>> | undefined,
    schema: S,
  ): Promise<z.infer<S>> {
    const endpoint = `${method} ${url.pathname}`;
    const headers: Record<string, string> = { accept: 'application/json', 'Access-Token': this.options.accessToken };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const answer = await fetchAnswer(
      this.caller,
      url,
      { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
      endpoint,
    );
    const { response, json, parsedJson } = answer;
    const retryAfter = this.options.defaultRetryAfterMs ?? 2_000;
    const envelope = parsedJson ? Envelope.safeParse(json) : undefined;
    if (!response.ok) {
      const code = envelope?.success && envelope.data.code !== 0 ? envelope.data.code : undefined;
      throw tiktokErrorFor(
        { status: response.status, ...(code === undefined ? {} : { code, message: envelope?.data?.message }) },
        endpoint,
        retryAfter,
        this.caller.clean,
      );
    }
    if (!parsedJson) throw notJsonError(this.caller, answer, endpoint);
    const head = parseWith(this.caller, Envelope, json, endpoint, response.status);
    if (head.code !== 0)
      throw tiktokErrorFor({ status: response.status, code: head.code, message: head.message }, endpoint, retryAfter, this.caller.clean);
    // Parsed as the whole envelope so a bad field is named from the root (`data.list[3].metrics.spend`).
    const wrapped = z.object({ data: schema as z.ZodType }).transform((envelope) => envelope.data as z.infer<S>);
    return parseWith(this.caller, wrapped, json, endpoint, response.status);
  }
}
