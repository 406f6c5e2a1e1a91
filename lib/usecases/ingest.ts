/**
 * Ingest one platform account: account, ad sets, and daily metrics over the restatement window,
 * upserted idempotently. Everything is fetched and validated before anything is written, so a
 * bad page or a fault mid-fetch writes nothing for that run. A back-fill is the same thing over a
 * long range, one bounded chunk at a time, so memory stays flat however far back it reaches.
 */
import { restatementDays } from '../config/platforms.ts';
import { makeEvent } from '../events/publisher.ts';
import type { AdAccount, Platform } from '../model/ads.ts';
import { addDays, type LocalDate, localDateAt } from '../model/dates.ts';
import { PlatformError } from '../platforms/errors.ts';
import { type HourlyMetric, hasHourlyMetrics } from '../platforms/hourly.ts';
import type { PlatformConnector } from '../platforms/port.ts';
import type { AppContext } from '../runtime/context.ts';
import { TransientError } from '../runtime/errors.ts';
import { BackfillChunkError, UseCaseError } from './errors.ts';
import { type AdIngestResult, ingestTestAds } from './ingest-ads.ts';
import { IngestDeferredError, type IngestLeaseOptions, withIngestLease } from './ingest-lease.ts';

export interface IngestRequest {
  readonly platform: Platform;
  readonly accountId: string;
  /**
   * `full` re-reads the restatement window, `recent` only yesterday and today. Without it (the hourly
   * schedule), the first successful run of the account's day is full and the later ones recent.
   */
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
  /** The hourly part, when the platform reports hourly delivery: rows stored, or why it failed (the daily rows stand). */
  readonly hourly?: HourlyIngestResult;
  /** The ad-level part, when a test names ads on this platform: rows stored, or why it failed (the daily rows stand). */
  readonly ads?: AdIngestResult;
}

/** Outcome of storing the hourly rows of a run. */
export type HourlyIngestResult =
  | { readonly ok: true; readonly dates: readonly LocalDate[]; readonly rowsWritten: number; readonly rowsUnchanged: number }
  | { readonly ok: false; readonly dates: readonly LocalDate[]; readonly errorName: string; readonly reason: string };

export interface IngestOptions {
  /** The caller holds the account's writer lease (withIngestLease): writes may be batched (WriteOptions.exclusive). */
  readonly exclusiveWriter?: boolean;
}

/** Full on the first run of the account's day (no successful run since its local midnight), recent after that. */
async function defaultWindow(ctx: AppContext, request: IngestRequest, timezone: string, today: LocalDate): Promise<'full' | 'recent'> {
  const watermark = await ctx.store.getWatermark(request.platform, request.accountId);
  return watermark && localDateAt(new Date(watermark.at), timezone) === today ? 'recent' : 'full';
}

/** Pulls one account into the store and announces the outcome on the bus. */
export async function ingestAccount(ctx: AppContext, request: IngestRequest, options: IngestOptions = {}): Promise<IngestResult> {
  const { platform, accountId } = request;
  const fetchedAt = ctx.clock.now();
  try {
    const connector = await ctx.connector(platform);
    const account = await connector.getAccount(accountId);
    const today = localDateAt(fetchedAt, account.timezone);
    const to = today;
    const window = request.window ?? (await defaultWindow(ctx, request, account.timezone, today));
    const from = request.since ?? addDays(today, window === 'recent' ? -1 : -restatementDays(ctx.config, platform));
    const adsets = await connector.listAdSets(account);
    const rows = await connector.fetchDailyMetrics(account, from, to);

    const write = { exclusive: options.exclusiveWriter === true };
    await ctx.store.putAccount(account);
    await ctx.store.upsertAdSets(adsets, write);
    const upsert = await ctx.store.upsertDailyMetrics(rows, fetchedAt, write);
    await ctx.store.setWatermark(platform, accountId, addDays(today, -1), fetchedAt);
    // After the daily rows are stored: a failure of the hourly part loses nothing of them.
    const hourly = await ingestHourly(ctx, connector, account, window === 'full' ? [addDays(today, -1), today] : [today], fetchedAt, write);
    // Tests are evaluated once a day on complete days: the day's full read (or a back-fill) is enough for the ad rows.
    const ads =
      window === 'full' || request.since !== undefined ? await ingestTestAds(ctx, connector, account, from, to, fetchedAt) : undefined;

    const daily = {
      platform,
      accountId,
      from,
      to,
      rowsWritten: upsert.written,
      rowsUnchanged: upsert.unchanged,
      adsets: adsets.length,
    };
    const result: IngestResult = { ...daily, ...(hourly === undefined ? {} : { hourly }), ...(ads === undefined ? {} : { ads }) };
    await ctx.events.publish([
      makeEvent(
        'Metrics Ingested',
        { version: 1, id: `metrics-ingested:${platform}:${accountId}:${fetchedAt.toISOString()}`, client: ctx.config.client, ...daily },
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

/**
 * Stores the hourly rows of `dates` when the connector reports hourly delivery (undefined when it does not). Today's
 * rows are re-read each run; a day's first run also reads yesterday's again, whose last hours closed after the last
 * run. A failure is logged and returned, never thrown: the daily rows are already stored.
 */
async function ingestHourly(
  ctx: AppContext,
  connector: PlatformConnector,
  account: AdAccount,
  dates: readonly LocalDate[],
  fetchedAt: Date,
  write: { exclusive: boolean },
): Promise<HourlyIngestResult | undefined> {
  if (!hasHourlyMetrics(connector)) return undefined;
  try {
    const rows: HourlyMetric[] = [];
    for (const date of dates) rows.push(...(await connector.fetchHourlyMetrics(account, date)));
    const stored = await ctx.store.putHourlyMetrics(rows, fetchedAt, write);
    return { ok: true, dates, rowsWritten: stored.written, rowsUnchanged: stored.unchanged };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const errorName = error instanceof Error ? error.name : 'Error';
    ctx.log.warn('hourly ingestion failed; the daily rows are stored', {
      platform: account.platform,
      accountId: account.accountId,
      dates: [...dates],
      errorName,
      reason,
    });
    return { ok: false, dates, errorName, reason };
  }
}

/** A scheduled run that did not start (see IngestDeferredError): the next hourly run reads the same window. */
export interface IngestDeferral {
  readonly platform: Platform;
  readonly accountId: string;
  readonly deferred: string;
}

/** The run's result, or an error naming why it was deferred (for callers that need the run to have happened). */
export function ranOrThrow(result: IngestResult | IngestDeferral): IngestResult {
  if ('deferred' in result) throw new IngestDeferredError(result.deferred);
  return result;
}

/**
 * The ingest Lambda's use case: `ingestAccount` under the platform's concurrency cap (see ingest-lease.ts).
 * A deferred run returns normally: it failed nothing, so it must not land in the dead-letter queue and raise
 * its alarm; if deferrals go on, the freshness check announces the silence.
 */
export async function ingestAccountCapped(
  ctx: AppContext,
  request: IngestRequest,
  lease: IngestLeaseOptions = {},
): Promise<IngestResult | IngestDeferral> {
  try {
    return await withIngestLease(ctx, request, () => ingestAccount(ctx, request, { exclusiveWriter: true }), lease);
  } catch (error) {
    if (!(error instanceof IngestDeferredError)) throw error;
    return { platform: request.platform, accountId: request.accountId, deferred: error.message };
  }
}

/** Days per back-fill chunk: four weeks keeps every platform's request within its range limits (TikTok 30 days). */
export const BACKFILL_CHUNK_DAYS = 28;

export interface BackfillRequest {
  readonly platform: Platform;
  readonly accountId: string;
  /** First account-local date to read (inclusive). */
  readonly since: LocalDate;
  /** Last account-local date to read (inclusive); today in the account's time zone when absent. */
  readonly until?: LocalDate;
  /** Days per chunk; BACKFILL_CHUNK_DAYS when absent. */
  readonly chunkDays?: number;
}

export interface BackfillWindow {
  readonly from: LocalDate;
  readonly to: LocalDate;
}

export interface BackfillChunk extends BackfillWindow {
  /** 1-based position among `count` chunks, oldest first. */
  readonly index: number;
  readonly count: number;
  readonly rowsWritten: number;
  readonly rowsUnchanged: number;
}

export interface BackfillResult extends IngestResult {
  readonly chunks: readonly BackfillChunk[];
}

export interface BackfillOptions {
  /** Called after each chunk is stored (progress). */
  readonly onChunk?: (chunk: BackfillChunk) => void;
  /** Lease options per chunk (each chunk holds the account lease and a platform slot while it runs); `false` runs uncapped, with conditional writes. */
  readonly lease?: IngestLeaseOptions | false;
}

/** Splits [from, to] into consecutive windows of at most `days` days, oldest first. */
export function backfillWindows(from: LocalDate, to: LocalDate, days: number): BackfillWindow[] {
  if (!Number.isInteger(days) || days < 1) throw new UseCaseError(`a back-fill chunk must be a whole number of days ≥ 1, got ${days}`);
  const out: BackfillWindow[] = [];
  for (let start = from; start <= to; start = addDays(start, days)) {
    const end = addDays(start, days - 1);
    out.push({ from: start, to: end < to ? end : to });
  }
  return out;
}

/**
 * Back-fills one account over [since, until] in chunks, oldest first. Each chunk is fetched and
 * validated before it is written, and written idempotently: a re-run writes 0 rows for the chunks
 * already stored, so after a failure re-running the same back-fill resumes where it stopped.
 */
export async function backfillAccount(ctx: AppContext, request: BackfillRequest, options: BackfillOptions = {}): Promise<BackfillResult> {
  const { platform, accountId, since } = request;
  const startedAt = ctx.clock.now();
  const leased = <T>(work: () => Promise<T>): Promise<T> =>
    options.lease === false ? work() : withIngestLease(ctx, request, work, options.lease ?? {});
  const chunks: BackfillChunk[] = [];
  try {
    const connector = await ctx.connector(platform);
    const { account, adsets } = await leased(async () => {
      const found = await connector.getAccount(accountId);
      return { account: found, adsets: await connector.listAdSets(found) };
    });
    const today = localDateAt(startedAt, account.timezone);
    const until = request.until ?? today;
    if (since > until) throw new UseCaseError(`back-fill of ${platform} ${accountId}: --since ${since} is after --until ${until}`);
    if (until > today) throw new UseCaseError(`back-fill of ${platform} ${accountId}: --until ${until} is after today (${today})`);
    const windows = backfillWindows(since, until, request.chunkDays ?? BACKFILL_CHUNK_DAYS);
    for (const [i, window] of windows.entries()) {
      const position = { index: i + 1, count: windows.length };
      try {
        const chunk = await leased(async () => {
          const fetchedAt = ctx.clock.now();
          const rows = await connector.fetchDailyMetrics(account, window.from, window.to);
          const write = { exclusive: options.lease !== false };
          if (i === 0) {
            await ctx.store.putAccount(account);
            await ctx.store.upsertAdSets(adsets, write);
          }
          const upsert = await ctx.store.upsertDailyMetrics(rows, fetchedAt, write);
          return { ...window, ...position, rowsWritten: upsert.written, rowsUnchanged: upsert.unchanged };
        });
        chunks.push(chunk);
        options.onChunk?.(chunk);
      } catch (error) {
        const done = chunks.length === 0 ? 'no chunk is stored yet' : `chunks 1-${chunks.length} are stored`;
        throw new BackfillChunkError(
          `back-fill of ${platform} ${accountId}: chunk ${position.index}/${position.count} (${window.from}..${window.to}) failed: ${describe(error)}. ` +
            `${done}; re-run the same back-fill to resume (stored chunks are re-read and stay unchanged) or start it at ${window.from}`,
          { ...window, ...position },
          [...chunks],
          { cause: error },
        );
      }
    }
    const yesterday = addDays(today, -1);
    // biome-ignore lint/complexity/useMathMinMax: LocalDate strings, compared as ISO dates (Math.min would make NaN)
    const through = until < yesterday ? until : yesterday;
    await ctx.store.setWatermark(platform, accountId, through, ctx.clock.now());
    const result: BackfillResult = {
      platform,
      accountId,
      from: since,
      to: until,
      rowsWritten: chunks.reduce((sum, c) => sum + c.rowsWritten, 0),
      rowsUnchanged: chunks.reduce((sum, c) => sum + c.rowsUnchanged, 0),
      adsets: adsets.length,
      chunks,
    };
    const { chunks: _chunks, ...summary } = result;
    await ctx.events.publish([
      makeEvent(
        'Metrics Ingested',
        {
          version: 1,
          id: `metrics-backfilled:${platform}:${accountId}:${since}:${until}:${startedAt.toISOString()}`,
          client: ctx.config.client,
          ...summary,
        },
        ctx.clock.now(),
      ),
    ]);
    ctx.log.info('metrics back-filled', { ...summary, chunks: chunks.length });
    return result;
  } catch (error) {
    const cause = error instanceof BackfillChunkError ? error.cause : error;
    // A chunk deferred because the platform's slots were all taken did not fail: announcing it would mislead.
    if (!(cause instanceof TransientError)) {
      await ctx.events.publish([
        makeEvent(
          'Ingestion Failed',
          {
            version: 1,
            id: `backfill-failed:${platform}:${accountId}:${since}:${startedAt.toISOString()}`,
            client: ctx.config.client,
            platform,
            accountId,
            reason: describe(error),
            errorName: error instanceof Error ? error.name : 'Error',
            retryable: cause instanceof PlatformError ? cause.retryable : false,
          },
          ctx.clock.now(),
        ),
      ]);
    }
    ctx.log.error('back-fill failed', { platform, accountId, reason: describe(error) });
    throw error;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
