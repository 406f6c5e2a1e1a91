import { describe, expect, it } from 'vitest';
import type { AdAccount, DailyMetric } from '../../../../lib/model/ads.ts';
import { addDays, dateRange } from '../../../../lib/model/dates.ts';
import { createMetaConnector, type MetaConnectorOptions } from '../../../../lib/platforms/meta/connector.ts';
import { AsyncReportFailedError } from '../../../../lib/platforms/meta/errors.ts';
import type { Fetch } from '../../../../lib/platforms/port.ts';
import { recordingSleep } from './fixture-fetch.ts';

const TOKEN = 'EAAB-async-secret';
const ACCOUNT: AdAccount = { platform: 'meta', accountId: 'act_1234567890', name: 'Acme', currency: 'EUR', timezone: 'Europe/Paris' };

type Outcome = 'Job Completed' | 'Job Failed' | 'Job Skipped' | 'never';

/**
 * A Graph API that runs async report jobs the way PLATFORM_APIS.md §1 documents them: one row per day for ad set
 * 1, jobs finishing on their 3rd poll with the outcome `outcomeOf(days)`, results in pages of 4 rows.
 */
function graph(outcomeOf: (since: string, until: string) => Outcome, syncReply?: () => Response) {
  const jobs = new Map<string, { since: string; until: string; polls: number; outcome: Outcome }>();
  const log: string[] = [];
  const row = (date: string) => ({
    account_currency: 'EUR',
    campaign_id: '11',
    adset_id: '1',
    date_start: date,
    date_stop: date,
    spend: '1.5',
    impressions: String(Number(date.slice(8)) * 10),
    clicks: '1',
  });
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = init?.method ?? 'GET';
    if (url.searchParams.get('access_token') !== TOKEN) return json({ error: { message: 'bad token', code: 190 } }, 400);
    const path = url.pathname;
    if (method === 'GET' && path === '/v25.0/act_1234567890/insights') {
      log.push(`sync ${url.searchParams.get('time_range')}`);
      return syncReply ? syncReply() : json({ data: [] });
    }
    if (method === 'POST' && path === '/v25.0/act_1234567890/insights') {
      const body = JSON.parse(String(init?.body)) as Record<string, string>;
      const { since, until } = JSON.parse(body.time_range ?? '{}') as { since: string; until: string };
      const id = String(600 + jobs.size);
      jobs.set(id, { since, until, polls: 0, outcome: outcomeOf(since, until) });
      log.push(`create ${id} ${since}..${until} ${body.level} ${body.time_increment} ${body.fields}`);
      return json({ report_run_id: id });
    }
    const m = /^\/v25\.0\/(\d+)(\/insights)?$/.exec(path);
    const job = m?.[1] ? jobs.get(m[1]) : undefined;
    if (!job || !m?.[1]) return new Response('not found', { status: 404 });
    if (m[2] === undefined) {
      job.polls += 1;
      const done = job.polls >= 3 && job.outcome !== 'never';
      const status = done ? job.outcome : job.polls === 1 ? 'Job Not Started' : 'Job Running';
      log.push(`poll ${m[1]} ${status}`);
      return json({ id: m[1], async_status: status, async_percent_completion: done && status === 'Job Completed' ? 100 : 40 });
    }
    const rows = dateRange(job.since, job.until).map(row);
    const start = Number(url.searchParams.get('after') ?? '0');
    const page = rows.slice(start, start + 4);
    const next = start + 4 < rows.length ? `https://graph.facebook.com/v25.0/${m[1]}/insights?limit=4&after=${start + 4}` : undefined;
    log.push(`rows ${m[1]} ${start}`);
    return json({ data: page, paging: next ? { next } : {} });
  };
  return { fetch: fetchImpl as Fetch, log, jobs };
}

function connector(fetch: Fetch, options: Partial<MetaConnectorOptions> = {}) {
  const { sleep, delays } = recordingSleep();
  const meta = createMetaConnector({
    apiVersion: 'v25.0',
    accessToken: TOKEN,
    purchaseActionType: 'omni_purchase',
    fetch,
    sleep,
    random: () => 0.5,
    pageSize: 4,
    asyncPollIntervalMs: 5_000,
    ...options,
  });
  return { meta, delays };
}

const expectedRows = (from: string, to: string): DailyMetric[] =>
  dateRange(from, to).map((date) => ({
    platform: 'meta',
    accountId: 'act_1234567890',
    adsetId: '1',
    campaignId: '11',
    date,
    currency: 'EUR',
    spendMicros: 1_500_000,
    revenueMicros: 0,
    impressions: Number(date.slice(8)) * 10,
    clicks: 1,
    conversions: 0,
  }));

describe('Meta async report runs', () => {
  it('reads a range longer than 31 days with one job: create, poll with the injected sleep, page the results', async () => {
    const api = graph(() => 'Job Completed');
    const { meta, delays } = connector(api.fetch);
    expect(await meta.fetchDailyMetrics(ACCOUNT, '2026-09-01', '2026-10-10')).toEqual(expectedRows('2026-09-01', '2026-10-10'));
    expect(api.log.slice(0, 4)).toEqual([
      'create 600 2026-09-01..2026-10-10 adset 1 account_currency,campaign_id,adset_id,date_start,date_stop,spend,impressions,clicks,actions,action_values',
      'poll 600 Job Not Started',
      'poll 600 Job Running',
      'poll 600 Job Completed',
    ]);
    expect(api.log.filter((l) => l.startsWith('rows'))).toHaveLength(10);
    expect(api.log.some((l) => l.startsWith('sync'))).toBe(false);
    expect(delays).toEqual([5_000, 5_000, 5_000]);
  });

  it('keeps ranges up to 31 days on the sync edge', async () => {
    const api = graph(() => 'Job Completed');
    const { meta } = connector(api.fetch);
    await meta.fetchDailyMetrics(ACCOUNT, '2026-09-01', '2026-10-01');
    expect(api.log).toEqual(['sync {"since":"2026-09-01","until":"2026-10-01"}']);
  });

  it('splits a failed job in halves, recursively, until the parts succeed; rows stay in date order', async () => {
    const api = graph((since, until) => (dateRange(since, until).length > 10 ? 'Job Failed' : 'Job Completed'));
    const { meta } = connector(api.fetch);
    expect(await meta.fetchDailyMetrics(ACCOUNT, '2026-09-01', '2026-10-10')).toEqual(expectedRows('2026-09-01', '2026-10-10'));
    expect(api.log.filter((l) => l.startsWith('create')).map((l) => l.split(' ')[2])).toEqual([
      '2026-09-01..2026-10-10',
      '2026-09-01..2026-09-20',
      '2026-09-01..2026-09-10',
      '2026-09-11..2026-09-20',
      '2026-09-21..2026-10-10',
      '2026-09-21..2026-09-30',
      '2026-10-01..2026-10-10',
    ]);
  });

  it('treats Job Skipped and a job that never finishes like a failure', async () => {
    const api = graph((since, until) => (since === until ? 'Job Completed' : since === '2026-09-01' ? 'Job Skipped' : 'never'));
    const { meta } = connector(api.fetch, { asyncAfterDays: 1, asyncMaxPolls: 4 });
    expect(await meta.fetchDailyMetrics(ACCOUNT, '2026-09-01', '2026-09-03')).toEqual(expectedRows('2026-09-01', '2026-09-03'));
    expect(api.log.filter((l) => l.startsWith('create')).map((l) => l.split(' ')[2])).toEqual([
      '2026-09-01..2026-09-03',
      '2026-09-01..2026-09-01',
      '2026-09-02..2026-09-03',
      '2026-09-02..2026-09-02',
      '2026-09-03..2026-09-03',
    ]);
  });

  it('ends in a typed AsyncReportFailedError when a single day still fails, and returns nothing', async () => {
    const failing = graph((since, until) => (since <= '2026-09-17' && '2026-09-17' <= until ? 'Job Failed' : 'Job Completed'));
    const { meta } = connector(failing.fetch);
    const error = await meta.fetchDailyMetrics(ACCOUNT, '2026-09-01', '2026-10-10').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AsyncReportFailedError);
    expect(error).toMatchObject({
      name: 'AsyncReportFailedError',
      retryable: false,
      since: '2026-09-17',
      until: '2026-09-17',
      asyncStatus: 'Job Failed',
      platform: 'meta',
    });
    expect((error as AsyncReportFailedError).endpoint).toBe(`GET /v25.0/${(error as AsyncReportFailedError).reportRunId}`);
    // It stops at the first day that cannot be read: the rest of the range is not asked for.
    expect(failing.log.filter((l) => l.startsWith('create')).map((l) => l.split(' ')[2])).toEqual([
      '2026-09-01..2026-10-10',
      '2026-09-01..2026-09-20',
      '2026-09-01..2026-09-10',
      '2026-09-11..2026-09-20',
      '2026-09-11..2026-09-15',
      '2026-09-16..2026-09-20',
      '2026-09-16..2026-09-17',
      '2026-09-16..2026-09-16',
      '2026-09-17..2026-09-17',
    ]);
  });

  it('falls back to a report run when the sync call says "use a smaller range or async" (100/1504018)', async () => {
    const tooLarge = () =>
      new Response(JSON.stringify({ error: { message: 'Please reduce the amount of data', code: 100, error_subcode: 1504018 } }), {
        status: 400,
      });
    const api = graph(() => 'Job Completed', tooLarge);
    const { meta } = connector(api.fetch);
    expect(await meta.fetchDailyMetrics(ACCOUNT, '2026-09-01', '2026-09-28')).toEqual(expectedRows('2026-09-01', '2026-09-28'));
    expect(api.log.filter((l) => l.startsWith('sync') || l.startsWith('create')).map((l) => l.split(' ')[0])).toEqual(['sync', 'create']);
  });

  it('names async_status when a poll answers an unknown status', async () => {
    const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      const body =
        init?.method === 'POST'
          ? { report_run_id: '600' }
          : { id: url.pathname.split('/')[2], async_status: 'Job Paused', async_percent_completion: 10 };
      return new Response(JSON.stringify(body), { status: 200 });
    };
    const { meta } = connector(fetchImpl as Fetch, { maxAttempts: 1 });
    await expect(meta.fetchDailyMetrics(ACCOUNT, '2026-09-01', addDays('2026-09-01', 40))).rejects.toMatchObject({
      name: 'MalformedResponseError',
      field: 'async_status',
      endpoint: 'GET /v25.0/600',
    });
  });
});
