/**
 * Meta's daily insights (PLATFORM_APIS.md §1): `GET /act_{id}/insights` with `time_increment=1`, read on the sync
 * edge for short ranges and with async report runs (async-insights.ts) for long or "too large" ones, each row checked
 * (one day, the account's currency) and normalized into a DailyMetric that counts the configured purchase type only.
 * The ad level (ads.ts) reads its `level=ad` rows through the same choice and the same row mapping.
 */
import type { z } from 'zod';
import type { AdAccount, DailyMetric } from '../../model/ads.ts';
import { daysBetween, type LocalDate } from '../../model/dates.ts';
import { decimalToMicros } from '../../model/money.ts';
import { MalformedResponseError } from '../errors.ts';
import { AsyncInsights, type AsyncInsightsOptions, type InsightsChunk } from './async-insights.ts';
import { type MetaContext, type MetaPage, metaAccountNode, rowField } from './context.ts';
import { InsightsTooLargeError } from './errors.ts';
import { type MetaActionStat, MetaAdInsightsPage, type MetaAdInsightsRow, MetaInsightsPage, type MetaInsightsRow } from './schemas.ts';

/**
 * Ranges longer than this many days are read with async report runs. 31 keeps the hourly re-read of Meta's 28-day
 * restatement window synchronous (one request per page) and sends backfills and month-plus pulls, which Meta's
 * best practices call "large", to the async path, where a timeout cannot lose the whole request.
 */
export const DEFAULT_ASYNC_AFTER_DAYS = 31;

const INSIGHTS_FIELDS = 'account_currency,campaign_id,adset_id,date_start,date_stop,spend,impressions,clicks,actions,action_values';

export interface MetaInsightsOptions {
  /** The one action type counted as a purchase (e.g. omni_purchase); the other purchase types repeat the same events. */
  readonly purchaseActionType: string;
  /** Ranges of more days than this use async report runs. */
  readonly asyncAfterDays: number;
  /** Polling of async report runs. */
  readonly polls: AsyncInsightsOptions;
}

/** The insights reads of one connector: ad-set rows, and the ad-level rows the ad level asks for. */
export class MetaInsights {
  private readonly adSetRuns: AsyncInsights<MetaInsightsRow>;
  private readonly adRuns: AsyncInsights<MetaAdInsightsRow>;

  constructor(
    private readonly ctx: MetaContext,
    private readonly options: MetaInsightsOptions,
  ) {
    const { client, retry, pageSize, collect } = ctx;
    this.adSetRuns = new AsyncInsights(client, retry, options.polls, (path, params) => collect(path, params, MetaInsightsPage), pageSize);
    this.adRuns = new AsyncInsights(client, retry, options.polls, (path, params) => collect(path, params, MetaAdInsightsPage), pageSize);
  }

  /**
   * Insights per ad set per account-local day. Up to `asyncAfterDays` days: the sync edge; longer, or when Meta
   * answers the sync call with "use a smaller range or async" (InsightsTooLargeError): async report runs, whose
   * failed jobs are split in halves down to single days. Rows come back only when every page of every part parsed.
   */
  async fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    const params = { level: 'adset', time_increment: '1', fields: INSIGHTS_FIELDS };
    const chunks = await this.insights(account, params, from, to, MetaInsightsPage, this.adSetRuns);
    return chunks.flatMap((chunk) =>
      chunk.pages.flatMap((page, p) => page.map((row, i) => this.toDailyMetric(row, account, chunk.endpoint, p, i))),
    );
  }

  /** The `level=ad` insights of [from, to] with `params` (fields, filtering), sync or async as fetchDailyMetrics. */
  adInsights(
    account: AdAccount,
    params: Readonly<Record<string, string>>,
    from: LocalDate,
    to: LocalDate,
  ): Promise<InsightsChunk<MetaAdInsightsRow>[]> {
    return this.insights(account, params, from, to, MetaAdInsightsPage, this.adRuns);
  }

  /** One insights row as a DailyMetric; a row of several days or another currency is a MalformedResponseError. */
  toDailyMetric(row: MetaInsightsRow, account: AdAccount, endpoint: string, page: number, index: number): DailyMetric {
    const field = rowField(page, index);
    const fail = (name: string, why: string) =>
      new MalformedResponseError(`Meta ${endpoint}: ${field(name)} ${why}`, { platform: 'meta', endpoint, status: 200 }, field(name));
    if (row.date_start !== row.date_stop)
      throw fail('date_stop', `spans ${row.date_start}..${row.date_stop}, expected one day (time_increment=1)`);
    if (row.account_currency !== account.currency)
      throw fail('account_currency', `is ${row.account_currency}, the account reports in ${account.currency}`);
    const purchases = this.purchase(row.actions);
    const revenue = this.purchase(row.action_values);
    return {
      platform: 'meta',
      accountId: account.accountId,
      adsetId: row.adset_id,
      campaignId: row.campaign_id,
      date: row.date_start,
      currency: account.currency,
      spendMicros: decimal(row.spend, endpoint, field('spend')),
      revenueMicros: revenue ? decimal(revenue.stat.value, endpoint, field(`action_values[${revenue.index}].value`)) : 0,
      impressions: count(row.impressions, endpoint, field('impressions')),
      clicks: count(row.clicks, endpoint, field('clicks')),
      // Counts can be modelled (fractional); the metric row keeps whole conversions.
      conversions: purchases ? conversions(purchases.stat.value, endpoint, field(`actions[${purchases.index}].value`)) : 0,
    };
  }

  /**
   * The insights of [from, to] with `params` (level, fields, filtering): up to `asyncAfterDays` days the sync edge;
   * longer, or when Meta answers "use a smaller range or async" (InsightsTooLargeError), async report runs.
   */
  private async insights<Row>(
    account: AdAccount,
    params: Readonly<Record<string, string>>,
    from: LocalDate,
    to: LocalDate,
    schema: z.ZodType<MetaPage<Row>>,
    asyncInsights: AsyncInsights<Row>,
  ): Promise<InsightsChunk<Row>[]> {
    const node = metaAccountNode(account.accountId);
    const path = `/${node}/insights`;
    if (daysBetween(from, to) + 1 > this.options.asyncAfterDays) return asyncInsights.fetch(node, params, from, to);
    try {
      const query = { ...params, time_range: JSON.stringify({ since: from, until: to }), limit: String(this.ctx.pageSize) };
      return [{ endpoint: this.ctx.client.endpoint('GET', path), pages: await this.ctx.collect(path, query, schema) }];
    } catch (error) {
      if (!(error instanceof InsightsTooLargeError)) throw error;
      return asyncInsights.fetch(node, params, from, to);
    }
  }

  /** The entry of the configured purchase type only: summing omni_purchase, purchase and the pixel type would double count. */
  private purchase(stats: readonly MetaActionStat[] | undefined): { stat: MetaActionStat; index: number } | undefined {
    const index = stats?.findIndex((s) => s.action_type === this.options.purchaseActionType) ?? -1;
    const stat = stats?.[index];
    return stat ? { stat, index } : undefined;
  }
}

function decimal(value: string, endpoint: string, field: string): number {
  try {
    return decimalToMicros(value);
  } catch (error) {
    throw new MalformedResponseError(
      `Meta ${endpoint}: ${field} is not an exact amount (${JSON.stringify(value)})`,
      { platform: 'meta', endpoint, cause: error },
      field,
    );
  }
}

function count(value: string, endpoint: string, field: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new MalformedResponseError(`Meta ${endpoint}: ${field} is out of range`, { platform: 'meta', endpoint }, field);
  return n;
}

/** A purchase count, read exactly like an amount (it may be modelled, so fractional) and rounded to whole conversions. */
function conversions(value: string, endpoint: string, field: string): number {
  return Math.round(decimal(value, endpoint, field) / 1_000_000);
}
