/**
 * A thin typed `fetch` wrapper for the Google Ads REST API: `/v{N}/customers/{id}/…` POSTs with the bearer
 * token, `developer-token` and `login-customer-id` headers, a timeout per request, zod validation of every
 * body, and errors mapped to the typed platform errors. Neither token ever appears in an error.
 *
 * @example
 *   const client = new GoogleAdsClient({ baseUrl: 'https://googleads.googleapis.com', apiVersion: 'v26', accessToken, fetch, timeoutMs: 60_000 });
 *   const rows = await client.searchStream('1234567890', CUSTOMER_QUERY, CustomerRow);
 */
import { z } from 'zod';
import type { MalformedResponseError } from '../errors.ts';
import { fetchAnswer, type HttpCaller, malformedError, notJsonError, parseWith } from '../http.ts';
import type { Fetch } from '../port.ts';
import { redactSecret } from '../redact.ts';
import { googleAdsErrorFor, rpcStatusOf } from './error-map.ts';
import { GoogleAdsConnectorConfigError } from './errors.ts';
import { streamBatch } from './schemas.ts';

export interface GoogleAdsClientOptions {
  /** Origin of the API, e.g. https://googleads.googleapis.com (a path prefix is kept). */
  readonly baseUrl: string;
  /** "v26" (also accepted: "26"). */
  readonly apiVersion: string;
  readonly accessToken: string;
  /** Optional since Google sunset developer tokens; sent when given. */
  readonly developerToken?: string;
  /** Manager account the customers are reached through (digits, dashes allowed). */
  readonly loginCustomerId?: string;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
  /** Wait after a throttle that names no retry delay. */
  readonly defaultRetryAfterMs?: number;
}

/** A row of a searchStream answer with where it was (`[0].results[3]`), for error messages. */
export interface StreamRow<Row> {
  readonly row: Row;
  readonly path: string;
}

/** "v26" from "v26" or "26". */
export function normalizeApiVersion(version: string): string {
  const m = /^v?(\d+)$/.exec(version.trim());
  if (!m) throw new GoogleAdsConnectorConfigError(`Google Ads API version must look like v26, got ${JSON.stringify(version)}`);
  return `v${m[1]}`;
}

/** "1234567890" from "1234567890" or "123-456-7890". */
export function normalizeCustomerId(id: string): string {
  const digits = id.trim().replace(/-/g, '');
  if (!/^\d{1,20}$/.test(digits)) throw new GoogleAdsConnectorConfigError(`a Google Ads customer id is digits, got ${JSON.stringify(id)}`);
  return digits;
}

/** Typed access to the Google Ads REST API. */
export class GoogleAdsClient {
  readonly apiVersion: string;
  private readonly base: URL;
  private readonly options: GoogleAdsClientOptions;
  private readonly headers: Record<string, string>;
  private readonly caller: HttpCaller;

  constructor(options: GoogleAdsClientOptions) {
    this.options = options;
    this.caller = {
      platform: 'google-ads',
      label: 'Google Ads',
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      clean: (t) => this.clean(t),
    };
    this.apiVersion = normalizeApiVersion(options.apiVersion);
    if (options.accessToken === '') throw new GoogleAdsConnectorConfigError('Google Ads access token is empty');
    try {
      this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    } catch {
      throw new GoogleAdsConnectorConfigError(`Google Ads base URL is not a URL: ${JSON.stringify(this.clean(options.baseUrl))}`);
    }
    this.headers = {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: `Bearer ${options.accessToken}`,
      ...(options.developerToken ? { 'developer-token': options.developerToken } : {}),
      ...(options.loginCustomerId ? { 'login-customer-id': normalizeCustomerId(options.loginCustomerId) } : {}),
    };
  }

  /** `POST /v26/customers/123/googleAds:searchStream`, as errors name an endpoint. */
  endpoint(customerId: string, method: string): string {
    return `POST ${this.url(customerId, method).pathname}`;
  }

  /**
   * Runs a GAQL query with searchStream and returns every row of every batch, each validated by `row`.
   * An error element inside the stream (Google's way of failing after the first batch) is thrown as a typed error.
   */
  async searchStream<S extends z.ZodType>(customerId: string, query: string, row: S): Promise<StreamRow<z.infer<S>>[]> {
    const endpoint = this.endpoint(customerId, 'googleAds:searchStream');
    const { status, json } = await this.send(customerId, 'googleAds:searchStream', { query });
    if (!Array.isArray(json)) throw this.malformed(`Google Ads ${endpoint}: expected a JSON array of batches`, endpoint, '(body)', status);
    const embedded = rpcStatusOf(json);
    if (embedded) {
      throw googleAdsErrorFor({ status: embedded.code, body: json }, endpoint, this.defaultRetryAfterMs(), (t) => this.clean(t));
    }
    const batches = this.parse(z.array(streamBatch(row)), json, endpoint, status);
    return batches.flatMap((batch, b) => batch.results.map((r, i) => ({ row: r, path: `[${b}].results[${i}]` })));
  }

  /** POSTs a mutate request (`campaignBudgets:mutate`) and validates its answer with `schema`. */
  async mutate<S extends z.ZodType>(
    customerId: string,
    method: string,
    body: Readonly<Record<string, unknown>>,
    schema: S,
  ): Promise<z.infer<S>> {
    const endpoint = this.endpoint(customerId, method);
    const { status, json } = await this.send(customerId, method, body);
    return this.parse(schema, json, endpoint, status);
  }

  private url(customerId: string, method: string): URL {
    return new URL(`${this.apiVersion}/customers/${normalizeCustomerId(customerId)}/${method}`, this.base);
  }

  private defaultRetryAfterMs(): number {
    return this.options.defaultRetryAfterMs ?? 30_000;
  }

  private clean(text: string): string {
    let out = redactSecret(text, this.options.accessToken).replace(/(Bearer\s+)[^\s"',;]+/gi, '$1[redacted]');
    if (this.options.developerToken) out = redactSecret(out, this.options.developerToken);
    return out;
  }

  /** Sends the request; a non-2xx becomes a typed error. Returns the parsed JSON of a 2xx. */
  private async send(
    customerId: string,
    method: string,
    body: Readonly<Record<string, unknown>>,
  ): Promise<{ status: number; json: unknown }> {
    const url = this.url(customerId, method);
    const endpoint = `POST ${url.pathname}`;
    const answer = await fetchAnswer(this.caller, url, { method: 'POST', headers: this.headers, body: JSON.stringify(body) }, endpoint);
    const { response, json, parsedJson } = answer;
    if (!response.ok) {
      throw googleAdsErrorFor({ status: response.status, body: parsedJson ? json : undefined }, endpoint, this.defaultRetryAfterMs(), (t) =>
        this.clean(t),
      );
    }
    if (!parsedJson) throw notJsonError(this.caller, answer, endpoint);
    return { status: response.status, json };
  }

  private parse<S extends z.ZodType>(schema: S, json: unknown, endpoint: string, status: number): z.infer<S> {
    return parseWith(this.caller, schema, json, endpoint, status);
  }

  private malformed(message: string, endpoint: string, field: string, status?: number): MalformedResponseError {
    return malformedError(this.caller, message, endpoint, field, status);
  }
}
