/** A fake `fetch` for connector unit tests: routes by method, path and query to fixture bodies; records calls. */
import { readFileSync } from 'node:fs';
import type { Fetch } from '../../../../lib/platforms/port.ts';

export const FIXTURE_TOKEN = 'EAAB-fixture-token';

/** Text of test/fixtures/meta/<name>. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../../fixtures/meta/${name}`, import.meta.url), 'utf8');
}

export interface Reply {
  readonly status?: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

export interface Route {
  readonly method?: string;
  readonly path: string;
  /** Extra condition on the URL (e.g. the `after` cursor). */
  readonly when?: (url: URL) => boolean;
  /** A reply, or a list consumed one per call (the last one repeats). */
  readonly reply: Reply | readonly Reply[] | ((url: URL, body: string | undefined) => Reply);
}

export interface RecordedCall {
  readonly method: string;
  readonly url: URL;
  readonly body: string | undefined;
  readonly contentType: string | undefined;
}

/** A fetch answering from `routes`; an unrouted request fails the test with a 404 that names it. */
export function fixtureFetch(routes: readonly Route[]): { fetch: Fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const served = new Map<Route, number>();
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const headers = new Headers(init?.headers);
    calls.push({ method, url, body, contentType: headers.get('content-type') ?? undefined });
    const route = routes.find((r) => (r.method ?? 'GET') === method && r.path === url.pathname && (r.when?.(url) ?? true));
    if (!route) return new Response(`no fixture for ${method} ${url.pathname}`, { status: 404 });
    const n = served.get(route) ?? 0;
    served.set(route, n + 1);
    const reply =
      typeof route.reply === 'function'
        ? route.reply(url, body)
        : Array.isArray(route.reply)
          ? (route.reply[Math.min(n, route.reply.length - 1)] as Reply)
          : (route.reply as Reply);
    return new Response(reply.body, {
      status: reply.status ?? 200,
      headers: { 'content-type': 'application/json; charset=UTF-8', ...reply.headers },
    });
  };
  return { fetch: fetchImpl as Fetch, calls };
}

/** A sleep that records the delays instead of waiting. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

/** Every string an error exposes: message, stack, own properties, and the same for its causes. */
export function exposedText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) {
      parts.push(String(current), current.message, current.stack ?? '');
      parts.push(JSON.stringify(Object.fromEntries(Object.entries(current))));
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : JSON.stringify(current));
      current = undefined;
    }
  }
  return parts.join('\n');
}
