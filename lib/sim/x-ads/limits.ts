/**
 * Rate limits of the fake X Ads API (../shared/PLATFORM_APIS.md §7.1.7): fixed windows counted on the market
 * clock, per user and category (sync stats 250 / 15 min, writes 450 / 1 min) or per ad account and endpoint
 * (entity reads 10,000 / 15 min, other account reads 2,000 / 15 min), reported in `x-rate-limit-*` or
 * `x-account-rate-limit-*` headers with an epoch-seconds reset.
 */

export type LimitCategory = 'stats' | 'write' | 'entity-read' | 'account-read';

export interface LimitRule {
  readonly limit: number;
  readonly windowSeconds: number;
  readonly level: 'user' | 'account';
}

export const DEFAULT_LIMITS: Readonly<Record<LimitCategory, LimitRule>> = {
  stats: { limit: 250, windowSeconds: 900, level: 'user' },
  write: { limit: 450, windowSeconds: 60, level: 'user' },
  'entity-read': { limit: 10_000, windowSeconds: 900, level: 'account' },
  'account-read': { limit: 2_000, windowSeconds: 900, level: 'account' },
};

/** The outcome of counting one request. */
export interface LimitCount {
  readonly rule: LimitRule;
  readonly remaining: number;
  readonly resetEpochSeconds: number;
  readonly exceeded: boolean;
}

/** Counts requests in fixed windows keyed by category and scope (the account and endpoint for account-level limits). */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly rules: Readonly<Record<LimitCategory, LimitRule>>) {}

  /** Counts a request at `nowSeconds`; `exceeded` when the window was already used up (the request is refused). */
  count(category: LimitCategory, scope: string, nowSeconds: number): LimitCount {
    const rule = this.rules[category];
    const start = Math.floor(nowSeconds / rule.windowSeconds) * rule.windowSeconds;
    const key = `${category}|${rule.level === 'account' ? scope : ''}`;
    const window = this.windows.get(key);
    const current = window && window.start === start ? window : { start, used: 0 };
    const exceeded = current.used >= rule.limit;
    if (!exceeded) current.used += 1;
    this.windows.set(key, current);
    return { rule, remaining: Math.max(0, rule.limit - current.used), resetEpochSeconds: start + rule.windowSeconds, exceeded };
  }
}

/** The rate-limit headers of a count. */
export function limitHeaders(count: Pick<LimitCount, 'rule' | 'remaining' | 'resetEpochSeconds'>): Record<string, string> {
  const prefix = count.rule.level === 'account' ? 'x-account-rate-limit' : 'x-rate-limit';
  return {
    [`${prefix}-limit`]: String(count.rule.limit),
    [`${prefix}-remaining`]: String(count.remaining),
    [`${prefix}-reset`]: String(count.resetEpochSeconds),
  };
}
