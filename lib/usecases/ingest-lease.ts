/**
 * Per-platform concurrency caps for ingestion: at most N runs of one platform in flight across
 * all its accounts, whoever started them (the hourly schedules of one Lambda, a back-fill, a
 * local run-day). Implemented as a lease semaphore in the store, so it holds across Lambda
 * containers and processes alike.
 */
import { randomUUID } from 'node:crypto';
import { maxConcurrentRuns } from '../config/platforms.ts';
import type { Platform } from '../model/ads.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import type { AppContext } from '../runtime/context.ts';
import { TransientError } from '../runtime/errors.ts';
import type { Lease } from '../store/store.ts';

/**
 * Concurrent ingest runs allowed per platform, unless the client config sets the platform's
 * `maxConcurrentRuns`. Sized to each API's rate-limit model: Meta and TikTok throttle per app and
 * account, Google Ads has a generous developer-token quota, X Ads the tightest per-app limits.
 */
export const DEFAULT_INGEST_CONCURRENCY: Readonly<Record<Platform, number>> = {
  meta: 2,
  'google-ads': 4,
  tiktok: 2,
  linkedin: 2,
  'x-ads': 1,
  pinterest: 2,
};

/**
 * How long an ingest run holds its slot: a minute longer than the ingest Lambda's 10-minute
 * timeout (infra/constructs/ingestion.ts), so a live run never loses its slot while a crashed or
 * timed-out run frees it shortly after Lambda gave up on it.
 */
export const INGEST_LEASE_TTL_MS = 11 * 60_000;

/**
 * How long a run waits for one of its platform's slots before it defers to the next hourly run. Runs of
 * other accounts hold a slot for seconds to a few minutes; a minute of polling lets most of them finish, and
 * leaves the run nine of its ten Lambda minutes.
 */
export const INGEST_SLOT_WAIT_MS = 60_000;
/** How often a waiting run asks for a slot again. */
export const INGEST_SLOT_POLL_MS = 5_000;

/** A run that did not start: its account is being ingested already, or its platform stayed at its cap. */
export class IngestDeferredError extends TransientError {}

export interface IngestLeaseOptions {
  /** Slots per platform; defaults to the config's `maxConcurrentRuns`, then DEFAULT_INGEST_CONCURRENCY. */
  readonly concurrency?: Partial<Record<Platform, number>>;
  /** How long to wait for a platform slot before deferring (default INGEST_SLOT_WAIT_MS; 0: defer at once). */
  readonly slotWaitMs?: number;
  /** Waits between two asks for a slot (tests pass their own). */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Wall clock for lease expiry. Not the context's clock: that one is business time (fixed by
   * `run-day --date`), while a lease must expire in real time after a crash.
   */
  readonly clock?: Clock;
  readonly ttlMs?: number;
}

/** The store resource whose slots cap one platform's ingest runs (`LEASE#<platform>`). */
export function ingestLeaseResource(platform: Platform): string {
  return platform;
}

/** The store resource, one slot, that makes an account's runs mutually exclusive (`LEASE#<platform>#<account>`). */
export function accountLeaseResource(platform: Platform, accountId: string): string {
  return `${platform}#${accountId}`;
}

/**
 * Runs `work` while holding the account's writer lease and one of the platform's ingest slots, both
 * released in `finally`. While it runs, `work` is the only writer of the account's items (so it may
 * batch-write what it compared, see WriteOptions.exclusive). When the account is already being
 * ingested, or every platform slot stays held for `slotWaitMs`, it throws an IngestDeferredError
 * before doing anything: nothing is lost (the watermark did not move, so the next run reads the same
 * window), and no `Ingestion Failed` event is published for a run that was only deferred.
 */
export async function withIngestLease<T>(
  ctx: AppContext,
  target: { readonly platform: Platform; readonly accountId: string },
  work: () => Promise<T>,
  options: IngestLeaseOptions = {},
): Promise<T> {
  const { platform, accountId } = target;
  const clock = options.clock ?? systemClock;
  const ttlMs = options.ttlMs ?? INGEST_LEASE_TTL_MS;
  const slots = options.concurrency?.[platform] ?? maxConcurrentRuns(ctx.config, platform) ?? DEFAULT_INGEST_CONCURRENCY[platform];
  const holder = `${platform}#${accountId}#${randomUUID()}`;
  const accountLease = await ctx.store.acquireLease(accountLeaseResource(platform, accountId), 1, holder, clock.now(), ttlMs);
  if (!accountLease) {
    ctx.log.warn('ingestion deferred: the account is already being ingested', { platform, accountId });
    throw new IngestDeferredError(`ingestion of ${platform} ${accountId} deferred: another run of this account is in progress`);
  }
  try {
    const waitMs = options.slotWaitMs ?? INGEST_SLOT_WAIT_MS;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const giveUpAt = clock.now().getTime() + waitMs;
    let slot = await ctx.store.acquireLease(ingestLeaseResource(platform), slots, holder, clock.now(), ttlMs);
    while (!slot && clock.now().getTime() < giveUpAt) {
      await sleep(Math.min(INGEST_SLOT_POLL_MS, giveUpAt - clock.now().getTime()));
      slot = await ctx.store.acquireLease(ingestLeaseResource(platform), slots, holder, clock.now(), ttlMs);
    }
    if (!slot) {
      ctx.log.warn('ingestion deferred: platform at its concurrency cap', { platform, accountId, slots, waitedMs: waitMs });
      throw new IngestDeferredError(
        `ingestion of ${platform} ${accountId} deferred: ${slots} ${platform} ingest run(s) already in progress`,
      );
    }
    try {
      return await work();
    } finally {
      await release(ctx, slot, target);
    }
  } finally {
    await release(ctx, accountLease, target);
  }
}

async function release(ctx: AppContext, lease: Lease, target: { readonly platform: Platform; readonly accountId: string }): Promise<void> {
  const where = { ...target, resource: lease.resource, slot: lease.slot };
  try {
    if (!(await ctx.store.releaseLease(lease))) ctx.log.warn('ingest lease expired before release and was taken over', where);
  } catch (error) {
    // The slot frees itself at expiry; a failed release must not hide the run's own outcome.
    ctx.log.error('ingest lease release failed', { ...where, reason: String(error) });
  }
}
