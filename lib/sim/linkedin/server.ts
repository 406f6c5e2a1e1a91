/**
 * A fake LinkedIn Marketing API on node:http (127.0.0.1, a free port) over a MarketSimulator, with fault
 * injection and a request log. Wire formats follow ../shared/PLATFORM_APIS.md §4 under `/rest/`.
 *
 * @example
 *   const fake = await startFakeLinkedIn({ market, accessToken: 'li-test', fault: everyNth(4, 'throttle') }); // HTTP 429
 *   const linkedin = createLinkedInConnector({ baseUrl: fake.baseUrl, accessToken: 'li-test', clock });
 *   await fake.close();
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultHook, FaultKind, FaultResponse } from '../faults.ts';
import { type FakeServer, type Hold, header, readBody, sendText, startLoopbackServer, withField } from '../http.ts';
import { FakeLinkedInApi, type FakeLinkedInApiOptions, type LinkedInRequest, type LinkedInResponse } from './api.ts';

export { everyNth, type FaultHook, type FaultRequest, type FaultResponse, onlyAt } from '../faults.ts';

export interface FakeLinkedInOptions extends FakeLinkedInApiOptions {
  /** Sees every request (token removed) and may answer it with a fault. */
  readonly fault?: FaultHook;
}

/** One request as the fake saw it. The access token is never recorded. */
export interface LinkedInRequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** The query decoded (for reading); `rawQuery` is what was sent. */
  readonly query: Record<string, string>;
  readonly rawQuery: string;
  /** `LinkedIn-Version`, `X-Restli-Protocol-Version` and `X-RestLi-Method` as sent. */
  readonly version: string | undefined;
  readonly protocol: string | undefined;
  readonly restliMethod: string | undefined;
  readonly body?: unknown;
  /** HTTP status sent; null while pending or when the client went away during a hang. */
  status: number | null;
  fault?: FaultKind;
}

export type FakeLinkedInServer = FakeServer<LinkedInRequestLogEntry>;

/** A 'malformed' fault: the body cut in half, or `elements[index].<field>` (or `<field>` on a single entity) corrupted. */
function malformedText(response: LinkedInResponse, fault: Extract<FaultResponse, { kind: 'malformed' }>): string {
  const full = response.text ?? JSON.stringify(response.payload);
  if (!fault.corrupt || response.payload === undefined) return full.slice(0, Math.floor(full.length / 2));
  const { field, index = 0, value = 'n/a' } = fault.corrupt;
  const path = field.split('.');
  const payload = response.payload as Record<string, unknown>;
  const elements = payload.elements;
  const corrupted = Array.isArray(elements)
    ? { ...payload, elements: elements.map((row, i) => (i === index ? withField(row, path, value) : row)) }
    : withField(payload, path, value);
  return JSON.stringify(corrupted);
}

/** Starts the fake LinkedIn Marketing API on 127.0.0.1 at a free port. */
export async function startFakeLinkedIn(options: FakeLinkedInOptions): Promise<FakeLinkedInServer> {
  const api = new FakeLinkedInApi(options);
  const requests: LinkedInRequestLogEntry[] = [];
  let index = 0;

  const serve = async (req: IncomingMessage, res: ServerResponse, hold: Hold): Promise<void> => {
    index += 1;
    const target = req.url ?? '/';
    const at = target.indexOf('?');
    const rawQuery = at < 0 ? '' : target.slice(at + 1);
    const url = new URL(target, 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.trim() === '' ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const entry: LinkedInRequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      rawQuery,
      version: header(req, 'linkedin-version'),
      protocol: header(req, 'x-restli-protocol-version'),
      restliMethod: header(req, 'x-restli-method'),
      ...(body === undefined ? {} : { body }),
      status: null,
    };
    requests.push(entry);
    const request: LinkedInRequest = {
      method: entry.method,
      path: url.pathname,
      rawQuery,
      headers: {
        authorization: header(req, 'authorization'),
        'linkedin-version': entry.version,
        'x-restli-protocol-version': entry.protocol,
        'x-restli-method': entry.restliMethod,
      },
      body,
      index,
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

  const server = await startLoopbackServer('fake LinkedIn', serve);
  return { baseUrl: server.baseUrl, requests, close: () => server.close() };
}
