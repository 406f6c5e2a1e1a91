/**
 * Fault injection for the fake platform servers: a hook sees each request and may answer it with a
 * fault, which the server renders in the platform's own style.
 *
 * @example
 *   // every 3rd insights request is throttled (Meta code 80000/80004 and a BUC header saying 1 minute)
 *   startFakeMeta({ market, fault: everyNth(3, 'throttle', (req) => req.path.endsWith('/insights')) });
 */
import { hashSeed, Rng } from './random.ts';

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

/** The kinds `randomFaults` draws from by default: the transient faults a connector must ride out. */
export const TRANSIENT_FAULT_KINDS = ['throttle', 'server-error', 'timeout', 'malformed'] as const satisfies readonly FaultKind[];

/** A 'malformed' variant: the body cut in half (`'cut'`), or one field given a wrong value. */
export type MalformedVariant = 'cut' | NonNullable<Extract<FaultResponse, { kind: 'malformed' }>['corrupt']>;

export interface RandomFaultOptions {
  /** Probability in [0, 1] that a matching request fails. */
  readonly rate: number;
  /** Seed of the draws: the same seed and the same sequence of requests give the same faults. */
  readonly seed: number;
  /** Kinds drawn from, each equally likely. @default TRANSIENT_FAULT_KINDS */
  readonly kinds?: readonly FaultKind[];
  /** Only these requests may fail, and only they consume draws. @default every request */
  readonly matches?: (request: FaultRequest) => boolean;
  /**
   * How a 'malformed' fault breaks the body, each equally likely. Field names are the platform's own (e.g. Meta
   * `spend`, TikTok `metrics.spend`), so a test names them per platform. @default ['cut']
   */
  readonly malformed?: readonly MalformedVariant[];
  /** How long a 'timeout' fault holds the request: longer than the client's timeout. @default 5_000 */
  readonly timeoutMs?: number;
  /** HTTP statuses a 'server-error' fault picks from. @default [500, 502, 503] */
  readonly serverErrorStatuses?: readonly number[];
}

/** A fault hook that also counts what it injected, by kind. */
export interface RandomFaultHook extends FaultHook {
  readonly injected: Readonly<Record<FaultKind, number>>;
}

/**
 * Fails each matching request with probability `rate`, the kind (and its variant) drawn at random: a seeded
 * stream (mulberry32) that takes exactly three draws per matching request, so the n-th matching request gets
 * the same answer for a seed whatever came before it.
 *
 * @example
 *   // 10% of all requests fail: throttles, 5xx, 200 ms hangs, cut or corrupt bodies
 *   startFakeMeta({ market, fault: randomFaults({ rate: 0.1, seed: 7, timeoutMs: 200, malformed: ['cut', { field: 'spend', value: 'x' }] }) });
 */
export function randomFaults(options: RandomFaultOptions): RandomFaultHook {
  const { rate, seed, matches = () => true } = options;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`randomFaults needs a rate in [0, 1], got ${rate}`);
  const kinds = options.kinds ?? TRANSIENT_FAULT_KINDS;
  const malformed = options.malformed ?? ['cut'];
  const statuses = options.serverErrorStatuses ?? [500, 502, 503];
  if (kinds.length === 0 || malformed.length === 0 || statuses.length === 0)
    throw new RangeError('randomFaults needs at least one kind, one malformed variant and one server-error status');
  const rng = new Rng(hashSeed('random-faults', seed));
  const injected: Record<FaultKind, number> = { throttle: 0, 'server-error': 0, malformed: 0, timeout: 0, 'expired-token': 0 };
  const pick = <T>(list: readonly T[], u: number): T => list[Math.min(list.length - 1, Math.floor(u * list.length))] as T;
  const hook = (request: FaultRequest): FaultResponse | undefined => {
    if (!matches(request)) return undefined;
    const [fails, which, variant] = [rng.next(), rng.next(), rng.next()];
    if (fails >= rate) return undefined;
    const kind = pick(kinds, which);
    injected[kind] += 1;
    switch (kind) {
      case 'server-error':
        return { kind, status: pick(statuses, variant) };
      case 'timeout':
        return { kind, ms: options.timeoutMs ?? 5_000 };
      case 'malformed': {
        const chosen = pick(malformed, variant);
        return chosen === 'cut' ? { kind } : { kind, corrupt: chosen };
      }
      default:
        return DEFAULTS[kind];
    }
  };
  return Object.assign(hook, { injected });
}
