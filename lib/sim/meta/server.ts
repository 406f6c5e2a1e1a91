/**
 * A fake Meta Graph API on node:http (127.0.0.1, a free port) over a MarketSimulator, with fault
 * injection and a request log. Wire formats follow ../shared/PLATFORM_APIS.md §1 under `/v{N}.0/`.
 *
 * @example
 *   const market = sampleMarket(42, new ManualClock('2026-11-02T07:00:00Z'));
 *   const fake = await startFakeMeta({ market, accessToken: 'test-token', pageSize: 10, fault: everyNth(5, 'throttle') });
 *   const meta = createMetaConnector({ baseUrl: fake.baseUrl, apiVersion: 'v25.0', accessToken: 'test-token', purchaseActionType: 'omni_purchase' });
 *   // … fake.requests lists method, path and query (never the token) of every call
 *   await fake.close();
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphApiError } from '../errors.ts';
import type { FaultHook, FaultKind, FaultResponse } from '../faults.ts';
import { type FakeServer, type Hold, readBody, sendText, startLoopbackServer } from '../http.ts';
import { FakeGraphApi, type FakeGraphApiOptions, type GraphRequest, type GraphResponse } from './api.ts';
import { graphJson } from './wire.ts';

export { everyNth, type FaultHook, type FaultRequest, type FaultResponse, onlyAt } from '../faults.ts';
export { failRunsLongerThan, type ReportRunOutcome } from './report-runs.ts';

export interface FakeMetaOptions extends FakeGraphApiOptions {
  /** Sees every request (token removed) and may answer it with a fault. */
  readonly fault?: FaultHook;
}

/** One request as the fake saw it. The access token and appsecret_proof are never recorded. */
export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  /** Parameters of a form or JSON body, when there was one. */
  readonly body?: Record<string, unknown>;
  /** HTTP status sent; null while pending or when the client went away during a hang. */
  status: number | null;
  /** The fault injected into this request, if any. */
  fault?: FaultKind;
}

export type FakeMetaServer = FakeServer<RequestLogEntry>;

const SECRET_PARAMS = new Set(['access_token', 'appsecret_proof']);
function withoutSecrets<T>(params: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => !SECRET_PARAMS.has(key)));
}

/** Form or JSON body parameters; Graph accepts both on POST. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw.trim() === '') return {};
  if (contentType?.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new GraphApiError(400, 100, '(#100) The request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new GraphApiError(400, 100, '(#100) The JSON body must be an object');
    return parsed as Record<string, unknown>;
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

/** Applies a 'malformed' fault to a rendered response: a corrupt field, or the body cut in half. */
function malformedBody(response: GraphResponse, fault: Extract<FaultResponse, { kind: 'malformed' }>): string {
  const body = response.text ?? graphJson(response.payload);
  if (!fault.corrupt) return body.slice(0, Math.floor(body.length / 2));
  const payload = structuredClone(response.payload);
  if (typeof payload !== 'object' || payload === null) return body;
  const record = payload as Record<string, unknown>;
  const data = record.data;
  const target = Array.isArray(data) ? data[fault.corrupt.index ?? 0] : record;
  if (typeof target === 'object' && target !== null)
    (target as Record<string, unknown>)[fault.corrupt.field] = fault.corrupt.value ?? 'n/a';
  return graphJson(payload);
}

/** Starts the fake Meta Graph API on 127.0.0.1 at a free port. */
export async function startFakeMeta(options: FakeMetaOptions): Promise<FakeMetaServer> {
  const api = new FakeGraphApi(options);
  const requests: RequestLogEntry[] = [];
  let index = 0;

  const serve = async (req: IncomingMessage, res: ServerResponse, hold: Hold): Promise<void> => {
    index += 1;
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const query = Object.fromEntries(url.searchParams);
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: url.pathname, query: withoutSecrets(query), status: null };
    requests.push(entry);
    let request: GraphRequest = { method: entry.method, url, params: query, index };
    let response: GraphResponse;
    let body: string | undefined;
    try {
      const bodyParams = parseBody(
        await readBody(req, () => new GraphApiError(413, 100, '(#100) Request body too large')),
        req.headers['content-type'],
      );
      if (Object.keys(bodyParams).length > 0) Object.assign(entry, { body: withoutSecrets(bodyParams) });
      request = { ...request, params: { ...query, ...bodyParams } };
      const fault = options.fault?.({ method: entry.method, path: entry.path, query: entry.query, index });
      if (fault) entry.fault = fault.kind;
      if (fault?.kind === 'timeout' && !(await hold(fault.ms, res))) return;
      if (fault?.kind === 'throttle' || fault?.kind === 'server-error' || fault?.kind === 'expired-token') {
        response = api.faultResponse(request, fault);
      } else {
        response = api.handle(request);
        if (fault?.kind === 'malformed') body = malformedBody(response, fault);
      }
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      response = api.reject(request, error);
    }
    const text = body ?? response.text ?? graphJson(response.payload);
    entry.status = response.status;
    sendText(res, response.status, response.headers, text);
  };

  const server = await startLoopbackServer('fake Meta', serve);
  return { baseUrl: server.baseUrl, requests, close: () => server.close() };
}
