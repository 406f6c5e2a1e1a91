/**
 * A fake X Ads API v12 on node:http (127.0.0.1, a free port) over a MarketSimulator, with fault injection and a
 * request log. Every request must be signed with OAuth 1.0a for the given credentials; see api.ts for the routes.
 *
 * @example
 *   const fake = await startFakeXAds({ market, credentials, fault: everyNth(4, 'throttle') }); // 429 with a reset
 *   const x = createXAdsConnector({ baseUrl: fake.baseUrl, ...credentials, clock });
 *   await fake.close();
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FaultHook, FaultKind, FaultResponse } from '../faults.ts';
import { type FakeServer, type Hold, header, readBody, sendText, startLoopbackServer } from '../http.ts';
import { FakeXAdsApi, type FakeXAdsApiOptions, type XAdsRequest, type XAdsResponse } from './api.ts';
import { withPath } from './wire.ts';

export { everyNth, type FaultHook, type FaultRequest, type FaultResponse, onlyAt } from '../faults.ts';

export interface FakeXAdsOptions extends FakeXAdsApiOptions {
  /** Sees every request (no Authorization header) and may answer it with a fault. */
  readonly fault?: FaultHook;
}

/** One request as the fake saw it. Credentials and signatures are never recorded. */
export interface XAdsRequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  /** HTTP status sent; null while pending or when the client went away during a hang. */
  status: number | null;
  /** `errors[0].code` of an error body. */
  code?: string;
  fault?: FaultKind;
}

export type FakeXAdsServer = FakeServer<XAdsRequestLogEntry>;

/**
 * A 'malformed' fault: the body cut in half (gzip bytes too), or one field corrupted: `data[index].<field>` on
 * lists (dotted, numeric segments index arrays, e.g. `id_data.0.metrics.impressions`), `data.<field>` on objects.
 */
function malformedBody(response: XAdsResponse, fault: Extract<FaultResponse, { kind: 'malformed' }>): string | Buffer {
  if (response.bytes) {
    if (!fault.corrupt) return response.bytes.subarray(0, Math.floor(response.bytes.length / 2));
    const json = JSON.parse(gunzipSync(response.bytes).toString('utf8')) as unknown;
    return gzipSync(JSON.stringify(corrupt(json, fault.corrupt)));
  }
  const full = response.text ?? JSON.stringify(response.payload);
  if (!fault.corrupt || response.payload === undefined) return full.slice(0, Math.floor(full.length / 2));
  return JSON.stringify(corrupt(response.payload, fault.corrupt));
}

function corrupt(payload: unknown, spec: { readonly field: string; readonly index?: number; readonly value?: unknown }): unknown {
  const { field, index = 0, value = 'n/a' } = spec;
  const data = (payload as { data?: unknown }).data;
  const path = Array.isArray(data) ? ['data', String(index), ...field.split('.')] : ['data', ...field.split('.')];
  return withPath(payload, path, value);
}

/** Starts the fake X Ads API on 127.0.0.1 at a free port. */
export async function startFakeXAds(options: FakeXAdsOptions): Promise<FakeXAdsServer> {
  const api = new FakeXAdsApi(options);
  const requests: XAdsRequestLogEntry[] = [];
  let index = 0;

  const serve = async (req: IncomingMessage, res: ServerResponse, hold: Hold): Promise<void> => {
    index += 1;
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const query = Object.fromEntries(url.searchParams);
    await readBody(req);
    const entry: XAdsRequestLogEntry = { method: req.method ?? 'GET', path: url.pathname, query, status: null };
    requests.push(entry);
    const request: XAdsRequest = { method: entry.method, url, authorization: header(req, 'authorization'), index };
    const fault = options.fault?.({ method: entry.method, path: entry.path, query, index });
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'timeout' && !(await hold(fault.ms, res))) return;
    const response =
      fault?.kind === 'throttle' || fault?.kind === 'server-error' || fault?.kind === 'expired-token'
        ? api.faultResponse(request, fault)
        : api.handle(request);
    entry.status = response.status;
    const errors = (response.payload as { errors?: { code?: string }[] } | undefined)?.errors;
    if (errors?.[0]?.code) entry.code = errors[0].code;
    const body =
      fault?.kind === 'malformed' ? malformedBody(response, fault) : (response.bytes ?? response.text ?? JSON.stringify(response.payload));
    if (typeof body === 'string') {
      sendText(res, response.status, response.headers, body);
    } else {
      res.writeHead(response.status, { ...response.headers, 'content-length': body.length });
      res.end(body);
    }
  };

  const server = await startLoopbackServer('fake X Ads', serve);
  return { baseUrl: server.baseUrl, requests, close: () => server.close() };
}
