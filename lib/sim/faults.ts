/**
 * Fault injection for the fake platform servers: a hook sees each request and may answer it with a
 * fault, which the server renders in the platform's own style.
 *
 * @example
 *   // every 3rd insights request is throttled (Meta code 80000/80004 and a BUC header saying 1 minute)
 *   startFakeMeta({ market, fault: everyNth(3, 'throttle', (req) => req.path.endsWith('/insights')) });
 */

/** What a fault hook sees of a request (the access token is never included). */
export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** 1-based number of this request since the server started. */
  readonly index: number;
}

export type FaultResponse =
  /** Rate limited: Meta BUC code (80004 ads management, 80000 insights by default) and `estimated_time_to_regain_access`. */
  | { readonly kind: 'throttle'; readonly minutes?: number; readonly code?: number }
  /** HTTP 5xx: 500 with Meta's JSON error body (code 1), other statuses with a proxy's HTML page. */
  | { readonly kind: 'server-error'; readonly status?: number }
  /**
   * HTTP 200 with a broken body: cut in half (invalid JSON) by default, or, with `corrupt`, valid JSON in
   * which one field holds a wrong value (`data[index][field]` on lists, `field` on single objects).
   */
  | { readonly kind: 'malformed'; readonly corrupt?: { readonly field: string; readonly index?: number; readonly value?: unknown } }
  /** Holds the request for `ms` before handling it; if the client gave up meanwhile, nothing happens. */
  | { readonly kind: 'timeout'; readonly ms: number }
  /** The token expired: code 190, subcode 463. */
  | { readonly kind: 'expired-token' };

export type FaultKind = FaultResponse['kind'];

export type FaultHook = (request: FaultRequest) => FaultResponse | undefined;

const DEFAULTS: { readonly [K in FaultKind]: Extract<FaultResponse, { kind: K }> } = {
  throttle: { kind: 'throttle' },
  'server-error': { kind: 'server-error' },
  malformed: { kind: 'malformed' },
  timeout: { kind: 'timeout', ms: 30_000 },
  'expired-token': { kind: 'expired-token' },
};

/**
 * A fault on every n-th request that `matches` (all requests by default): the n-th, 2n-th, …
 * so a client that retries once gets through.
 */
export function everyNth(n: number, fault: FaultKind | FaultResponse, matches: (request: FaultRequest) => boolean = () => true): FaultHook {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`everyNth needs a whole n >= 1, got ${n}`);
  const response = typeof fault === 'string' ? DEFAULTS[fault] : fault;
  let seen = 0;
  return (request) => {
    if (!matches(request)) return undefined;
    seen += 1;
    return seen % n === 0 ? response : undefined;
  };
}

/** A fault on exactly the given (1-based) occurrences of matching requests, e.g. `onlyAt([1, 2], 'server-error')`. */
export function onlyAt(
  occurrences: readonly number[],
  fault: FaultKind | FaultResponse,
  matches: (request: FaultRequest) => boolean = () => true,
): FaultHook {
  const response = typeof fault === 'string' ? DEFAULTS[fault] : fault;
  const wanted = new Set(occurrences);
  let seen = 0;
  return (request) => {
    if (!matches(request)) return undefined;
    seen += 1;
    return wanted.has(seen) ? response : undefined;
  };
}
