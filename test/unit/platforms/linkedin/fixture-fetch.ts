/** A fake `fetch` for LinkedIn connector unit tests: answers by method and path from lists of answers (the last repeats) and records calls. */
import { readFileSync } from 'node:fs';
import type { Fetch } from '../../../../lib/platforms/port.ts';

/** Text of test/unit/platforms/linkedin/fixtures/<name>. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export interface Answer {
  readonly status?: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

export interface Call {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/**
 * A fetch answering `"<METHOD> <path suffix>"` routes (e.g. `"GET /adAnalytics"`) from `routes`, the longest
 * matching suffix first; anything else is a 404 that fails the test.
 */
export function routeFetch(routes: Record<string, readonly (Answer | string)[]>): { fetch: Fetch; calls: Call[] } {
  const calls: Call[] = [];
  const served = new Map<string, number>();
  const keys = Object.keys(routes).sort((a, b) => b.length - a.length);
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = init?.method ?? 'GET';
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    calls.push({ method, url: url.toString(), headers, body: typeof init?.body === 'string' ? init.body : undefined });
    const key = keys.find((k) => {
      const [m, suffix = ''] = k.split(' ');
      return m === method && url.pathname.endsWith(suffix);
    });
    const answers = key === undefined ? undefined : routes[key];
    if (key === undefined || !answers) return new Response(`no route for ${method} ${url.pathname}`, { status: 404 });
    const n = served.get(key) ?? 0;
    served.set(key, n + 1);
    const answer = answers[Math.min(n, answers.length - 1)];
    const a: Answer = typeof answer === 'string' ? { body: answer } : (answer ?? { body: '' });
    const status = a.status ?? 200;
    return new Response(status === 204 ? null : a.body, { status, headers: { 'content-type': 'application/json', ...a.headers } });
  };
  return { fetch: impl as Fetch, calls };
}
