/**
 * Async insights report runs (PLATFORM_APIS.md §1 "Async report jobs"): `POST /act_{id}/insights` with the sync
 * call's params returns a `report_run_id`; `GET /{report_run_id}` is polled (with the injected sleep) until
 * `async_status` is 'Job Completed'; `GET /{report_run_id}/insights` then pages like the sync edge.
 * A job that ends 'Job Failed' or 'Job Skipped', or does not finish within `maxPolls`, is retried as two jobs over
 * the two halves of its range, recursively down to one day; a single day that still fails is an
 * AsyncReportFailedError. (Airbyte splits failed jobs too, by entity; splitting by date keeps the rows the same.)
 */
import { addDays, daysBetween, type LocalDate } from '../../model/dates.ts';
import { type RetryPolicy, withRetries } from '../retry.ts';
import type { MetaGraphClient } from './client.ts';
import { AsyncReportFailedError } from './errors.ts';
import { MetaReportRun, MetaReportRunCreated } from './schemas.ts';

const RUN_FIELDS = 'id,async_status,async_percent_completion,date_start,date_stop,error_code,error_message,error_subcode';

export interface AsyncInsightsOptions {
  /** Wait between two polls of a job (Airbyte: 30 s). */
  readonly pollIntervalMs: number;
  /** Polls before a job counts as failed and its range is split (Meta: a job "can take up to an hour"). */
  readonly maxPolls: number;
}

/** The rows of one completed job: pages in order, and the endpoint they came from (for error messages). */
export interface InsightsChunk<Row> {
  readonly endpoint: string;
  readonly pages: Row[][];
}

/** Reads every page of `path` (following `paging.next`); supplied by the connector. */
export type PageCollector<Row> = (path: string, params: Record<string, string>) => Promise<Row[][]>;

type JobOutcome<Row> =
  | { readonly kind: 'done'; readonly chunk: InsightsChunk<Row> }
  | { readonly kind: 'failed'; readonly runId: string; readonly status: string; readonly detail: string };

/** Runs the async insights of one account over a date range, splitting failed jobs. */
export class AsyncInsights<Row> {
  constructor(
    private readonly client: MetaGraphClient,
    private readonly retry: RetryPolicy,
    private readonly options: AsyncInsightsOptions,
    private readonly collect: PageCollector<Row>,
    private readonly pageSize: number,
  ) {}

  /**
   * Every row of `accountNode`'s insights for [from, to] with `params` (level, fields, …; the range is added),
   * in date order of the (sub)ranges. Nothing is returned unless every part succeeded.
   */
  async fetch(
    accountNode: string,
    params: Readonly<Record<string, string>>,
    from: LocalDate,
    to: LocalDate,
  ): Promise<InsightsChunk<Row>[]> {
    const outcome = await this.runJob(accountNode, params, from, to);
    if (outcome.kind === 'done') return [outcome.chunk];
    if (from >= to) {
      const endpoint = this.client.endpoint('GET', `/${outcome.runId}`);
      throw new AsyncReportFailedError(
        `Meta ${endpoint}: async insights report for ${from} ended "${outcome.status}"${outcome.detail} even for a single day`,
        { platform: 'meta', endpoint },
        outcome.runId,
        from,
        to,
        outcome.status,
      );
    }
    const days = daysBetween(from, to) + 1;
    const firstEnd = addDays(from, Math.floor(days / 2) - 1);
    const first = await this.fetch(accountNode, params, from, firstEnd);
    const second = await this.fetch(accountNode, params, addDays(firstEnd, 1), to);
    return [...first, ...second];
  }

  private async runJob(
    accountNode: string,
    params: Readonly<Record<string, string>>,
    from: LocalDate,
    to: LocalDate,
  ): Promise<JobOutcome<Row>> {
    const body = { ...params, time_range: JSON.stringify({ since: from, until: to }) };
    const created = await withRetries(() => this.client.post(`/${accountNode}/insights`, body, MetaReportRunCreated), this.retry);
    const runId = created.report_run_id;
    let last: MetaReportRun | undefined;
    for (let poll = 1; poll <= this.options.maxPolls; poll++) {
      await this.retry.sleep(this.options.pollIntervalMs);
      last = await withRetries(() => this.client.get(`/${runId}`, { fields: RUN_FIELDS }, MetaReportRun), this.retry);
      if (last.async_status === 'Job Completed') {
        const path = `/${runId}/insights`;
        const pages = await this.collect(path, { limit: String(this.pageSize) });
        return { kind: 'done', chunk: { endpoint: this.client.endpoint('GET', path), pages } };
      }
      if (last.async_status === 'Job Failed' || last.async_status === 'Job Skipped') {
        const code =
          last.error_code === undefined ? '' : ` (${last.error_code}${last.error_subcode === undefined ? '' : `/${last.error_subcode}`})`;
        return { kind: 'failed', runId, status: last.async_status, detail: code };
      }
    }
    const seen = last ? `${last.async_status} at ${last.async_percent_completion}%` : 'never polled';
    return { kind: 'failed', runId, status: 'timeout', detail: ` after ${this.options.maxPolls} polls (${seen})` };
  }
}
