/**
 * A fake Pinterest API v5 on node:http (127.0.0.1, a free port) over a MarketSimulator, with fault injection and a
 * request log. Wire formats follow ../shared/PLATFORM_APIS.md §7.2 under `/v5/`; report files are served under
 * `/downloads/` like a pre-signed storage URL.
 *
 * @example
 *   const fake = await startFakePinterest({ market, accessToken: 'pina-test', fault: everyNth(4, 'throttle') }); // 429 + X-RateLimit-Reset
 *   const pinterest = createPinterestConnector({ baseUrl: fake.baseUrl, credentials: { accessToken: 'pina-test' } });
 *   await fake.close();
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultHook, FaultKind, FaultResponse } from '../faults.ts';
import { type FakeServer, type Hold, header, readBody, sendText, startLoopbackServer, withField } from '../http.ts';
import { FakePinterestApi, type FakePinterestApiOptions, type PinterestRequest, type PinterestResponse } from './api.ts';

export { everyNth, type FaultHook, type FaultRequest, type FaultResponse, onlyAt } from '../faults.ts';

export interface FakePinterestOptions extends FakePinterestApiOptions {
  /** Sees every request (credentials removed) and may answer it with a fault. */
  readonly fault?: FaultHook;
}

/** One request as the fake saw it. Tokens, client secrets and OAuth bodies are never recorded. */
export interface PinterestRequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  /** The JSON body (not recorded for OAuth requests). */
  readonly body?: unknown;
  /** Whether an Authorization header came with the request. */
  readonly authorized: boolean;
  /** HTTP status sent; null while pending or when the client went away during a hang. */
  status: number | null;
  fault?: FaultKind;
}

export type FakePinterestServer = FakeServer<PinterestRequestLogEntry>;

/** A 'malformed' fault: the body cut in half, or one field corrupted (`[index].<field>` of an array, `items[index].<field>` of a list, else `<field>`). */
function malformedText(response: PinterestResponse, fault: Extract<FaultResponse, { kind: 'malformed' }>): string {
  const full = response.text ?? JSON.stringify(response.payload);
  if (!fault.corrupt || response.payload === undefined) return full.slice(0, Math.floor(full.length / 2));
  const { field, index = 0, value = 'n/a' } = fault.corrupt;
  const path = field.split('.');
  const payload = response.payload;
  const corrupt = (rows: unknown[]) => rows.map((row, i) => (i === index ? withField(row, path, value) : row));
  if (Array.isArray(payload)) return JSON.stringify(corrupt(payload));
  const record = payload as Record<string, unknown>;
  if (Array.isArray(record.items)) return JSON.stringify({ ...record, items: corrupt(record.items) });
  return JSON.stringify(withField(record, path, value));
}

function parseBody(raw: string): unknown {
  try {
    return raw.trim() === '' ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Starts the fake Pinterest API on 127.0.0.1 at a free port. */
export async function startFakePinterest(options: FakePinterestOptions): Promise<FakePinterestServer> {
  const api = new FakePinterestApi(options);
  const requests: PinterestRequestLogEntry[] = [];
  let index = 0;
  let origin = '';

  const serve = async (req: IncomingMessage, res: ServerResponse, hold: Hold): Promise<void> => {
    index += 1;
    const url = new URL(req.url ?? '/', origin);
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    const oauth = url.pathname.startsWith('/v5/oauth/');
    const body = oauth ? undefined : parseBody(raw);
    const authorization = header(req, 'authorization');
    const entry: PinterestRequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      ...(body === undefined ? {} : { body }),
      authorized: authorization !== undefined,
      status: null,
    };
    requests.push(entry);
    const request: PinterestRequest = {
      method: entry.method,
      path: url.pathname,
      query,
      authorization,
      contentType: header(req, 'content-type'),
      body: raw,
      index,
      origin,
    };
    const fault = options.fault?.({ method: entry.method, path: entry.path, query, index });
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'timeout' && !(await hold(fault.ms, res))) return;
    const response =
      fault?.kind === 'throttle' || fault?.kind === 'server-error' || fault?.kind === 'expired-token'
        ? api.faultResponse(fault)
        : api.handle(request);
    entry.status = response.status;
    const text = fault?.kind === 'malformed' ? malformedText(response, fault) : (response.text ?? JSON.stringify(response.payload));
    sendText(res, response.status, response.headers, text);
  };

  const server = await startLoopbackServer('fake Pinterest', serve);
  origin = server.baseUrl;
  return { baseUrl: server.baseUrl, requests, close: () => server.close() };
}
