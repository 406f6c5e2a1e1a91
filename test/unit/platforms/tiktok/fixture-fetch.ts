/** A fake `fetch` for TikTok connector unit tests: answers by path from a list of bodies (the last repeats) and records calls. */
import { readFileSync } from 'node:fs';
import type { Fetch } from '../../../../lib/platforms/port.ts';

/** Text of test/fixtures/tiktok/<name>. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../../fixtures/tiktok/${name}`, import.meta.url), 'utf8');
}

/** One request as the fake fetch saw it: method, path and the parsed JSON body of a POST. */
export interface SentRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

/** A fetch answering requests whose path ends with `<key>/` from `routes[key]`; anything else is a 404 that fails the test. */
export function routeFetch(routes: Record<string, readonly string[]>): { fetch: Fetch; calls: URL[]; sent: SentRequest[] } {
  const calls: URL[] = [];
  const sent: SentRequest[] = [];
  const served = new Map<string, number>();
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    calls.push(url);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    sent.push({ method: init?.method ?? 'GET', path: url.pathname, ...(body === undefined ? {} : { body }) });
    const key = Object.keys(routes).find((k) => url.pathname.endsWith(`/${k}/`));
    const bodies = key === undefined ? undefined : routes[key];
    if (key === undefined || !bodies) return new Response(`no route for ${url.pathname}`, { status: 404 });
    const n = served.get(key) ?? 0;
    served.set(key, n + 1);
    return new Response(bodies[Math.min(n, bodies.length - 1)], { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: impl as Fetch, calls, sent };
}
