/**
 * Nowcasting immature days from the store's own rows: how complete a day's conversions are N days after it
 * ended, per platform, with uncertainty, so the response model reads a young day as a thinned observation
 * instead of as final.
 *
 * The store keeps the latest value of each day (with `fetchedAt`, `firstFetchedAt`, `revision`), not its
 * earlier values, so the completion curve is estimated across rows: the conversions per unit of spend of the
 * rows last fetched at age a, against those of mature rows (last fetched after the restatement window) of the
 * same platform over recent weeks. share(a) = rate(a) / rate(mature), with a delta-method standard error from
 * the conversion counts (log share has variance ≈ 1/C_a + 1/C_mature), made non-decreasing in age and ≤ 1.
 */
import type { Platform, StoredDailyMetric } from '../model/ads.ts';
import { addDays, daysBetween, type LocalDate } from '../model/dates.ts';
import type { HistoryDay } from './response-model.ts';

/** Expected share of a day's final conversions already reported at one age, with its standard deviation. */
export interface MaturityAtAge {
  readonly ageDays: number;
  readonly share: number;
  readonly sd: number;
}

/** One platform's completion curve: shares by age (0 = fetched the day after), final from `matureAfterDays`. */
export interface CompletionCurve {
  readonly platform: Platform;
  readonly byAge: readonly MaturityAtAge[];
  readonly matureAfterDays: number;
}

export interface CompletionOptions {
  /** Days after which a day is treated as final (the platform's restatement window). @default 7 */
  readonly matureAfterDays?: number;
  /** Mature rows older than this (days before `asOf`) are left out, so a trend in the rate biases little. @default 28 */
  readonly lookbackDays?: number;
  /** Pseudo-conversions pulling each share towards 1 when there is little evidence. @default 2 */
  readonly priorConversions?: number;
}

/** Whole days between the end of `date` and the instant of the fetch (UTC days; a fetch the day after is age 0). */
export function ageAtFetch(date: LocalDate, fetchedAt: string): number {
  const fetchedDay = fetchedAt.slice(0, 10);
  return Math.max(0, daysBetween(date, fetchedDay) - 1);
}

/** Estimates each platform's completion curve from stored rows as of `asOf` (the first day not in the rows). */
export function estimateCompletion(
  rows: readonly StoredDailyMetric[],
  asOf: LocalDate,
  options: CompletionOptions = {},
): Map<Platform, CompletionCurve> {
  const window = options.matureAfterDays ?? 7;
  const since = addDays(asOf, -(options.lookbackDays ?? 28));
  const prior = options.priorConversions ?? 2;
  const acc = new Map<Platform, { young: { spend: number; conv: number }[]; mature: { spend: number; conv: number } }>();
  for (const row of rows) {
    if (!(row.spendMicros > 0)) continue;
    let p = acc.get(row.platform);
    if (!p) {
      p = { young: Array.from({ length: window }, () => ({ spend: 0, conv: 0 })), mature: { spend: 0, conv: 0 } };
      acc.set(row.platform, p);
    }
    const age = ageAtFetch(row.date, row.fetchedAt);
    const bucket = age >= window ? (row.date >= since ? p.mature : undefined) : p.young[age];
    if (!bucket) continue;
    bucket.spend += row.spendMicros;
    bucket.conv += Math.max(0, row.conversions);
  }
  const out = new Map<Platform, CompletionCurve>();
  for (const [platform, p] of acc) {
    const matureRate = p.mature.spend > 0 ? p.mature.conv / p.mature.spend : 0;
    let raw: MaturityAtAge[] = p.young.map((b, ageDays) => {
      if (!(matureRate > 0) || !(b.spend > 0)) return { ageDays, share: 1, sd: 0.5 };
      const expected = matureRate * b.spend;
      // The prior adds `prior` conversions at share 1 to both sides, so an age with few rows stays near 1.
      const raw = (b.conv + prior) / (expected + prior);
      const sd = raw * Math.sqrt(1 / (b.conv + prior) + 1 / (p.mature.conv + prior));
      // Shrink the shortfall towards 0 by its signal-to-noise, so noise alone does not make a final day look young.
      const gap = Math.max(0, 1 - raw);
      const share = 1 - (gap * gap * gap) / (gap * gap + sd * sd || 1);
      return { ageDays, share, sd };
    });
    raw = monotone(raw);
    out.set(platform, { platform, byAge: raw, matureAfterDays: window });
  }
  return out;
}

/** Completion can only grow with age: pool adjacent violators, then cap at 1. */
function monotone(points: readonly MaturityAtAge[]): MaturityAtAge[] {
  const blocks: { sum: number; n: number; sd: number; ages: number[] }[] = [];
  for (const p of points) {
    blocks.push({ sum: p.share, n: 1, sd: p.sd, ages: [p.ageDays] });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const prev = blocks[blocks.length - 2];
      if (!last || !prev || prev.sum / prev.n <= last.sum / last.n) break;
      blocks.splice(blocks.length - 2, 2, {
        sum: prev.sum + last.sum,
        n: prev.n + last.n,
        sd: Math.max(prev.sd, last.sd),
        ages: [...prev.ages, ...last.ages],
      });
    }
  }
  return blocks.flatMap((b) => b.ages.map((ageDays) => ({ ageDays, share: Math.min(1, Math.max(0.02, b.sum / b.n)), sd: b.sd })));
}

/** Expected completion of a day last fetched at `ageDays` (1 with no uncertainty once mature or without a curve). */
export function maturityAt(curve: CompletionCurve | undefined, ageDays: number): { share: number; sd: number } {
  if (!curve || ageDays >= curve.matureAfterDays) return { share: 1, sd: 0 };
  const point = curve.byAge[Math.max(0, Math.floor(ageDays))];
  return point ? { share: point.share, sd: point.sd } : { share: 1, sd: 0 };
}

/** A stored row as a model history day, with its nowcast maturity and uncertainty. */
export function historyDayOf(row: StoredDailyMetric, curves: ReadonlyMap<Platform, CompletionCurve>): HistoryDay {
  const m = maturityAt(curves.get(row.platform), ageAtFetch(row.date, row.fetchedAt));
  return {
    date: row.date,
    spendMicros: row.spendMicros,
    revenueMicros: row.revenueMicros,
    conversions: row.conversions,
    ...(m.share < 1 ? { maturity: m.share, maturitySd: m.sd } : {}),
  };
}
