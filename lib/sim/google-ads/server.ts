/**
 * A fake Google Ads REST API on node:http (127.0.0.1, a free port) over a MarketSimulator, with fault
 * injection and a request log. Wire formats follow ../shared/PLATFORM_APIS.md §2 under `/v{N}/customers/{id}/…`;
 * searchStream answers are streamed batch by batch as one JSON array.
 *
 * @example
 *   const market = new MarketSimulator({ ...config, clock });          // accounts with platform 'google-ads'
 *   const fake = await startFakeGoogleAds({ market, accessToken: 'ya29.test', fault: everyNth(4, 'throttle') });
 *   const google = createGoogleAdsConnector({ baseUrl: fake.baseUrl, apiVersion: 'v26', accessToken: 'ya29.test', developerToken: 'dev' });
 *   // … fake.requests lists method, path, body and status of every call (never a token)
 *   await fake.close();
 *
 * A fault hook sees `query: { query: '<GAQL>' }` for search requests, so it can aim at metric reads only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultHook, FaultKind, FaultResponse } from '../faults.ts';
import { type FakeServer, type Hold, header, readBody, sendText, startLoopbackServer, withField } from '../http.ts';
import { FakeGoogleAdsApi, type FakeGoogleAdsApiOptions, type GoogleAdsRequest, type GoogleAdsResponse } from './api.ts';
import { googleJson } from './wire.ts';

export { everyNth, type FaultHook, type FaultRequest, type FaultResponse, onlyAt } from '../faults.ts';
export type { SharedBudgetConfig } from './api.ts';

export interface FakeGoogleAdsOptions extends FakeGoogleAdsApiOptions {
  /** Sees every request (tokens removed) and may answer it with a fault. */
  readonly fault?: FaultHook;
}

/** One request as the fake saw it. The bearer and developer tokens are never recorded. */
export interface GoogleAdsRequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** The JSON body (GAQL query, or mutate operations), when there was one. */
  readonly body?: unknown;
  /** The `login-customer-id` header, when sent. */
  readonly loginCustomerId?: string;
  /** Whether a `developer-token` header was sent (its value is not kept). */
  readonly developerTokenSent: boolean;
  /** HTTP status sent; null while pending or when the client went away during a hang. */
  status: number | null;
  /** The fault injected into this request, if any. */
  fault?: FaultKind;
}

export type FakeGoogleAdsServer = FakeServer<GoogleAdsRequestLogEntry>;

/** The body text of a response with a 'malformed' fault applied: a corrupt field, or the body cut in half. */
function malformedText(response: GoogleAdsResponse, fault: Extract<FaultResponse, { kind: 'malformed' }>): string {
  const full = bodyText(response);
  if (!fault.corrupt) return full.slice(0, Math.floor(full.length / 2));
  const { field, index = 0, value = 'n/a' } = fault.corrupt;
  const path = field.split('.');
  const corruptResults = (container: unknown): unknown => {
    const record = typeof container === 'object' && container !== null ? (container as Record<string, unknown>) : {};
    const results = record.results;
    if (!Array.isArray(results)) return withField(record, path, value);
    return { ...record, results: results.map((row, i) => (i === index ? withField(row, path, value) : row)) };
  };
  if (response.stream) {
    const [first, ...rest] = response.stream;
    return googleJson([corruptResults(first), ...rest]);
  }
  return googleJson(corruptResults(response.payload));
}

function bodyText(response: GoogleAdsResponse): string {
  if (response.text !== undefined) return response.text;
  if (response.stream) return googleJson(response.stream);
  return googleJson(response.payload ?? {});
}

/** Starts the fake Google Ads API on 127.0.0.1 at a free port. */
export async function startFakeGoogleAds(options: FakeGoogleAdsOptions): Promise<FakeGoogleAdsServer> {
  const api = new FakeGoogleAdsApi(options);
  const requests: GoogleAdsRequestLogEntry[] = [];
  let index = 0;

  const serve = async (req: IncomingMessage, res: ServerResponse, hold: Hold): Promise<void> => {
    index += 1;
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const raw = await readBody(req);
    let body: unknown;
    let bodyError: string | undefined;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        bodyError = `Unexpected token in the JSON body (${raw.length} characters).`;
      }
    }
    const loginCustomerId = header(req, 'login-customer-id');
    const developerToken = header(req, 'developer-token');
    const authorization = header(req, 'authorization');
    const entry: GoogleAdsRequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      ...(body === undefined ? {} : { body }),
      ...(loginCustomerId === undefined ? {} : { loginCustomerId }),
      developerTokenSent: developerToken !== undefined,
      status: null,
    };
    requests.push(entry);
    const request: GoogleAdsRequest = {
      method: entry.method,
      path: url.pathname,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(developerToken === undefined ? {} : { developerToken }),
        ...(loginCustomerId === undefined ? {} : { loginCustomerId }),
      },
      body,
      ...(bodyError === undefined ? {} : { bodyError }),
      index,
    };
    const gaql =
      typeof body === 'object' && body !== null && typeof (body as { query?: unknown }).query === 'string'
        ? (body as { query: string }).query
        : undefined;
    const fault = options.fault?.({ method: entry.method, path: entry.path, query: gaql === undefined ? {} : { query: gaql }, index });
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'timeout' && !(await hold(fault.ms, res))) return;
    const response =
      fault?.kind === 'throttle' || fault?.kind === 'server-error' || fault?.kind === 'expired-token'
        ? api.faultResponse(request, fault)
        : api.handle(request);
    entry.status = response.status;
    if (fault?.kind === 'malformed') {
      const text = malformedText(response, fault);
      sendText(res, response.status, response.headers, text);
      return;
    }
    if (response.stream) {
      // Streamed as Google does: one JSON array, written batch by batch (chunked transfer encoding).
      res.writeHead(response.status, response.headers);
      res.write('[');
      for (const [i, batch] of response.stream.entries()) res.write(`${i > 0 ? ',' : ''}${googleJson(batch)}`);
      res.end(']');
      return;
    }
    const text = bodyText(response);
    sendText(res, response.status, response.headers, text);
  };

  const server = await startLoopbackServer('fake Google Ads', serve);
  return { baseUrl: server.baseUrl, requests, close: () => server.close() };
}
