/**
 * Back-fills through async reports (../shared/PLATFORM_APIS.md §7.2.3): `POST /v5/ad_accounts/{id}/reports`
 * (level AD_GROUP, granularity DAY, JSON), polled with `GET .../reports?token=` until FINISHED, then the JSON file
 * downloaded from its pre-signed URL without credentials. Up to 186 days per report and 914 days back.
 * A FAILED or EXPIRED report is created again once; a report still IN_PROGRESS after `maxPolls` is transient.
 */
import type { AdAccount, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import { PlatformRequestError, TransientPlatformError } from '../errors.ts';
import { dateSlices } from '../slices.ts';
import { METRIC_COLUMNS, toDailyMetric } from './analytics.ts';
import type { AttributionWindows, PinterestContext } from './context.ts';
import { ReportCreated, ReportFile, ReportPoll } from './schemas.ts';

/** Days per async report. */
export const MAX_REPORT_DAYS = 186;
/** How far back async reports reach. */
export const MAX_REPORT_DAYS_BACK = 914;

export interface ReportPolling {
  readonly sleep: (ms: number) => Promise<void>;
  /** Wait between polls. */
  readonly pollIntervalMs: number;
  /** Polls per report before giving up. */
  readonly maxPolls: number;
}

/** Rows of every ad group of the account over [from, to], one report per ≤186-day slice. */
export async function reportAnalytics(
  ctx: PinterestContext,
  account: AdAccount,
  campaignOf: ReadonlyMap<string, string>,
  from: LocalDate,
  to: LocalDate,
  windows: AttributionWindows,
  polling: ReportPolling,
): Promise<DailyMetric[]> {
  const out: DailyMetric[] = [];
  for (const slice of dateSlices(from, to, MAX_REPORT_DAYS)) {
    for (let attempt = 1; ; attempt++) {
      try {
        out.push(...(await oneReport(ctx, account, campaignOf, slice, windows, polling)));
        break;
      } catch (error) {
        if (!(error instanceof ReportRetry) || attempt >= 2) throw error instanceof ReportRetry ? error.failure : error;
      }
    }
  }
  return out;
}

/** A report that failed on Pinterest's side and may succeed when created again. */
class ReportRetry extends Error {
  override readonly name = 'ReportRetry';
  constructor(readonly failure: TransientPlatformError) {
    super(failure.message);
  }
}

async function oneReport(
  ctx: PinterestContext,
  account: AdAccount,
  campaignOf: ReadonlyMap<string, string>,
  slice: { from: LocalDate; to: LocalDate },
  windows: AttributionWindows,
  polling: ReportPolling,
): Promise<DailyMetric[]> {
  const path = `ad_accounts/${account.accountId}/reports`;
  const getEndpoint = ctx.client.endpoint('GET', path);
  const context = { platform: 'pinterest' as const, endpoint: getEndpoint, status: 200 };
  const body = {
    start_date: slice.from,
    end_date: slice.to,
    granularity: 'DAY',
    level: 'AD_GROUP',
    columns: ['AD_GROUP_ID', 'CAMPAIGN_ID', ...METRIC_COLUMNS],
    click_window_days: windows.clickWindowDays,
    view_window_days: windows.viewWindowDays,
    conversion_report_time: 'TIME_OF_AD_ACTION',
    report_format: 'JSON',
  };
  const created = await ctx.call(() => ctx.client.post(path, body, ReportCreated));
  let url: string | undefined;
  for (let poll = 1; url === undefined; poll++) {
    const status = await ctx.call(() => ctx.client.get(path, { token: created.token }, ReportPoll));
    switch (status.report_status) {
      case 'FINISHED':
        if (!status.url) throw ctx.malformed(getEndpoint, 'url', 'is missing on a FINISHED report');
        url = status.url;
        break;
      case 'IN_PROGRESS':
        if (poll >= polling.maxPolls) {
          throw new TransientPlatformError(`Pinterest ${getEndpoint}: report still IN_PROGRESS after ${poll} polls`, context);
        }
        await polling.sleep(polling.pollIntervalMs);
        break;
      case 'FAILED':
      case 'EXPIRED':
        throw new ReportRetry(new TransientPlatformError(`Pinterest ${getEndpoint}: report ${status.report_status}`, context));
      default:
        throw new PlatformRequestError(`Pinterest ${getEndpoint}: report ${status.report_status}`, context);
    }
  }
  const download = url;
  const endpoint = 'GET (report download)';
  return ctx.call(async () => {
    const file = await ctx.client.download(download, ReportFile);
    const seen = new Set<string>();
    return Object.entries(file).flatMap(([key, rows]) =>
      rows.map((row, i) => {
        const path = `${JSON.stringify(key)}[${i}]`;
        if (row.AD_GROUP_ID !== key) throw ctx.malformed(endpoint, `${path}.AD_GROUP_ID`, `is ${row.AD_GROUP_ID}, filed under ${key}`);
        const metric = toDailyMetric(ctx, account, row, campaignOf.get(row.AD_GROUP_ID), { endpoint, path, ...slice });
        const id = `${metric.adsetId}|${metric.date}`;
        if (seen.has(id)) throw ctx.malformed(endpoint, path, `repeats ad group ${metric.adsetId} on ${metric.date}`);
        seen.add(id);
        return metric;
      }),
    );
  });
}
