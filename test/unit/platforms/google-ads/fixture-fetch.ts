/** A fake `fetch` for Google Ads connector unit tests: answers from fixtures by path and GAQL; records every call with its headers. */
import { readFileSync } from 'node:fs';
import type { Fetch } from '../../../../lib/platforms/port.ts';

// Generic helpers of the Meta connector tests, shared rather than copied.
export { exposedText, recordingSleep } from '../meta/fixture-fetch.ts';

/** Text of test/fixtures/google-ads/<name>. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../../fixtures/google-ads/${name}`, import.meta.url), 'utf8');
}

export interface Reply {
  readonly status?: number;
  readonly body: string;
  readonly contentType?: string;
}

export interface Route {
  /** e.g. googleAds:searchStream or campaignBudgets:mutate (matched at the end of the path). */
  readonly method: string;
  /** Condition on the JSON body (e.g. the GAQL names FROM customer). */
  readonly when?: (body: Record<string, unknown>) => boolean;
  /** A reply, or a list consumed one per call (the last one repeats). */
  readonly reply: Reply | readonly Reply[];
}

export interface RecordedCall {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** GAQL route helper: matches a searchStream whose query contains `fragment`. */
export function gaql(fragment: string, reply: Reply | readonly Reply[]): Route {
  return { method: 'googleAds:searchStream', when: (b) => typeof b.query === 'string' && b.query.includes(fragment), reply };
}

/** A fetch answering from `routes`; an unrouted request gets a 404 that names it, which fails the test. */
export function fixtureFetch(routes: readonly Route[]): { fetch: Fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const served = new Map<Route, number>();
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    calls.push({ method: init?.method ?? 'GET', url, headers, body });
    const route = routes.find((r) => url.pathname.endsWith(`/${r.method}`) && (r.when?.(body) ?? true));
    if (!route) return new Response(`no fixture for ${url.pathname} ${JSON.stringify(body)}`, { status: 404 });
    const n = served.get(route) ?? 0;
    served.set(route, n + 1);
    const reply: Reply = Array.isArray(route.reply) ? (route.reply[Math.min(n, route.reply.length - 1)] as Reply) : (route.reply as Reply);
    return new Response(reply.body, {
      status: reply.status ?? 200,
      headers: { 'content-type': reply.contentType ?? 'application/json; charset=UTF-8' },
    });
  };
  return { fetch: fetchImpl as Fetch, calls };
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
