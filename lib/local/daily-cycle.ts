/**
 * One daily cycle on the local runtime, in the order production runs it: ingest every account
 * (the bus runs the detectors after each), the freshness check, the optimize state machine, and on
 * the report weekday the weekly-report state machine.
 */
import { configuredAccounts } from '../config/platforms.ts';
import { WEEKDAYS } from '../config/schema.ts';
import { addDays, isoWeekday, type LocalDate } from '../model/dates.ts';
import type { IngestDeferral, IngestResult } from '../usecases/ingest.ts';
import type { LocalRuntime } from './runtime.ts';

export interface DailyCycleResult {
  readonly date: LocalDate;
  readonly ingestion: (({ ok: true } & IngestResult) | { ok: false; platform: string; accountId: string; error: string })[];
  readonly anomalies: number;
  readonly optimize: { status: string; planId?: string; planStatus?: string; error?: string };
  readonly report?: { status: string; week?: string; location?: string; alreadySent?: boolean; error?: string };
  readonly events: number;
}

/** Runs the day; failures of one account do not stop the others, and every failure is reported. */
export async function runDailyCycle(runtime: LocalRuntime, date: LocalDate): Promise<DailyCycleResult> {
  const { config } = runtime.ctx;
  const eventsBefore = runtime.bus.published;
  const ingestion: DailyCycleResult['ingestion'] = [];
  for (const { platform, accountId } of configuredAccounts(config)) {
    try {
      const result = await runtime.invoke<IngestResult | IngestDeferral>('ingest', { platform, accountId, window: 'full' });
      ingestion.push('deferred' in result ? { ok: false, platform, accountId, error: result.deferred } : { ok: true, ...result });
    } catch (error) {
      ingestion.push({ ok: false, platform, accountId, error: (error as Error).message });
    }
  }
  // What the hourly schedule does in AWS: an account whose ingestion keeps failing is announced as stale data.
  await runtime.invoke('detect-anomalies', { check: 'freshness' });
  const deliveryFailures = runtime.bus.takeFailures();
  if (deliveryFailures.length > 0) {
    throw new Error(`event delivery failed: ${deliveryFailures.map((f) => f.error).join('; ')}`);
  }
  // The detectors judge the last complete day.
  const anomalies = (await runtime.ctx.store.anomaliesBetween(addDays(date, -1), addDays(date, -1))).length;

  const optimizeRun = await runtime.runStateMachine('optimize', { date });
  const optimizeOutput = (optimizeRun.output ?? {}) as { planId?: string; status?: string };
  const optimize: DailyCycleResult['optimize'] = {
    status: optimizeRun.status,
    ...(optimizeOutput.planId ? { planId: optimizeOutput.planId } : {}),
    ...(optimizeOutput.status ? { planStatus: optimizeOutput.status } : {}),
    ...(optimizeRun.error ? { error: describeFailure(optimizeRun.error, optimizeRun.cause) } : {}),
  };

  let report: DailyCycleResult['report'];
  if (WEEKDAYS[isoWeekday(date) - 1] === config.report.weekday) {
    const run = await runtime.runStateMachine('weekly-report', { date });
    const out = (run.output ?? {}) as { week?: string; location?: string; alreadySent?: boolean };
    report = {
      status: run.status,
      ...(out.week ? { week: out.week } : {}),
      ...(out.location ? { location: out.location } : {}),
      ...(out.alreadySent !== undefined ? { alreadySent: out.alreadySent } : {}),
      ...(run.error ? { error: describeFailure(run.error, run.cause) } : {}),
    };
  }
  return { date, ingestion, anomalies, optimize, ...(report ? { report } : {}), events: runtime.bus.published - eventsBefore };
}

/** A failed execution as one line: the error name and the handler's message (the Cause is Lambda's JSON error). */
function describeFailure(error: string, cause: string | undefined): string {
  if (!cause) return error;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? `${error}: ${parsed.errorMessage}` : `${error}: ${cause}`;
  } catch {
    return `${error}: ${cause}`;
  }
}
