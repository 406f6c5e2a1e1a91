/**
 * Async stats jobs of the fake X Ads API (../shared/PLATFORM_APIS.md §7.1.6): a job is PROCESSING until it has
 * been polled `readyAfterPolls` times, then SUCCESS with a download `url`; its result is computed from the market
 * when it finishes, and served gzipped. Ids are 19-digit numbers past 2^53 (hence `id_str`).
 */
import { gzipSync } from 'node:zlib';
import { statsTime } from '../../platforms/x-ads/values.ts';

/** X allows 100 concurrent jobs per ads account. */
export const MAX_CONCURRENT_JOBS = 100;
const FIRST_JOB_ID = 1_120_829_647_711_653_888n;
export const DOWNLOAD_PREFIX = '/advertiser-api-async-analytics/';

export interface FakeJob {
  readonly idStr: string;
  readonly accountId: string;
  /** The job's request parameters as X echoes them. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  /** Computes the result from the market when the job finishes. */
  readonly compute: () => unknown;
  polls: number;
  status: 'PROCESSING' | 'SUCCESS';
  /** The gzipped result, once SUCCESS. */
  gzip?: Buffer;
}

/** The jobs of one fake server. */
export class JobStore {
  private readonly jobs = new Map<string, FakeJob>();
  private next = FIRST_JOB_ID;

  constructor(private readonly readyAfterPolls: number) {}

  /** Jobs of an account still processing. */
  processing(accountId: string): number {
    return [...this.jobs.values()].filter((j) => j.accountId === accountId && j.status === 'PROCESSING').length;
  }

  /** Registers a new PROCESSING job. */
  create(accountId: string, params: Readonly<Record<string, unknown>>, now: Date, compute: () => unknown): FakeJob {
    const job: FakeJob = { idStr: String(this.next), accountId, params, createdAt: now, compute, polls: 0, status: 'PROCESSING' };
    this.next += 1n;
    this.jobs.set(job.idStr, job);
    return job;
  }

  /** The jobs of an account (all, or those named), in creation order. */
  list(accountId: string, ids: readonly string[] | undefined): FakeJob[] {
    const all = [...this.jobs.values()].filter((j) => j.accountId === accountId);
    return ids === undefined ? all : all.filter((j) => ids.includes(j.idStr));
  }

  /** Counts a poll; a job polled often enough finishes, its result computed now. */
  poll(job: FakeJob): void {
    if (job.status === 'SUCCESS') return;
    job.polls += 1;
    if (job.polls >= this.readyAfterPolls) {
      job.gzip = gzipSync(JSON.stringify(job.compute()));
      job.status = 'SUCCESS';
    }
  }

  /** The job a download path names. */
  byDownloadPath(path: string): FakeJob | undefined {
    const m = /^\/advertiser-api-async-analytics\/stats_job_(\d+)\.json\.gz$/.exec(path);
    return m?.[1] === undefined ? undefined : this.jobs.get(m[1]);
  }
}

/** A job as `POST`/`GET /12/stats/jobs/accounts/:id` show it. */
export function jobJson(job: FakeJob, origin: string): Record<string, unknown> {
  const done = job.status === 'SUCCESS';
  return {
    // A JSON number past 2^53, as X sends it: clients must use id_str.
    id: Number(job.idStr),
    id_str: job.idStr,
    status: job.status,
    url: done ? `${origin}${DOWNLOAD_PREFIX}stats_job_${job.idStr}.json.gz` : null,
    expires_at: done ? statsTime(new Date(job.createdAt.getTime() + 2 * 86_400_000)) : null,
    account_id: job.accountId,
    ...job.params,
    segmentation_type: null,
    country: null,
    platform: null,
    created_at: statsTime(job.createdAt),
    updated_at: statsTime(job.createdAt),
  };
}
