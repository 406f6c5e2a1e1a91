/**
 * Reading daily line-item stats from X Ads (../shared/PLATFORM_APIS.md §7.1.5–7.1.6): synchronous `stats` calls per
 * ≤7-day window × ≤20 line items × metric group, or, for back-fills, async stats jobs (created in batches, polled,
 * downloaded as gzip), every answer folded into a DailyStatsFold.
 */
import type { AdAccount } from '../../model/ads.ts';
import { TransientPlatformError } from '../errors.ts';
import { chunks } from '../slices.ts';
import type { XAdsParams } from './client.ts';
import { StatsShapeError } from './errors.ts';
import type { XAdsRequests } from './requests.ts';
import { StatsJob, StatsResponse, single } from './schemas.ts';
import { type DailyStatsFold, METRIC_GROUPS, type MetricGroup } from './stats.ts';
import { MAX_ENTITY_IDS, type StatsWindow } from './values.ts';

/** The only placement adpilot reads. */
export const PLACEMENT = 'ALL_ON_TWITTER';
/** The stats entities adpilot reads: line items (ad sets) and promoted tweets (ads). */
export type StatsEntity = 'LINE_ITEM' | 'PROMOTED_TWEET';
/** Most job ids per poll. */
const MAX_JOB_IDS_PER_POLL = 200;

export interface StatsReaderOptions {
  /** Wait between job polls. */
  readonly jobPollIntervalMs: number;
  /** Polls before a job still processing fails the read. */
  readonly maxJobPolls: number;
  /** Jobs created before they are polled. */
  readonly maxJobsInFlight: number;
}

/** Reads DAY stats of one account's line items (or promoted tweets) into a fold. */
export class StatsReader {
  constructor(
    private readonly requests: XAdsRequests,
    private readonly options: StatsReaderOptions,
  ) {}

  private statsParams(window: StatsWindow, ids: readonly string[], group: MetricGroup, entity: StatsEntity): XAdsParams {
    return {
      entity,
      entity_ids: ids,
      start_time: window.startTime,
      end_time: window.endTime,
      granularity: 'DAY',
      placement: PLACEMENT,
      metric_groups: group,
    };
  }

  /** Synchronous `stats`: every window × chunk × group, each answer folded inside its retried request. */
  async readSync(
    account: AdAccount,
    windows: readonly StatsWindow[],
    ids: readonly string[],
    fold: DailyStatsFold,
    entity: StatsEntity = 'LINE_ITEM',
  ): Promise<void> {
    const path = `stats/accounts/${account.accountId}`;
    const endpoint = this.requests.client.endpoint('GET', path);
    for (const { window, chunk, group } of requestSpecs(windows, ids)) {
      // Folded inside the retried request: a bad answer is fetched again and folds nothing while it stays bad.
      await this.requests.call(async () => {
        const answer = await this.requests.client.request('GET', path, this.statsParams(window, chunk, group, entity), StatsResponse);
        this.foldInto(fold, answer, group, window, chunk, endpoint);
      });
    }
  }

  /**
   * Back-fills: one async job per window × chunk × group, in batches of at most `maxJobsInFlight` (X allows 100
   * concurrent jobs per ads account), each batch polled until done and its results downloaded and folded.
   */
  async readWithJobs(
    account: AdAccount,
    windows: readonly StatsWindow[],
    ids: readonly string[],
    fold: DailyStatsFold,
    entity: StatsEntity = 'LINE_ITEM',
  ): Promise<void> {
    const jobsPath = `stats/jobs/accounts/${account.accountId}`;
    for (const batch of chunks(requestSpecs(windows, ids), this.options.maxJobsInFlight)) {
      const jobs: { id: string; window: StatsWindow; chunk: string[]; group: MetricGroup }[] = [];
      for (const { window, chunk, group } of batch) {
        const created = await this.requests.call(() =>
          this.requests.client.request('POST', jobsPath, this.statsParams(window, chunk, group, entity), single(StatsJob)),
        );
        jobs.push({ id: created.data.id_str, window, chunk, group });
      }
      const urls = await this.pollJobs(
        jobsPath,
        jobs.map((j) => j.id),
      );
      for (const job of jobs) {
        const url = urls.get(job.id) ?? '';
        await this.requests.call(async () => {
          const answer = await this.requests.client.download(url, StatsResponse);
          this.foldInto(fold, answer, job.group, job.window, job.chunk, `GET (stats job ${job.id} download)`);
        });
      }
    }
  }

  /** Polls until every job is SUCCESS with a url; a job in any other final state, or still processing after `maxJobPolls`, fails the read. */
  private async pollJobs(path: string, ids: readonly string[]): Promise<Map<string, string>> {
    const endpoint = this.requests.client.endpoint('GET', path);
    const done = new Map<string, string>();
    for (let poll = 1; done.size < ids.length; poll++) {
      if (poll > this.options.maxJobPolls) {
        const pending = ids.filter((id) => !done.has(id));
        throw new TransientPlatformError(
          `X Ads ${endpoint}: ${pending.length} stats job(s) still processing after ${this.options.maxJobPolls} polls`,
          {
            platform: 'x-ads',
            endpoint,
          },
        );
      }
      await this.requests.retry.sleep(this.options.jobPollIntervalMs);
      for (const batch of chunks(
        ids.filter((id) => !done.has(id)),
        MAX_JOB_IDS_PER_POLL,
      )) {
        const states = await this.requests.pages(path, { job_ids: batch }, StatsJob, (job, rowPath) => ({ job, rowPath }));
        for (const id of batch) {
          const found = states.find(({ job }) => job.id_str === id);
          if (!found) throw this.requests.malformed(endpoint, 'data', `does not hold job ${id}`);
          const { job, rowPath } = found;
          if (job.status === 'SUCCESS') {
            if (!job.url) throw this.requests.malformed(endpoint, `${rowPath}.url`, `is empty on a finished job ${id}`);
            done.set(id, job.url);
          } else if (job.status !== 'PROCESSING' && job.status !== 'QUEUED') {
            throw new TransientPlatformError(`X Ads ${endpoint}: stats job ${id} ended with status ${job.status}`, {
              platform: 'x-ads',
              endpoint,
            });
          }
        }
      }
    }
    return done;
  }

  private foldInto(
    fold: DailyStatsFold,
    answer: StatsResponse,
    group: MetricGroup,
    window: StatsWindow,
    chunk: readonly string[],
    endpoint: string,
  ): void {
    try {
      fold.add(answer, group, window, chunk);
    } catch (error) {
      if (!(error instanceof StatsShapeError)) throw error;
      throw this.requests.malformed(endpoint, error.field, `${error.message} (${group}, ${window.from}..${window.to})`);
    }
  }
}

/** Every stats request a read makes: window × chunk of at most MAX_ENTITY_IDS ids × metric group, in that order. */
function requestSpecs(windows: readonly StatsWindow[], ids: readonly string[]) {
  return windows.flatMap((window) =>
    chunks(ids, MAX_ENTITY_IDS).flatMap((chunk) => METRIC_GROUPS.map((group) => ({ window, chunk, group }))),
  );
}
