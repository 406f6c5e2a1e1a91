/**
 * A fake TikTok API for Business on node:http (127.0.0.1, a free port) over a MarketSimulator, with fault
 * injection and a request log. Wire formats follow ../shared/PLATFORM_APIS.md §3 under `/open_api/v1.3/`.
 *
 * @example
 *   const fake = await startFakeTikTok({ market, accessToken: 'tt-test', fault: everyNth(4, 'throttle') }); // code 40100 in an HTTP 200
 *   const tiktok = createTikTokConnector({ baseUrl: fake.baseUrl, accessToken: 'tt-test' });
 *   await fake.close();
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultHook, FaultKind, FaultResponse } from '../faults.ts';
import { type FakeServer, type Hold, header, readBody, sendText, startLoopbackServer, withField } from '../http.ts';
import { FakeTikTokApi, type FakeTikTokApiOptions, type TikTokRequest, type TikTokResponse } from './api.ts';

export { everyNth, type FaultHook, type FaultRequest, type FaultResponse, onlyAt } from '../faults.ts';

export interface FakeTikTokOptions extends FakeTikTokApiOptions {
  /** Sees every request (token removed) and may answer it with a fault. */
  readonly fault?: FaultHook;
}

/** One request as the fake saw it. The access token is never recorded. */
export interface TikTokRequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body?: unknown;
  /** HTTP status sent; null while pending or when the client went away during a hang. */
  status: number | null;
  /** The envelope code sent (0 on success), when a JSON envelope was sent. */
  code?: number;
  fault?: FaultKind;
}

export type FakeTikTokServer = FakeServer<TikTokRequestLogEntry>;

/** A 'malformed' fault: the body cut in half, or `data.list[index].<field>` (or `data.<field>` without a list) corrupted. */
function malformedText(response: TikTokResponse, fault: Extract<FaultResponse, { kind: 'malformed' }>): string {
  const full = response.text ?? JSON.stringify(response.payload);
  if (!fault.corrupt || !response.payload) return full.slice(0, Math.floor(full.length / 2));
  const { field, index = 0, value = 'n/a' } = fault.corrupt;
  const path = field.split('.');
  const data = response.payload.data as Record<string, unknown>;
  const list = data.list;
  const corrupted = Array.isArray(list)
    ? { ...data, list: list.map((row, i) => (i === index ? withField(row, path, value) : row)) }
    : withField(data, path, value);
  return JSON.stringify({ ...response.payload, data: corrupted });
}

/** Starts the fake TikTok API on 127.0.0.1 at a free port. */
export async function startFakeTikTok(options: FakeTikTokOptions): Promise<FakeTikTokServer> {
  const api = new FakeTikTokApi(options);
  const requests: TikTokRequestLogEntry[] = [];
  let index = 0;

  const serve = async (req: IncomingMessage, res: ServerResponse, hold: Hold): Promise<void> => {
    index += 1;
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.trim() === '' ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const entry: TikTokRequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      ...(body === undefined ? {} : { body }),
      status: null,
    };
    requests.push(entry);
    const request: TikTokRequest = {
      method: entry.method,
      path: url.pathname,
      query,
      accessToken: header(req, 'access-token'),
      body,
      index,
    };
    const fault = options.fault?.({ method: entry.method, path: entry.path, query, index });
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'timeout' && !(await hold(fault.ms, res))) return;
    const response =
      fault?.kind === 'throttle' || fault?.kind === 'server-error' || fault?.kind === 'expired-token'
        ? api.faultResponse(request, fault)
        : api.handle(request);
    entry.status = response.status;
    if (response.payload) entry.code = response.payload.code;
    const text = fault?.kind === 'malformed' ? malformedText(response, fault) : (response.text ?? JSON.stringify(response.payload));
    sendText(res, response.status, response.headers, text);
  };

  const server = await startLoopbackServer('fake TikTok', serve);
  return { baseUrl: server.baseUrl, requests, close: () => server.close() };
}
