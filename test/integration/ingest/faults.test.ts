/**
 * Ingestion under faults, per platform: with 10% of the fake's responses failing (throttles, 5xx, hangs past the
 * connector's timeout, cut and corrupt bodies) and conversions arriving late for days, runs every few hours over
 * ten simulated days, each failed run retried as production retries it (Lambda's two async retries, then the
 * next schedule), leave the store equal to the platform's truth exactly: no missing row, no duplicate, no wrong
 * value. A failed run writes nothing, leaves the watermark alone and tells no credential (in its error, causes or
 * event); a run the store dies in midway is healed by the next run. Every platform of HARNESSES runs both tests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { restatementDays } from '../../../lib/config/platforms.ts';
import { type DailyMetric, type StoredDailyMetric, sameValues } from '../../../lib/model/ads.ts';
import { addDays, type LocalDate } from '../../../lib/model/dates.ts';
import { AuthError, MalformedResponseError, PlatformError } from '../../../lib/platforms/errors.ts';
import { ManualClock } from '../../../lib/runtime/clock.ts';
import type { FaultHook, FaultResponse, RandomFaultHook } from '../../../lib/sim/faults.ts';
import { randomFaults, TRANSIENT_FAULT_KINDS } from '../../../lib/sim/faults.ts';
import type { MarketSimulator } from '../../../lib/sim/market.ts';
import { type IngestResult, ingestAccountCapped, ranOrThrow } from '../../../lib/usecases/ingest.ts';
import {
  HARNESSES,
  type IngestTestContext,
  InjectedStoreCrashError,
  type PlatformHarness,
  type RunningFake,
  risingMaturity,
  startIngestContext,
} from './harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Simulated days of runs, and hours between scheduled runs. */
const DAYS = 10;
const MAX_DAYS = 14;
const RUN_EVERY_HOURS = 8;
/** Lambda retries a failed asynchronous invocation twice, about a minute and then two minutes later. */
const LAMBDA_RETRY_DELAYS = [1 * MINUTE, 2 * MINUTE];

type Window = 'full' | 'recent';

/** One platform's world: market, fake with switchable faults, ingestion context, and what the runs did. */
class Scenario {
  readonly failures: string[] = [];
  /** When set, answers every request instead of the random faults (undefined = no fault). */
  override: FaultHook | undefined;
  faultsPaused = false;
  /** Earliest date a successful run read, per account: the start of the window compared with the truth. */
  private readonly firstDate = new Map<string, LocalDate>();
  private readonly lastSuccess = new Map<string, Date>();

  private constructor(
    readonly harness: PlatformHarness,
    readonly clock: ManualClock,
    readonly market: MarketSimulator,
    readonly accountIds: readonly string[],
    readonly faults: RandomFaultHook,
    readonly fake: RunningFake,
    readonly ingest: IngestTestContext,
  ) {}

  static async start(harness: PlatformHarness, seed: number): Promise<Scenario> {
    const clock = new ManualClock('2026-11-02T05:00:00Z');
    const { market, accountIds } = harness.market(clock, risingMaturity);
    const faults = randomFaults({ rate: 0.1, seed, timeoutMs: 10_000, malformed: ['cut', ...harness.corruptions] });
    let scenario: Scenario | undefined;
    const hook: FaultHook = (request) => {
      if (!scenario || scenario.faultsPaused) return undefined;
      return scenario.override ? scenario.override(request) : faults(request);
    };
    const fake = await harness.startFake(market, hook);
    const ingest = await startIngestContext({
      clock,
      configPatch: harness.configPatch,
      // A connector per invocation, as a Lambda cold start would build it; retries are few so whole runs fail too.
      connector: async () => fake.connector({ sleep: async () => {}, timeoutMs: 250, maxAttempts: 2, clock }),
    });
    scenario = new Scenario(harness, clock, market, accountIds, faults, fake, ingest);
    return scenario;
  }

  /**
   * One invocation of the ingest Lambda's use case (concurrency lease included). A failed one must have published
   * `Ingestion Failed` with its reason and left the watermark alone; one that failed reading the platform must
   * not have sent a single write of data to DynamoDB (with `snapshot`, the whole table is compared too).
   */
  async attempt(accountId: string, window: Window, options: { snapshot?: boolean } = {}): Promise<IngestResult | undefined> {
    const { ctx, events } = this.ingest;
    const platform = this.harness.platform;
    const before = options.snapshot ? await this.ingest.snapshot() : undefined;
    const watermark = await ctx.store.getWatermark(platform, accountId);
    const published = events.events.length;
    const writes = this.ingest.writes.length;
    try {
      const result = ranOrThrow(await ingestAccountCapped(ctx, { platform, accountId, window }));
      expect(events.events.slice(published).map((e) => e.detailType)).toEqual(['Metrics Ingested']);
      const first = this.firstDate.get(accountId);
      if (first === undefined || result.from < first) this.firstDate.set(accountId, result.from);
      this.lastSuccess.set(accountId, this.clock.now());
      return result;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      this.failures.push(error.name);
      expect(events.events.slice(published).map((e) => ({ type: e.detailType, ...e.detail }))).toEqual([
        expect.objectContaining({ type: 'Ingestion Failed', platform, accountId, reason: error.message, errorName: error.name }),
      ]);
      expect(await ctx.store.getWatermark(platform, accountId)).toEqual(watermark);
      const told = `${errorText(error)}\n${JSON.stringify(events.events.slice(published))}`;
      for (const secret of this.harness.secrets) {
        expect(told.includes(secret) || told.includes(encodeURIComponent(secret)), `${error.name} tells a credential`).toBe(false);
      }
      if (error instanceof PlatformError) {
        // The run's own lease (taken and released around it) is bookkeeping, not data.
        expect(this.ingest.writes.slice(writes).filter((w) => !w.includes(' LEASE#'))).toEqual([]);
        if (before) expect(await this.ingest.snapshot()).toEqual(before);
      }
      return undefined;
    }
  }

  /** A scheduled invocation as Lambda runs it: the first try, then its two asynchronous retries. */
  async scheduledRun(accountId: string, window: Window): Promise<IngestResult | undefined> {
    const first = await this.attempt(accountId, window);
    if (first) return first;
    for (const delay of LAMBDA_RETRY_DELAYS) {
      this.clock.advance(delay);
      const retried = await this.attempt(accountId, window);
      if (retried) return retried;
    }
    return undefined;
  }

  /** Scheduled runs an hour apart until one succeeds (the next schedules after Lambda gave up). */
  async runUntilSuccess(accountId: string, window: Window): Promise<IngestResult> {
    for (let hour = 0; hour < 24; hour++) {
      const result = await this.scheduledRun(accountId, window);
      if (result) return result;
      this.clock.advance(HOUR);
    }
    throw new Error(`${this.harness.platform} ${accountId}: no successful run in a day of retries`);
  }

  /** The store holds exactly what the platform reports now for every ad set and date since the first run read. */
  async expectStoreEqualsTruth(): Promise<void> {
    const { store } = this.ingest.ctx;
    const platform = this.harness.platform;
    for (const accountId of this.accountIds) {
      const from = this.firstDate.get(accountId);
      if (from === undefined) throw new Error(`no successful run for ${accountId}`);
      const yesterday = addDays(this.market.today(accountId), -1);
      const truth = this.market.reportedResults(accountId, from, yesterday).sort(byKey);
      expect(truth.length).toBeGreaterThan(0);
      const stored = await store.metricsForAccount(platform, accountId, '2000-01-01', '2100-12-31');
      expect(new Set(stored.map(rowKey)).size, 'duplicate rows').toBe(stored.length);
      expect(stored.map(withoutBookkeeping).sort(byKey)).toEqual(truth);
      for (const adsetId of new Set(truth.map((r) => r.adsetId))) {
        const byAdSet = await store.metricsForAdSet(platform, adsetId, '2000-01-01', '2100-12-31');
        expect(byAdSet.map(withoutBookkeeping).sort(byKey)).toEqual(truth.filter((r) => r.adsetId === adsetId));
      }
      expect(await store.getWatermark(platform, accountId)).toEqual({
        through: yesterday,
        at: this.lastSuccess.get(accountId)?.toISOString(),
      });
    }
  }

  /** Rows of the restatement window that a full run now would create or change. */
  async changedRows(accountId: string): Promise<number> {
    const today = this.market.today(accountId);
    const from = addDays(today, -restatementDays(this.ingest.ctx.config, this.harness.platform));
    const truth = this.market.reportedResults(accountId, from, today);
    const stored = await this.ingest.ctx.store.metricsForAccount(this.harness.platform, accountId, from, today);
    const storedByKey = new Map(stored.map((row) => [rowKey(row), row]));
    return truth.filter((row) => {
      const before = storedByKey.get(rowKey(row));
      return before === undefined || !sameValues(before, row);
    }).length;
  }

  async storedRows(): Promise<StoredDailyMetric[]> {
    const all = await Promise.all(
      this.accountIds.map((id) => this.ingest.ctx.store.metricsForAccount(this.harness.platform, id, '2000-01-01', '2100-12-31')),
    );
    return all.flat();
  }

  async close(): Promise<void> {
    await this.fake.close();
    await this.ingest.close();
  }
}

/** Everything an error tells: name, message, stack and own fields, down its chain of causes. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}\n${JSON.stringify(e)}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join('\n');
}

function rowKey(row: { adsetId: string; date: string }): string {
  return `${row.date}\u0000${row.adsetId}`;
}
function byKey(a: { adsetId: string; date: string }, b: { adsetId: string; date: string }): number {
  return rowKey(a).localeCompare(rowKey(b));
}
function withoutBookkeeping({ fetchedAt: _f, firstFetchedAt: _ff, revision: _r, ...row }: StoredDailyMetric): DailyMetric {
  return row;
}

let open: Scenario | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe.each(HARNESSES)('$platform ingestion under faults', (harness) => {
  it('after ten days of runs with 10% of responses failing and conversions arriving late, the store equals the truth exactly', async () => {
    const scenario = await Scenario.start(harness, 20261102);
    open = scenario;
    // A day is last re-read when it is restatementDays old (a day early if that day's runs all failed): its
    // conversions must be final by then, or the store would keep a number the platform later changes.
    const restatement = restatementDays(scenario.ingest.ctx.config, harness.platform);
    expect(risingMaturity(restatement - 2), `conversions final within the ${restatement}-day restatement window`).toBe(1);
    const everyKindInjected = () => TRANSIENT_FAULT_KINDS.every((kind) => scenario.faults.injected[kind] > 0);
    // Ten days, or up to fourteen until every kind of fault has been met (few requests a run on some platforms).
    for (let day = 0; day < DAYS || (day < MAX_DAYS && !everyKindInjected()); day++) {
      const fullToday = new Set<string>();
      for (let hour = 0; hour < 24; hour += RUN_EVERY_HOURS) {
        for (const accountId of scenario.accountIds) {
          // The first successful run of a day re-reads the restatement window; the others read yesterday and today.
          const window: Window = fullToday.has(accountId) ? 'recent' : 'full';
          const result = await scenario.scheduledRun(accountId, window);
          if (result && window === 'full') fullToday.add(accountId);
        }
        scenario.clock.advance(RUN_EVERY_HOURS * HOUR);
      }
    }

    // A page that cannot be read, on every try: the run fails, names the field, and writes nothing.
    const accountId = scenario.accountIds[0] ?? '';
    const broken =
      (fault: FaultResponse): FaultHook =>
      (request) =>
        harness.isMetricsRequest(request) ? fault : undefined;
    scenario.override = broken(harness.brokenMetricsPage);
    expect(await scenario.attempt(accountId, 'full', { snapshot: true })).toBeUndefined();
    expect(scenario.failures.at(-1)).toBe(MalformedResponseError.name);
    // The token expires between reading the account and reading the metrics: nothing is written either.
    scenario.override = broken({ kind: 'expired-token' });
    expect(await scenario.attempt(accountId, 'full', { snapshot: true })).toBeUndefined();
    expect(scenario.failures.at(-1)).toBe(AuthError.name);
    scenario.override = undefined;

    scenario.clock.advance(HOUR);
    for (const id of scenario.accountIds) await scenario.runUntilSuccess(id, 'full');
    await scenario.expectStoreEqualsTruth();

    // The faults and the late conversions really happened: every kind was injected, runs failed, rows were restated.
    expect(everyKindInjected(), JSON.stringify(scenario.faults.injected)).toBe(true);
    expect(scenario.failures.length).toBeGreaterThan(2);
    expect((await scenario.storedRows()).some((row) => row.revision > 0)).toBe(true);
  }, 180_000);

  it('a run the store dies in midway (before the first row, halfway, before the last row, before the watermark) is healed by the next run', async () => {
    const scenario = await Scenario.start(harness, 7);
    open = scenario;
    const { ingest } = scenario;
    for (const id of scenario.accountIds) await scenario.runUntilSuccess(id, 'full');
    const accountId = scenario.accountIds[0] ?? '';
    const crashes: { name: string; arm: (rowsToWrite: number) => void }[] = [
      { name: 'before the first row', arm: () => ingest.dieAfterMetricWrites(0) },
      { name: 'halfway', arm: (n) => ingest.dieAfterMetricWrites(Math.floor(n / 2)) },
      { name: 'before the last row', arm: (n) => ingest.dieAfterMetricWrites(n - 1) },
      { name: 'before the watermark', arm: () => ingest.dieOnWatermark() },
    ];
    for (const crash of crashes) {
      // A day later the platform restates the immature days and reports a new one: there is something to write.
      scenario.clock.advance(24 * HOUR);
      const rowsToWrite = await scenario.changedRows(accountId);
      expect(rowsToWrite, crash.name).toBeGreaterThanOrEqual(2);
      const before = await ingest.snapshot();
      const watermark = await ingest.ctx.store.getWatermark(harness.platform, accountId);
      scenario.faultsPaused = true;
      crash.arm(rowsToWrite);
      await expect(ingestAccountCapped(ingest.ctx, { platform: harness.platform, accountId, window: 'full' }), crash.name).rejects.toThrow(
        InjectedStoreCrashError,
      );
      ingest.heal();
      scenario.faultsPaused = false;
      expect(await ingest.ctx.store.getWatermark(harness.platform, accountId), crash.name).toEqual(watermark);
      if (crash.name !== 'before the first row') expect(await ingest.snapshot(), crash.name).not.toEqual(before);
      scenario.clock.advance(LAMBDA_RETRY_DELAYS[0] ?? MINUTE);
      await scenario.runUntilSuccess(accountId, 'full');
      for (const id of scenario.accountIds.slice(1)) await scenario.runUntilSuccess(id, 'full');
      await scenario.expectStoreEqualsTruth();
      expect(await scenario.changedRows(accountId), crash.name).toBe(0);
    }
  }, 120_000);
});
