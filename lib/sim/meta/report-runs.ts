/**
 * Async insights report runs of the fake Graph API (PLATFORM_APIS.md §1 "Async report jobs"): a job created by
 * `POST /act_{id}/insights` goes 'Job Not Started' → 'Job Started' → 'Job Running' → an outcome over a few polls
 * of `GET /{report_run_id}`, and its rows are served by `GET /{report_run_id}/insights` once it is 'Job Completed'.
 * The outcome is chosen per job by an option, so tests can make big jobs fail and watch the client split them.
 */
import { daysBetween, type LocalDate } from '../../model/dates.ts';

export type ReportRunOutcome = 'Job Completed' | 'Job Failed' | 'Job Skipped';

/** What a job asks for: the validated params of the insights call. */
export interface ReportRunQuery {
  readonly accountId: string;
  readonly since: LocalDate;
  readonly until: LocalDate;
  /** Insights fields to render. */
  readonly fields: readonly string[];
  /** `ad`: one row per ad of `adIds` (level=ad); absent: one per ad set. */
  readonly level?: 'ad';
  readonly adIds?: readonly string[];
}

export interface ReportRunOptions {
  /** Polls until the job reaches its outcome (default 3: not started, running, done). */
  readonly pollsToFinish?: number;
  /** The outcome of each job (default: every job completes). */
  readonly outcome?: (job: ReportRunQuery & { readonly days: number }) => ReportRunOutcome;
}

/** A job and its progress. */
export interface ReportRun extends ReportRunQuery {
  readonly id: string;
  readonly createdAtMs: number;
  readonly outcome: ReportRunOutcome;
  polls: number;
  finishedAtMs: number | undefined;
}

/** Fails every job spanning more than `maxDays` days: the split a client makes then gets through. */
export function failRunsLongerThan(maxDays: number, outcome: Exclude<ReportRunOutcome, 'Job Completed'> = 'Job Failed') {
  return (job: { readonly days: number }): ReportRunOutcome => (job.days > maxDays ? outcome : 'Job Completed');
}

/** The jobs of one fake server. */
export class ReportRuns {
  private readonly runs = new Map<string, ReportRun>();

  constructor(private readonly options: ReportRunOptions = {}) {}

  /** Starts a job; its id is numeric like Meta's. */
  create(query: ReportRunQuery, nowMs: number): ReportRun {
    const id = String(600_000_000_000_000 + this.runs.size + 1);
    const days = daysBetween(query.since, query.until) + 1;
    const outcome = this.options.outcome?.({ ...query, days }) ?? 'Job Completed';
    const run: ReportRun = { ...query, id, createdAtMs: nowMs, outcome, polls: 0, finishedAtMs: undefined };
    this.runs.set(id, run);
    return run;
  }

  /** The job with this id, if any. */
  find(id: string): ReportRun | undefined {
    return this.runs.get(id);
  }

  /** True once the job has been seen 'Job Completed'. */
  isCompleted(run: ReportRun): boolean {
    return run.finishedAtMs !== undefined && run.outcome === 'Job Completed';
  }

  /** One poll: advances the job and returns its node (every AdReportRun field the fake knows). */
  poll(run: ReportRun, nowMs: number): Record<string, unknown> {
    const total = Math.max(1, this.options.pollsToFinish ?? 3);
    run.polls += 1;
    if (run.polls >= total && run.finishedAtMs === undefined) run.finishedAtMs = nowMs;
    // Every field exists (so `fields=` may name any of them); Graph leaves out the ones without a value.
    const node: Record<string, unknown> = {
      id: run.id,
      account_id: run.accountId.replace(/^act_/, ''),
      time_ref: Math.floor(run.createdAtMs / 1000),
      date_start: run.since,
      date_stop: run.until,
      time_completed: undefined,
      error_code: undefined,
      error_message: undefined,
      error_subcode: undefined,
    };
    if (run.finishedAtMs === undefined) {
      const percent = Math.min(99, Math.floor(((run.polls - 1) * 100) / (total - 1)));
      const status = run.polls === 1 ? 'Job Not Started' : run.polls === 2 ? 'Job Started' : 'Job Running';
      return { ...node, async_status: status, async_percent_completion: run.polls === 1 ? 0 : percent };
    }
    const finished = { ...node, async_status: run.outcome, time_completed: Math.floor(run.finishedAtMs / 1000) };
    if (run.outcome === 'Job Completed') return { ...finished, async_percent_completion: 100 };
    if (run.outcome === 'Job Skipped') return { ...finished, async_percent_completion: 0 };
    // [U] the error fields of a failed run; -2/2490547 is Meta's "async report failed" (PLATFORM_APIS.md §1).
    return { ...finished, async_percent_completion: 50, error_code: -2, error_subcode: 2490547, error_message: 'Async job failed' };
  }
}
