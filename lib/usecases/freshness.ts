/**
 * Every hour, on its own schedule: is each configured account's data fresh? A silent platform publishes
 * nothing a bus rule could react to, so this runs apart from ingestion. An account whose last successful
 * fetch is older than `alerts.staleAfterHours` is announced once per outage as `Anomaly Detected` (fault
 * `stale-data`, entity `account:<id>`).
 */
import { detectStaleData } from '../anomaly/stale.ts';
import { configuredAccounts } from '../config/platforms.ts';
import { localDateAt } from '../model/dates.ts';
import { platformLabel } from '../report/format.ts';
import type { AppContext } from '../runtime/context.ts';
import type { AnomalyRecord } from '../store/records.ts';
import { announce } from './detect.ts';

export interface FreshnessResult {
  /** Accounts checked. */
  readonly accounts: number;
  /** Accounts whose data is stale now. */
  readonly stale: number;
  /** Outages announced by this run (the others were announced before). */
  readonly new: number;
}

/** Checks every configured account and announces each outage the first time it is seen. */
export async function checkFreshness(ctx: AppContext): Promise<FreshnessResult> {
  const now = ctx.clock.now();
  const maxAgeHours = ctx.config.alerts.staleAfterHours;
  const accounts = configuredAccounts(ctx.config);
  const fresh: AnomalyRecord[] = [];
  let stale = 0;
  for (const { platform, accountId } of accounts) {
    const since = await ctx.store.watchedSince(platform, accountId, now);
    const watermark = await ctx.store.getWatermark(platform, accountId);
    const verdict = detectStaleData({ lastFetchedAt: watermark?.at ?? null, monitoredSince: since, now, maxAgeHours });
    if (verdict.kind === 'fresh') continue;
    stale += 1;
    const account = await ctx.store.getAccount(platform, accountId);
    // One outage, one record: keyed by the day its silence began (the last fetch, or the start of watching).
    const date = localDateAt(new Date(watermark?.at ?? since), account?.timezone ?? ctx.config.timezone);
    const entity = `account:${accountId}`;
    const record: AnomalyRecord = {
      anomalyId: `${ctx.config.client}:${platform}:${entity}:${date}:${verdict.faultType}`,
      platform,
      accountId,
      adsetId: entity,
      adsetName: `${platformLabel(platform)} account ${account?.name ?? accountId}`,
      date,
      faultType: verdict.faultType,
      metric: verdict.metric,
      observed: Math.round((verdict.silentHours ?? 0) * 10) / 10,
      expectedLow: verdict.expected.low,
      expectedHigh: verdict.expected.high,
      severity: verdict.severity,
      // The name says which account; the alert text and the weekly email show it next to the hint.
      hint: verdict.hint,
      detectedAt: now.toISOString(),
    };
    if (await ctx.store.putAnomalyIfAbsent(record)) fresh.push(record);
  }
  await announce(ctx, fresh, now);
  ctx.log.info('freshness checked', { accounts: accounts.length, stale, new: fresh.length });
  return { accounts: accounts.length, stale, new: fresh.length };
}
