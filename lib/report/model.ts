/**
 * The weekly ROI report model: pure, from plain data (store rows, config) to a WeeklyReport.
 * Amounts are converted row by row into the reporting currency (see currency.ts for the
 * rounding) and then only added, so every line adds up exactly to the lines above it.
 */
import { type AdAccount, type AdSet, PLATFORMS, type Platform, type StoredDailyMetric } from '../model/ads.ts';
import { addDays, daysBetween, isLocalDate, type LocalDate } from '../model/dates.ts';
import type { AnomalyRecord, BudgetChangeRecord, PlannedChange, TestEvaluationRecord } from '../store/records.ts';
import { type CurrencyConverter, makeConverter } from './currency.ts';
import type { ResponseCurve } from './effects.ts';
import { InvalidReportInputError } from './errors.ts';
import { addRow, changesBetween, emptySums, toFigures, type WeekSums } from './figures.ts';
import { type EffectContext, planMoves, weekMoves } from './moves.ts';
import { compareText, descending } from './order.ts';
import type { AdSetLine, CampaignLine, PlatformLine, ReportAnomaly, ReportTest, TotalsLine, TrendPoint, WeeklyReport } from './report.ts';
import { assertReportWeek, type ReportWeek, shiftWeek } from './week.ts';

/** Weeks in the trend: the reported week and the four before it. */
export const TREND_WEEKS = 5;
const CURRENT = TREND_WEEKS - 1;
const PREVIOUS = TREND_WEEKS - 2;

export interface WeeklyReportInput {
  readonly client: string;
  /** Client time zone (IANA); the week and `today` are calendar dates there. */
  readonly timezone: string;
  readonly reportingCurrency: string;
  /** 1 unit of the key currency = rate units of the reporting currency. */
  readonly exchangeRates: Readonly<Record<string, number>>;
  /** Account-local Monday..Sunday. */
  readonly week: ReportWeek;
  readonly today: LocalDate;
  readonly objective: 'revenue' | 'conversions';
  readonly accounts: readonly AdAccount[];
  readonly adsets: readonly AdSet[];
  /** Rows of this week and the four weeks before; rows outside are ignored. */
  readonly metrics: readonly StoredDailyMetric[];
  /** Days each platform may still restate; a missing platform counts as 0 (final once the day is over). */
  readonly restatementDays: Readonly<Partial<Record<Platform, number>>>;
  /** Changes applied in the week (taken as given, not filtered by date). */
  readonly changes: readonly BudgetChangeRecord[];
  /** Anomalies of the week (taken as given). */
  readonly anomalies: readonly AnomalyRecord[];
  readonly tests: readonly { testId: string; decision: TestEvaluationRecord['decision']; summary: string }[];
  readonly nextPlan?: { readonly planId?: string | null; readonly changes: readonly PlannedChange[] } | undefined;
  /** The response curve each change (this week's and next week's) was planned with, by change id; none: no estimates. */
  readonly curves?: ReadonlyMap<string, ResponseCurve>;
}

/** Per-week sums of one entity, index 0 = four weeks before, CURRENT = the reported week. */
type WeekSeries = WeekSums[];

function newSeries(): WeekSeries {
  return Array.from({ length: TREND_WEEKS }, emptySums);
}

function at(series: WeekSeries, index: number): WeekSums {
  return series[index] ?? emptySums();
}

const key = (...parts: string[]) => parts.join('\u0000');

/** Builds the weekly report; throws MissingExchangeRateError or InvalidReportInputError on bad input. */
export function buildWeeklyReport(input: WeeklyReportInput): WeeklyReport {
  assertInput(input);
  const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => shiftWeek(input.week, i - CURRENT));
  const trendStart = (weeks[0] as ReportWeek).from;
  const rows = input.metrics.filter((m) => m.date >= trendStart && m.date <= input.week.to);
  const { convert, used } = makeConverter(input.reportingCurrency, input.exchangeRates, [
    ...rows.map((r) => r.currency),
    ...input.changes.map((c) => c.currency),
    ...(input.nextPlan?.changes ?? []).map((c) => c.currency),
  ]);

  const totals = newSeries();
  const platforms = new Map<Platform, WeekSeries>();
  const campaigns = new Map<string, { platform: Platform; accountId: string; campaignId: string; series: WeekSeries }>();
  const adsets = new Map<string, { row: StoredDailyMetric; series: WeekSeries }>();
  for (const row of rows) {
    const week = Math.floor(daysBetween(trendStart, row.date) / 7);
    const sums = convertRow(row, convert, isProvisional(row, input));
    addRow(at(totals, week), sums);
    addRow(at(getOrAdd(platforms, row.platform, newSeries), week), sums);
    const campaign = getOrAdd(campaigns, key(row.platform, row.accountId, row.campaignId), () => ({
      platform: row.platform,
      accountId: row.accountId,
      campaignId: row.campaignId,
      series: newSeries(),
    }));
    addRow(at(campaign.series, week), sums);
    const adset = getOrAdd(adsets, key(row.platform, row.accountId, row.adsetId), () => ({ row, series: newSeries() }));
    // The latest row names the ad set's campaign when the entity list does not.
    if (row.date > adset.row.date) adset.row = row;
    addRow(at(adset.series, week), sums);
  }

  const names = entityNames(input);
  const platformLines: PlatformLine[] = [...platforms]
    .filter(([, series]) => inReport(series))
    .map(([platform, series]) => {
      const days = input.restatementDays[platform] ?? 0;
      return { platform, ...line(series), restatementDays: days, finalOn: addDays(input.week.to, days), trend: trend(series, weeks) };
    })
    .sort(
      (a, b) => descending(a.current.spendMicros, b.current.spendMicros) || PLATFORMS.indexOf(a.platform) - PLATFORMS.indexOf(b.platform),
    );

  const campaignLines: CampaignLine[] = [...campaigns.values()]
    .filter((c) => inReport(c.series))
    .map((c) => ({
      platform: c.platform,
      accountId: c.accountId,
      campaignId: c.campaignId,
      name: names.campaign(c.platform, c.accountId, c.campaignId),
      ...line(c.series),
    }))
    .sort((a, b) => byWeeks(a, b) || compareText(a.name, b.name) || compareText(a.campaignId, b.campaignId));

  const adsetLines: AdSetLine[] = [...adsets.values()]
    .filter((a) => inReport(a.series))
    .map(({ row, series }) => {
      const entity = names.adset(row.platform, row.accountId, row.adsetId);
      const campaignId = entity?.campaignId ?? row.campaignId;
      return {
        platform: row.platform,
        accountId: row.accountId,
        accountName: names.account(row.platform, row.accountId),
        campaignId,
        campaignName: names.campaign(row.platform, row.accountId, campaignId),
        adsetId: row.adsetId,
        name: entity?.name || row.adsetId,
        status: entity?.status ?? null,
        learning: entity?.learning ?? false,
        ...line(series),
      };
    })
    .sort((a, b) => byWeeks(a, b) || compareText(a.name, b.name) || compareText(a.adsetId, b.adsetId));

  const totalsLine: TotalsLine = { ...line(totals), trend: trend(totals, weeks) };
  const effects: EffectContext | undefined = input.curves
    ? { objective: input.objective, curves: input.curves, timezone: input.timezone, weekTo: input.week.to }
    : undefined;
  return {
    version: 1,
    client: input.client,
    timezone: input.timezone,
    currency: input.reportingCurrency,
    objective: input.objective,
    week: { ...input.week },
    previousWeek: { ...(weeks[PREVIOUS] as ReportWeek) },
    today: input.today,
    totals: totalsLine,
    platforms: platformLines,
    campaigns: campaignLines,
    adsets: adsetLines,
    budgetMoves: weekMoves(input.changes, convert, effects),
    anomalies: input.anomalies.map(toAnomaly).sort(bySeverity),
    tests: input.tests.map(toTest).sort((a, b) => Number(b.concluded) - Number(a.concluded) || compareText(a.testId, b.testId)),
    nextPlan: input.nextPlan ? planMoves(input.nextPlan, convert, effects) : null,
    exchangeRates: used,
  };
}

/** A row is provisional while the platform may still restate it: date > today − restatementDays. */
function isProvisional(row: StoredDailyMetric, input: WeeklyReportInput): boolean {
  return row.date > addDays(input.today, -(input.restatementDays[row.platform] ?? 0));
}

function assertInput(input: WeeklyReportInput): void {
  assertReportWeek(input.week);
  if (!isLocalDate(input.today)) throw new InvalidReportInputError('today', `must be a calendar date, got ${JSON.stringify(input.today)}`);
  if (!/^[A-Z]{3}$/.test(input.reportingCurrency)) {
    throw new InvalidReportInputError('reportingCurrency', `must be an ISO 4217 code, got ${JSON.stringify(input.reportingCurrency)}`);
  }
  for (const [platform, days] of Object.entries(input.restatementDays)) {
    if (!Number.isSafeInteger(days) || (days as number) < 0) {
      throw new InvalidReportInputError(`restatementDays.${platform}`, `must be a non-negative integer, got ${days}`);
    }
  }
}

function convertRow(row: StoredDailyMetric, convert: CurrencyConverter, provisional: boolean): WeekSums {
  return {
    spendMicros: convert(row.spendMicros, row.currency),
    revenueMicros: convert(row.revenueMicros, row.currency),
    conversions: row.conversions,
    rows: 1,
    provisional,
  };
}

function getOrAdd<K, V>(map: Map<K, V>, k: K, create: () => V): V {
  let value = map.get(k);
  if (value === undefined) {
    value = create();
    map.set(k, value);
  }
  return value;
}

/** Entities appear when they had rows this week or last week. */
function inReport(series: WeekSeries): boolean {
  return at(series, CURRENT).rows > 0 || at(series, PREVIOUS).rows > 0;
}

function line(series: WeekSeries) {
  const current = toFigures(at(series, CURRENT));
  const previous = toFigures(at(series, PREVIOUS));
  return {
    current,
    previous,
    change: changesBetween(current, previous),
    provisional: at(series, CURRENT).provisional,
    previousProvisional: at(series, PREVIOUS).provisional,
  };
}

function trend(series: WeekSeries, weeks: readonly ReportWeek[]): TrendPoint[] {
  return weeks.map((week, i) => ({ ...week, ...toFigures(at(series, i)), provisional: at(series, i).provisional }));
}

function byWeeks(a: ReturnType<typeof line>, b: ReturnType<typeof line>): number {
  return descending(a.current.spendMicros, b.current.spendMicros) || descending(a.previous.spendMicros, b.previous.spendMicros);
}

function entityNames(input: WeeklyReportInput) {
  const accounts = new Map(input.accounts.map((a) => [key(a.platform, a.accountId), a.name]));
  const adsets = new Map(input.adsets.map((a) => [key(a.platform, a.accountId, a.adsetId), a]));
  const campaigns = new Map<string, string>();
  for (const a of input.adsets) {
    const k = key(a.platform, a.accountId, a.campaignId);
    if (a.campaignName && !campaigns.has(k)) campaigns.set(k, a.campaignName);
  }
  return {
    account: (platform: Platform, accountId: string) => accounts.get(key(platform, accountId)) || accountId,
    adset: (platform: Platform, accountId: string, adsetId: string) => adsets.get(key(platform, accountId, adsetId)),
    campaign: (platform: Platform, accountId: string, campaignId: string) =>
      campaigns.get(key(platform, accountId, campaignId)) ?? campaignId,
  };
}

const SEVERITY_RANK = { high: 0, medium: 1, low: 2 } as const;

function bySeverity(a: ReportAnomaly, b: ReportAnomaly): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareText(a.date, b.date) ||
    compareText(a.adsetName, b.adsetName) ||
    compareText(a.anomalyId, b.anomalyId)
  );
}

function toAnomaly({ detectedAt: _detectedAt, ...anomaly }: AnomalyRecord): ReportAnomaly {
  return anomaly;
}

function toTest(t: WeeklyReportInput['tests'][number]): ReportTest {
  return { testId: t.testId, decision: t.decision, summary: t.summary, concluded: t.decision !== 'continue' };
}

export type { WeeklyReport } from './report.ts';
