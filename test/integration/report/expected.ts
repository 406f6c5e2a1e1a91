/**
 * The weekly report's figures recomputed straight from store rows, independently of lib/report:
 * literal week dates, exchange rates read as decimal strings and applied in BigInt with
 * round-half-even per row, local dates of instants through Intl, plain sums and ratios.
 */
import type { AdSet, StoredDailyMetric } from '../../../lib/model/ads.ts';
import type { AnomalyRecord, BudgetChangeRecord, BudgetPlan } from '../../../lib/store/records.ts';
import type { Store } from '../../../lib/store/store.ts';

export interface StoreSnapshot {
  readonly adsets: AdSet[];
  readonly rows: StoredDailyMetric[];
  readonly changes: BudgetChangeRecord[];
  readonly anomalies: AnomalyRecord[];
  /** The latest plan: next week's plan in the report. */
  readonly latestPlan: BudgetPlan | undefined;
}

/** What the store holds that a report reads, dated from..to (anomalies are read day by day: keep the range short). */
export async function snapshot(store: Store, from: string, to: string): Promise<StoreSnapshot> {
  const rows: StoredDailyMetric[] = [];
  for (const a of await store.listAccounts()) rows.push(...(await store.metricsForAccount(a.platform, a.accountId, from, to)));
  const adsets = await store.listAdSets();
  const changes: BudgetChangeRecord[] = [];
  for (const a of adsets) changes.push(...(await store.changesForAdSet(a.platform, a.adsetId)));
  return {
    adsets,
    rows,
    changes,
    anomalies: await store.anomaliesBetween(from, to),
    latestPlan: (await store.listPlans(1))[0],
  };
}

export interface Week {
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

export interface ExpectedSetup {
  readonly reportingCurrency: string;
  /** Rates as written in the config, as decimal strings ("1.1587"). */
  readonly rates: Readonly<Record<string, string>>;
  readonly timezone: string;
  /** Oldest first; the last is the reported week. */
  readonly weeks: readonly Week[];
  /** Rows dated after this day are provisional (today − restatement window), per platform. */
  readonly provisionalAfter: Readonly<Record<string, string>>;
}

/** round(a / b), ties to even, for non-negative a and positive b. */
function halfEven(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r2 = (a % b) * 2n;
  return r2 > b || (r2 === b && q % 2n === 1n) ? q + 1n : q;
}

/** Micros of `currency` in reporting micros: × rate exactly, rounded once to the micro. */
export function converter(setup: ExpectedSetup): (micros: number, currency: string) => number {
  return (micros, currency) => {
    if (currency === setup.reportingCurrency) return micros;
    const rate = setup.rates[currency];
    if (rate === undefined) throw new Error(`test setup has no rate for ${currency}`);
    const [whole, frac = ''] = rate.split('.');
    const scaled = halfEven(BigInt(Math.abs(micros)) * BigInt(`${whole}${frac}`), 10n ** BigInt(frac.length));
    return Number(micros < 0 ? -scaled : scaled);
  };
}

interface GroupKey {
  readonly platform: string;
  readonly accountId?: string;
  readonly campaignId?: string;
  readonly adsetId?: string;
}

interface Sums {
  spendMicros: number;
  revenueMicros: number;
  conversions: number;
  rows: number;
  provisional: boolean;
}

function figures(s: Sums) {
  return {
    spendMicros: s.spendMicros,
    revenueMicros: s.revenueMicros,
    conversions: s.conversions,
    roas: s.spendMicros === 0 ? null : s.revenueMicros / s.spendMicros,
    cpaMicros: s.conversions === 0 ? null : Number(halfEven(BigInt(s.spendMicros), BigInt(s.conversions))),
  };
}

const change = (c: number | null, p: number | null) => (c === null || p === null || p === 0 ? null : (c - p) / p);

function line(series: Sums[]) {
  const current = figures(series.at(-1) as Sums);
  const previous = figures(series.at(-2) as Sums);
  return {
    current,
    previous,
    change: {
      spend: change(current.spendMicros, previous.spendMicros),
      revenue: change(current.revenueMicros, previous.revenueMicros),
      conversions: change(current.conversions, previous.conversions),
      roas: change(current.roas, previous.roas),
      cpa: change(current.cpaMicros, previous.cpaMicros),
    },
    provisional: (series.at(-1) as Sums).provisional,
    previousProvisional: (series.at(-2) as Sums).provisional,
  };
}

/** The calendar date of an instant in a time zone, by Intl (en-CA prints YYYY-MM-DD). */
export function localDate(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/** The parts of the report model that follow from the store: lines, trends, moves, anomalies, rates. */
export function expectedReport(data: StoreSnapshot, setup: ExpectedSetup) {
  const convert = converter(setup);
  const { weeks } = setup;
  const week = weeks.at(-1) as Week;
  const weekIndex = (date: string) => weeks.findIndex((w) => date >= w.from && date <= w.to);
  const groups = new Map<string, { key: GroupKey; series: Sums[] }>();
  const add = (id: string, key: GroupKey, index: number, row: StoredDailyMetric) => {
    let group = groups.get(id);
    if (!group) {
      group = { key, series: weeks.map(() => ({ spendMicros: 0, revenueMicros: 0, conversions: 0, rows: 0, provisional: false })) };
      groups.set(id, group);
    }
    const s = group.series[index] as Sums;
    s.spendMicros += convert(row.spendMicros, row.currency);
    s.revenueMicros += convert(row.revenueMicros, row.currency);
    s.conversions += row.conversions;
    s.rows += 1;
    s.provisional ||= row.date > (setup.provisionalAfter[row.platform] ?? '9999-12-31');
  };
  for (const row of data.rows) {
    const i = weekIndex(row.date);
    if (i < 0) continue;
    add('total', { platform: '*' }, i, row);
    add(`platform|${row.platform}`, { platform: row.platform }, i, row);
    add(
      `campaign|${row.platform}|${row.accountId}|${row.campaignId}`,
      { platform: row.platform, accountId: row.accountId, campaignId: row.campaignId },
      i,
      row,
    );
    add(
      `adset|${row.platform}|${row.accountId}|${row.adsetId}`,
      { platform: row.platform, accountId: row.accountId, adsetId: row.adsetId },
      i,
      row,
    );
  }
  const trend = (series: Sums[]) =>
    weeks.map((w, i) => ({ ...w, ...figures(series[i] as Sums), provisional: (series[i] as Sums).provisional }));
  // Listed when they have rows this week or last week.
  const listed = (prefix: string) =>
    [...groups.entries()]
      .filter(([id, g]) => id.startsWith(prefix) && ((g.series.at(-1) as Sums).rows > 0 || (g.series.at(-2) as Sums).rows > 0))
      .map(([, g]) => g);
  const adsetOf = (k: GroupKey) =>
    data.adsets.find((a) => a.platform === k.platform && a.accountId === k.accountId && a.adsetId === k.adsetId);
  const total = groups.get('total') as { series: Sums[] };

  const weekChanges = data.changes.filter((c) => {
    const day = localDate(c.appliedAt, setup.timezone);
    return day >= week.from && day <= week.to;
  });
  const moved = weekChanges
    .filter((c) => c.outcome === 'applied' || c.outcome === 'reverted')
    .map((c) => convert(c.afterMicros - c.beforeMicros, c.currency));
  const increase = moved.filter((d) => d > 0).reduce((s, d) => s + d, 0);
  const decrease = 0 - moved.filter((d) => d < 0).reduce((s, d) => s + d, 0);
  const planned = data.latestPlan?.changes ?? [];
  const currencies = new Set([
    ...data.rows.filter((r) => weekIndex(r.date) >= 0).map((r) => r.currency),
    ...weekChanges.map((c) => c.currency),
    ...planned.map((c) => c.currency),
  ]);

  return {
    totals: { ...line(total.series), trend: trend(total.series) },
    platforms: listed('platform|').map((g) => ({ platform: g.key.platform, ...line(g.series), trend: trend(g.series) })),
    campaigns: listed('campaign|').map((g) => ({
      ...g.key,
      name:
        data.adsets.find((a) => a.platform === g.key.platform && a.accountId === g.key.accountId && a.campaignId === g.key.campaignId)
          ?.campaignName || (g.key.campaignId as string),
      ...line(g.series),
    })),
    adsets: listed('adset|').map((g) => {
      const entity = adsetOf(g.key);
      return {
        ...g.key,
        name: entity?.name || g.key.adsetId,
        campaignName: entity?.campaignName || entity?.campaignId,
        status: entity?.status ?? null,
        ...line(g.series),
      };
    }),
    budgetMoves: {
      moves: weekChanges
        .map((c) => ({
          changeId: c.changeId,
          outcome: c.outcome,
          deltaReportingMicros: convert(c.afterMicros - c.beforeMicros, c.currency),
        }))
        .sort((a, b) => a.changeId.localeCompare(b.changeId)),
      summary: {
        applied: weekChanges.filter((c) => c.outcome === 'applied').length,
        reverted: weekChanges.filter((c) => c.outcome === 'reverted').length,
        failed: weekChanges.filter((c) => c.outcome === 'failed').length,
        skipped: weekChanges.filter((c) => c.outcome === 'skipped').length,
        increaseMicros: increase,
        decreaseMicros: decrease,
        netMicros: increase - decrease,
      },
    },
    nextPlan: data.latestPlan
      ? planned
          .map((c) => ({ changeId: c.changeId, deltaReportingMicros: convert(c.afterMicros - c.beforeMicros, c.currency) }))
          .sort((a, b) => a.changeId.localeCompare(b.changeId))
      : null,
    anomalies: data.anomalies
      .filter((a) => a.date >= week.from && a.date <= week.to)
      .map((a) => a.anomalyId)
      .sort(),
    exchangeRates: [...currencies]
      .filter((c) => c !== setup.reportingCurrency)
      .sort()
      .map((currency) => ({ currency, rate: Number(setup.rates[currency]) })),
  };
}
