/** A fake `fetch` for Pinterest connector unit tests: answers `METHOD /path` from handlers and records every call. */
import type { Fetch } from '../../../../lib/platforms/port.ts';

export interface RecordedCall {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export type Handler = (call: RecordedCall, nth: number) => { status?: number; body: unknown; headers?: Record<string, string> };

/** A fetch routing `METHOD /path` (exact pathname) to `routes`; anything else is a 404 that fails the test. */
export function routeFetch(routes: Record<string, Handler>): { fetch: Fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const served = new Map<string, number>();
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = init?.method ?? 'GET';
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const raw = typeof init?.body === 'string' ? init.body : undefined;
    let body: unknown = raw;
    try {
      body = raw === undefined ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const call = { method, url, headers, body };
    calls.push(call);
    const key = `${method} ${url.pathname}`;
    const handler = routes[key];
    if (!handler) return new Response(`no route for ${key}`, { status: 404 });
    const n = (served.get(key) ?? 0) + 1;
    served.set(key, n);
    const answer = handler(call, n);
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(text, { status: answer.status ?? 200, headers: { 'content-type': 'application/json', ...answer.headers } });
  };
  return { fetch: impl as Fetch, calls };
}
