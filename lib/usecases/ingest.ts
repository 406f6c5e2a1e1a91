/**
 * Ingest one platform account: account, ad sets, and daily metrics over the restatement window,
 * upserted idempotently. Everything is fetched and validated before anything is written, so a
 * bad page or a fault mid-fetch writes nothing for that run.
 */
import { restatementDays } from '../config/platforms.ts';
import { makeEvent } from '../events/publisher.ts';
import type { Platform } from '../model/ads.ts';
import { addDays, type LocalDate, localDateAt } from '../model/dates.ts';
import { PlatformError } from '../platforms/errors.ts';
import type { AppContext } from '../runtime/context.ts';

export interface IngestRequest {
  readonly platform: Platform;
  readonly accountId: string;
  /** `full` re-reads the restatement window (first run of the day, run-day); `recent` only yesterday and today. */
  readonly window?: 'full' | 'recent';
  /** Back-fill: read from this date instead (inclusive). */
  readonly since?: LocalDate;
}

export interface IngestResult {
  readonly platform: Platform;
  readonly accountId: string;
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly rowsWritten: number;
  readonly rowsUnchanged: number;
  readonly adsets: number;
}

/** Pulls one account into the store and announces the outcome on the bus. */
export async function ingestAccount(ctx: AppContext, request: IngestRequest): Promise<IngestResult> {
  const { platform, accountId } = request;
  const fetchedAt = ctx.clock.now();
  try {
    const connector = await ctx.connector(platform);
    const account = await connector.getAccount(accountId);
    const today = localDateAt(fetchedAt, account.timezone);
    const to = today;
    const from = request.since ?? addDays(today, request.window === 'recent' ? -1 : -restatementDays(ctx.config, platform));
    const adsets = await connector.listAdSets(account);
    const rows = await connector.fetchDailyMetrics(account, from, to);

    await ctx.store.putAccount(account);
    await ctx.store.upsertAdSets(adsets);
    const upsert = await ctx.store.upsertDailyMetrics(rows, fetchedAt);
    await ctx.store.setWatermark(platform, accountId, addDays(today, -1), fetchedAt);

    const result: IngestResult = {
      platform,
      accountId,
      from,
      to,
      rowsWritten: upsert.written,
      rowsUnchanged: upsert.unchanged,
      adsets: adsets.length,
    };
    await ctx.events.publish([
      makeEvent(
        'Metrics Ingested',
        { version: 1, id: `metrics-ingested:${platform}:${accountId}:${fetchedAt.toISOString()}`, client: ctx.config.client, ...result },
        fetchedAt,
      ),
    ]);
    ctx.log.info('metrics ingested', { ...result });
    return result;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const errorName = error instanceof Error ? error.name : 'Error';
    await ctx.events.publish([
      makeEvent(
        'Ingestion Failed',
        {
          version: 1,
          id: `ingestion-failed:${platform}:${accountId}:${fetchedAt.toISOString()}`,
          client: ctx.config.client,
          platform,
          accountId,
          reason,
          errorName,
          retryable: error instanceof PlatformError ? error.retryable : false,
        },
        fetchedAt,
      ),
    ]);
    ctx.log.error('ingestion failed', { platform, accountId, errorName, reason });
    throw error;
  }
}
