/**
 * Wire details of the fake Meta Graph API: JSON as Graph writes it, error bodies, `fields` parsing,
 * cursors and usage headers. Shapes follow ../shared/PLATFORM_APIS.md §1.
 */
import { hashSeed } from '../random.ts';

/** Graph API JSON: non-ASCII characters as \uXXXX and "/" as "\/", as graph.facebook.com writes them. */
export function graphJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

export interface GraphErrorSpec {
  readonly message: string;
  readonly code: number;
  readonly subcode?: number;
  readonly type?: string;
  readonly userTitle?: string;
  readonly userMessage?: string;
  readonly transient?: boolean;
}

/** An error with its HTTP status, as the fake answers it. */
export interface GraphError extends GraphErrorSpec {
  readonly status: number;
}

/** Meta's documented error body `{"error":{message,type,code,error_subcode,…,fbtrace_id}}`. */
export function graphErrorBody(spec: GraphErrorSpec, fbtraceId: string): { error: Record<string, unknown> } {
  return {
    error: {
      message: spec.message,
      type: spec.type ?? 'OAuthException',
      code: spec.code,
      ...(spec.subcode === undefined ? {} : { error_subcode: spec.subcode }),
      is_transient: spec.transient ?? false,
      ...(spec.userTitle === undefined ? {} : { error_user_title: spec.userTitle }),
      ...(spec.userMessage === undefined ? {} : { error_user_msg: spec.userMessage }),
      fbtrace_id: fbtraceId,
    },
  };
}

/** A trace id that looks like Meta's (11 base64 characters), deterministic per request number. */
export function fbtraceId(requestIndex: number): string {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32BE(hashSeed('fbtrace', requestIndex), 0);
  bytes.writeUInt32BE(hashSeed('fbtrace', requestIndex, 1), 4);
  return bytes.toString('base64').replace(/[+/=]/g, 'A').slice(0, 11);
}

/** One entry of a `fields` parameter: `name` or `name{sub,fields}` (field expansion). */
export interface FieldSpec {
  readonly name: string;
  readonly sub: readonly string[];
}

/** Parses `id,name,campaign{id,name}` into field specs; throws on unbalanced braces. */
export function parseFields(raw: string | undefined): FieldSpec[] {
  if (raw === undefined || raw.trim() === '') return [];
  const out: FieldSpec[] = [];
  let depth = 0;
  let current = '';
  const flush = () => {
    const text = current.trim();
    current = '';
    if (text === '') return;
    const m = /^([A-Za-z0-9_.]+)(?:\{(.*)\})?$/.exec(text);
    if (!m?.[1]) throw new SyntaxError(`cannot parse field ${text}`);
    const sub = (m[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    out.push({ name: m[1], sub });
  };
  for (const c of raw) {
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (depth < 0) throw new SyntaxError('unbalanced braces in fields');
    if (c === ',' && depth === 0) flush();
    else current += c;
  }
  if (depth !== 0) throw new SyntaxError('unbalanced braces in fields');
  flush();
  return out;
}

/** Opaque cursor for a position in a result list. */
export function encodeCursor(index: number): string {
  return Buffer.from(`adpilot:${index}`).toString('base64url');
}

/** Position of a cursor, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  const m = /^adpilot:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

/** A ratio as Graph writes it: up to 6 decimals, trailing zeros trimmed ("10.818182", "2.5"). */
export function graphRatio(value: number): string {
  if (!Number.isFinite(value)) return '0';
  return value.toFixed(6).replace(/\.?0+$/, '');
}

const HOUR_MS = 3_600_000;
/** Calls per hour per account and use case: Meta's development-tier BUC quotas (PLATFORM_APIS.md §1). */
export const DEFAULT_QUOTA_PER_HOUR = { ads_management: 300, ads_insights: 600 } as const;
export type UseCase = keyof typeof DEFAULT_QUOTA_PER_HOUR;
export type UsageQuotas = { readonly [U in UseCase]: number };
const APP_QUOTA_PER_HOUR = 2000;

/** Counts calls per account and use case over the last hour, for the usage headers and (optionally) quota enforcement. */
export class UsageTracker {
  private readonly calls = new Map<string, number[]>();
  private appCalls: number[] = [];

  constructor(private readonly quotas: UsageQuotas = DEFAULT_QUOTA_PER_HOUR) {}

  /** Minutes until a call of `useCase` is allowed again when the account's hourly quota is used up; undefined while it is not. */
  blockedMinutes(accountKey: string | undefined, useCase: UseCase, nowMs: number): number | undefined {
    if (accountKey === undefined) return undefined;
    const recent = this.recent(`${accountKey}|${useCase}`, nowMs);
    if (recent.length < this.quotas[useCase]) return undefined;
    const freeAt = (recent[recent.length - this.quotas[useCase]] ?? nowMs) + HOUR_MS;
    return Math.max(1, Math.ceil((freeAt - nowMs) / 60_000));
  }

  /**
   * The headers of a response at `nowMs`; the call is counted unless `counted` is false (a call refused for its
   * quota is not counted, or a client waiting as told could never get back in).
   */
  record(accountKey: string | undefined, useCase: UseCase, nowMs: number, throttledMinutes = 0, counted = true): Record<string, string> {
    this.appCalls = [...this.appCalls.filter((t) => t > nowMs - HOUR_MS), ...(counted ? [nowMs] : [])];
    const appPct = Math.min(100, Math.ceil((this.appCalls.length * 100) / APP_QUOTA_PER_HOUR));
    const headers: Record<string, string> = {
      'x-app-usage': JSON.stringify({ call_count: appPct, total_cputime: Math.ceil(appPct / 2), total_time: Math.ceil(appPct / 2) }),
    };
    if (accountKey === undefined) {
      headers['x-business-use-case-usage'] = '{}';
      headers['x-ad-account-usage'] = JSON.stringify({
        acc_id_util_pct: 0,
        reset_time_duration: 0,
        ads_api_access_tier: 'standard_access',
      });
      return headers;
    }
    const key = `${accountKey}|${useCase}`;
    const recent = [...this.recent(key, nowMs), ...(counted ? [nowMs] : [])];
    this.calls.set(key, recent);
    const quota = this.quotas[useCase];
    const pct = throttledMinutes > 0 ? 100 : Math.min(100, Math.ceil((recent.length * 100) / quota));
    const oldest = recent[0] ?? nowMs;
    headers['x-business-use-case-usage'] = JSON.stringify({
      [accountKey]: [
        {
          type: useCase,
          call_count: pct,
          total_cputime: Math.ceil(pct / 3),
          total_time: Math.ceil(pct / 2),
          estimated_time_to_regain_access: throttledMinutes,
          ads_api_access_tier: 'standard_access',
        },
      ],
    });
    headers['x-ad-account-usage'] = JSON.stringify({
      acc_id_util_pct: Math.round(((recent.length * 100) / quota) * 100) / 100,
      reset_time_duration: recent.length === 0 ? 0 : Math.max(0, Math.ceil((oldest + HOUR_MS - nowMs) / 1000)),
      ads_api_access_tier: 'standard_access',
    });
    return headers;
  }

  private recent(key: string, nowMs: number): number[] {
    return (this.calls.get(key) ?? []).filter((t) => t > nowMs - HOUR_MS);
  }
}
