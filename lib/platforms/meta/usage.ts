/**
 * Reading Meta's usage headers to slow down BEFORE Meta throttles us (PLATFORM_APIS.md §1 "Rate limits and
 * errors"). Meta blocks at 100% of a quota; Airbyte pauses above 95%. We pause from a lower threshold (90% by
 * default) so a long pull degrades into waiting rather than into code 4/17/613/80000–80014 errors.
 */
import type { z } from 'zod';
import { AdAccountUsage, AppUsage, BusinessUseCaseUsage, InsightsThrottle } from './schemas.ts';

/** Default usage percentage from which the client pauses. */
export const DEFAULT_USAGE_PAUSE_PCT = 90;
/** Shortest pause once a quota is near full: Meta's windows roll over an hour, so a minute frees a little (as Airbyte). */
export const MIN_USAGE_PAUSE_MS = 60_000;

/** One usage figure that reached the threshold, and how long the header says to wait. */
export interface UsageHit {
  readonly header: string;
  readonly pct: number;
  readonly waitMs: number;
}

function headerJson<S extends z.ZodType>(headers: Headers, name: string, schema: S): z.infer<S> | undefined {
  const raw = headers.get(name);
  if (!raw) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    // Usage headers are advisory: an unreadable one must not fail a good answer, it just gives no signal.
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const highest = (...values: (number | undefined)[]): number => Math.max(0, ...values.map((v) => v ?? 0));

/** Every usage figure at or above `thresholdPct` in the four usage headers, with the wait each one implies. */
export function usageHits(headers: Headers, thresholdPct: number): UsageHit[] {
  const hits: UsageHit[] = [];
  const app = headerJson(headers, 'x-app-usage', AppUsage);
  if (app) {
    const pct = highest(app.call_count, app.total_cputime, app.total_time);
    if (pct >= thresholdPct) hits.push({ header: 'x-app-usage', pct, waitMs: MIN_USAGE_PAUSE_MS });
  }
  const buc = headerJson(headers, 'x-business-use-case-usage', BusinessUseCaseUsage);
  for (const entries of Object.values(buc ?? {})) {
    for (const entry of entries) {
      const pct = highest(entry.call_count, entry.total_cputime, entry.total_time);
      // estimated_time_to_regain_access is in minutes.
      const waitMs = Math.max(MIN_USAGE_PAUSE_MS, (entry.estimated_time_to_regain_access ?? 0) * 60_000);
      if (pct >= thresholdPct) hits.push({ header: 'x-business-use-case-usage', pct, waitMs });
    }
  }
  const account = headerJson(headers, 'x-ad-account-usage', AdAccountUsage);
  if (account && (account.acc_id_util_pct ?? 0) >= thresholdPct) {
    // reset_time_duration is in seconds.
    const waitMs = Math.max(MIN_USAGE_PAUSE_MS, (account.reset_time_duration ?? 0) * 1000);
    hits.push({ header: 'x-ad-account-usage', pct: account.acc_id_util_pct ?? 0, waitMs });
  }
  const insights = headerJson(headers, 'x-fb-ads-insights-throttle', InsightsThrottle);
  if (insights) {
    const pct = highest(insights.app_id_util_pct, insights.acc_id_util_pct);
    if (pct >= thresholdPct) hits.push({ header: 'x-fb-ads-insights-throttle', pct, waitMs: MIN_USAGE_PAUSE_MS });
  }
  return hits;
}

/** How long to pause before the next request (0 when every usage figure is below `thresholdPct`). */
export function usagePauseMs(headers: Headers, thresholdPct: number = DEFAULT_USAGE_PAUSE_PCT): number {
  return Math.max(0, ...usageHits(headers, thresholdPct).map((hit) => hit.waitMs));
}
