/**
 * The Meta connector: the PlatformConnector port over the Graph API (ad accounts, ad sets with their learning
 * phase, daily insights per ad set, ad-set and campaign (CBO) daily budgets, ad-set status), with bounded retries
 * for throttles and transient errors, a pause when the usage headers near a quota, and async report runs for long
 * ranges. This file assembles it; the parts are adsets.ts (ad sets and campaign budgets), insights.ts (daily
 * rows, sync or async-insights.ts report runs), hourly.ts (hourly rows), daily-budgets.ts and statuses.ts (the
 * writes), ads.ts (the ad level), over client.ts and the shared context.ts.
 *
 * @example
 *   const meta = createMetaConnector({ apiVersion: 'v25.0', accessToken: token, purchaseActionType: 'omni_purchase' });
 *   const account = await meta.getAccount('act_1000000001');
 *   const rows = await meta.fetchDailyMetrics(account, '2026-10-01', '2026-10-28');   // sync: 28 days
 *   const year = await meta.fetchDailyMetrics(account, '2025-11-01', '2026-10-31');   // async report runs: > 31 days
 *   const [adset] = await meta.listAdSets(account);
 *   const write = await meta.setDailyBudget(adset, 450_000_000); // 450.00; a CBO ad set writes its campaign's budget
 *   await meta.setStatus(adset, 'PAUSED');                        // POST /{adset_id} status=PAUSED → { readBack: 'PAUSED' }
 *   const ads = await meta.getAds(account, ['2385000000000201']);  // GET /act_{id}/ads filtered on id
 *   await meta.fetchAdDailyMetrics(account, [ads[0].adId], '2026-10-01', '2026-10-14'); // insights level=ad
 *   await meta.setAdStatus(ads[0], 'PAUSED');                     // POST /{ad_id} status=PAUSED
 */
import type { Ad, AdAccount, AdDailyMetric, AdSet, DailyMetric } from '../../model/ads.ts';
import type { LocalDate } from '../../model/dates.ts';
import type { AdLevelSource } from '../ads.ts';
import type { HourlyMetric, HourlyMetricsSource } from '../hourly.ts';
import type { BudgetWrite, Fetch, PlatformConnector, StatusWrite, WritableStatus } from '../port.ts';
import { type RetryOptions, retryPolicy } from '../retry.ts';
import { MetaAdLevel } from './ads.ts';
import { listAdSets, listCampaignBudgets, type MetaCampaignBudget } from './adsets.ts';
import { MetaGraphClient } from './client.ts';
import { type MetaContext, metaAccountNode, metaContext } from './context.ts';
import { MetaDailyBudgets } from './daily-budgets.ts';
import { fetchHourlyMetrics } from './hourly.ts';
import { DEFAULT_ASYNC_AFTER_DAYS, MetaInsights } from './insights.ts';
import { MetaAccount } from './schemas.ts';
import { setStatus } from './statuses.ts';

export type { MetaCampaignBudget } from './adsets.ts';
export { metaAccountNode } from './context.ts';
export { DEFAULT_ASYNC_AFTER_DAYS } from './insights.ts';

export const DEFAULT_META_BASE_URL = 'https://graph.facebook.com';

export interface MetaConnectorOptions extends RetryOptions {
  /** Graph API origin; default https://graph.facebook.com (or a sandbox, proxy or the fake). */
  readonly baseUrl?: string;
  /** e.g. "v25.0". */
  readonly apiVersion: string;
  readonly accessToken: string;
  /** The one action type counted as a purchase (e.g. omni_purchase); the other purchase types repeat the same events. */
  readonly purchaseActionType: string;
  readonly fetch?: Fetch;
  /** Timeout per request (default 30 s). */
  readonly timeoutMs?: number;
  /** `limit` asked per page (default 500). */
  readonly pageSize?: number;
  /** Ranges of more days than this use async report runs (default 31). */
  readonly asyncAfterDays?: number;
  /** Wait between polls of an async report run (default 10 s; through `sleep`). */
  readonly asyncPollIntervalMs?: number;
  /** Polls before a report run counts as failed and its range is split (default 360: an hour at 10 s). */
  readonly asyncMaxPolls?: number;
  /** Usage percentage in Meta's usage headers from which the next request pauses (default 90). */
  readonly usagePausePct?: number;
}

/** The Meta connector: the port, plus the campaign budgets that CBO ad sets share, hourly delivery and single ads. */
export interface MetaConnector extends PlatformConnector, HourlyMetricsSource, AdLevelSource {
  /** Every campaign of the account with its budget (the budget CBO ad sets share). */
  listCampaignBudgets(account: AdAccount): Promise<MetaCampaignBudget[]>;
}

const ACCOUNT_FIELDS = 'currency,timezone_name,name,timezone_offset_hours_utc';

/** Creates the Meta connector (PlatformConnector, plus campaign budgets) for one access token. */
export function createMetaConnector(options: MetaConnectorOptions): MetaConnector {
  return new MetaGraphConnector(options);
}

class MetaGraphConnector implements MetaConnector {
  readonly platform = 'meta' as const;
  private readonly ctx: MetaContext;
  private readonly insights: MetaInsights;
  private readonly budgets: MetaDailyBudgets;
  private readonly adLevel: MetaAdLevel;

  constructor(options: MetaConnectorOptions) {
    const retry = retryPolicy(options, 4);
    const client = new MetaGraphClient({
      baseUrl: options.baseUrl ?? DEFAULT_META_BASE_URL,
      apiVersion: options.apiVersion,
      accessToken: options.accessToken,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 30_000,
      sleep: retry.sleep,
      maxUsagePauseMs: retry.maxWaitMs,
      ...(options.usagePausePct === undefined ? {} : { usagePausePct: options.usagePausePct }),
    });
    this.ctx = metaContext(client, retry, options.pageSize ?? 500);
    this.insights = new MetaInsights(this.ctx, {
      purchaseActionType: options.purchaseActionType,
      asyncAfterDays: options.asyncAfterDays ?? DEFAULT_ASYNC_AFTER_DAYS,
      polls: { pollIntervalMs: options.asyncPollIntervalMs ?? 10_000, maxPolls: options.asyncMaxPolls ?? 360 },
    });
    this.budgets = new MetaDailyBudgets(this.ctx);
    this.adLevel = new MetaAdLevel(this.ctx, this.insights);
  }

  async getAccount(accountId: string): Promise<AdAccount> {
    const { client, call } = this.ctx;
    const node = metaAccountNode(accountId);
    const account = await call(() => client.get(`/${node}`, { fields: ACCOUNT_FIELDS }, MetaAccount));
    return { platform: 'meta', accountId: node, name: account.name, currency: account.currency, timezone: account.timezone_name };
  }

  listAdSets(account: AdAccount): Promise<AdSet[]> {
    return listAdSets(this.ctx, account);
  }

  listCampaignBudgets(account: AdAccount): Promise<MetaCampaignBudget[]> {
    return listCampaignBudgets(this.ctx, account);
  }

  /** See MetaInsights.fetchDailyMetrics: sync up to `asyncAfterDays` days, async report runs beyond. */
  fetchDailyMetrics(account: AdAccount, from: LocalDate, to: LocalDate): Promise<DailyMetric[]> {
    return this.insights.fetchDailyMetrics(account, from, to);
  }

  fetchHourlyMetrics(account: AdAccount, date: LocalDate): Promise<HourlyMetric[]> {
    return fetchHourlyMetrics(this.ctx, account, date);
  }

  /** See MetaAdLevel.getAds: `GET /act_{id}/ads` filtered on `id`. */
  getAds(account: AdAccount, adIds: readonly string[]): Promise<Ad[]> {
    return this.adLevel.getAds(account, adIds);
  }

  /** See MetaAdLevel.fetchAdDailyMetrics: insights at `level=ad`, filtered on `ad.id`, sync or async as fetchDailyMetrics. */
  fetchAdDailyMetrics(account: AdAccount, adIds: readonly string[], from: LocalDate, to: LocalDate): Promise<AdDailyMetric[]> {
    return this.adLevel.fetchAdDailyMetrics(account, adIds, from, to);
  }

  /** See MetaAdLevel.setAdStatus: `POST /{ad_id}` with `status`, read back. */
  setAdStatus(ad: Ad, status: WritableStatus): Promise<StatusWrite> {
    return this.adLevel.setAdStatus(ad, status);
  }

  /** See MetaDailyBudgets.setDailyBudget: rounded down, checked against Meta's minimum, read back; CBO writes the campaign. */
  setDailyBudget(adset: AdSet, dailyBudgetMicros: number, options: { validateOnly?: boolean } = {}): Promise<BudgetWrite> {
    return this.budgets.setDailyBudget(adset, dailyBudgetMicros, options);
  }

  /** See MetaDailyBudgets.getDailyBudget: the ad set's own daily budget, or its campaign's under CBO. */
  getDailyBudget(adset: AdSet): Promise<number | null> {
    return this.budgets.getDailyBudget(adset);
  }

  /** See statuses.ts setStatus: `POST /{adset_id}` with `status`, read back. */
  setStatus(adset: AdSet, status: WritableStatus): Promise<StatusWrite> {
    return setStatus(this.ctx, adset, status);
  }
}
