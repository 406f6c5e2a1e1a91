/**
 * Judging one account of the ad-fault suite day by day as production does: what the platform reports each
 * morning, read by the detectors with the suppression, history and cooldown of lib/usecases/detect.ts.
 */
import { type AdAnomaly, detectAdSetAnomalies, type FaultType, MATURITY_FLOOR } from '../../lib/anomaly/index.ts';
import type { DailyMetric } from '../../lib/model/ads.ts';
import { addDays, daysBetween, type LocalDate, zonedTimeToInstant } from '../../lib/model/dates.ts';
import { ManualClock } from '../../lib/runtime/clock.ts';
import { MarketSimulator } from '../../lib/sim/market.ts';
import { Rng } from '../../lib/sim/random.ts';
import { type AdFaultDesign, inject, type SeriesSpec } from './ad-fault-series.ts';

/** A fault type announced for an ad set on the morning after `date`. */
export interface Announcement {
  readonly adsetId: string;
  readonly date: LocalDate;
  readonly faultType: FaultType;
}

/**
 * A final row as reported the morning after `judged`: each of its conversions (with its share of revenue) is
 * there with probability maturity[age], drawn once per conversion so a day's reported count only grows.
 */
function reportedSoFar(d: AdFaultDesign, row: DailyMetric, judged: LocalDate): DailyMetric {
  const share = d.maturity[daysBetween(row.date, judged)] ?? 1;
  if (share >= 1 || row.conversions === 0) return row;
  const draws = Rng.fromParts(d.seed, row.adsetId, row.date, 'late-conversions');
  let conversions = 0;
  for (let i = 0; i < row.conversions; i++) if (draws.next() < share) conversions++;
  return { ...row, conversions, revenueMicros: Math.round((row.revenueMicros * conversions) / row.conversions) };
}

/**
 * One account judged day by day, as detect.ts does each morning: the announcements that pass the cooldown,
 * and the half-life of each CTR decay injected.
 */
export function judgeAccount(
  d: AdFaultDesign,
  specs: readonly SeriesSpec[],
  accountIndex: number,
): { announced: Announcement[]; halfLives: Map<string, number> } {
  const accountId = specs[0]?.config.accountId ?? `act_${accountIndex}`;
  const lastJudged = addDays(d.start, d.warmupDays + d.judgedDays - 1);
  const clock = new ManualClock(zonedTimeToInstant(d.start, 7, d.timezone));
  const market = new MarketSimulator({
    seed: d.seed * 1000 + accountIndex,
    startDate: d.start,
    accounts: [{ platform: 'meta', accountId, name: `Account ${accountIndex}`, currency: 'EUR', timezone: d.timezone }],
    adsets: specs.map((s) => ({ ...s.config, budgetLevel: s.campaignBudget ? 'campaign' : 'adset' })),
    clock,
    ...(d.lateConversions === 'simulator-floor' ? { maturity: (age: number) => d.maturity[age] ?? 1 } : {}),
  });
  const rng = new Rng(d.seed + accountIndex);
  const halfLives = new Map<string, number>();
  for (const spec of specs) {
    const halfLife = inject(market, spec, rng, d.timezone);
    if (halfLife !== undefined) halfLives.set(spec.adsetId, halfLife);
  }
  const announced: Announcement[] = [];
  const last = new Map<string, LocalDate>();
  for (let date = addDays(d.start, d.warmupDays); date <= lastJudged; date = addDays(date, 1)) {
    clock.set(zonedTimeToInstant(addDays(date, 1), 7, d.timezone));
    const rows =
      d.lateConversions === 'simulator-floor'
        ? market.reportedResults(accountId, addDays(date, -d.historyDays), date)
        : market.dailyResults(accountId, addDays(date, -d.historyDays), date).map((row) => reportedSoFar(d, row, date));
    const byAdset = new Map<string, DailyMetric[]>();
    for (const row of rows) {
      const list = byAdset.get(row.adsetId) ?? [];
      list.push(row);
      byAdset.set(row.adsetId, list);
    }
    for (const spec of specs) {
      const change = spec.budgetMoves.filter((m) => m.on <= date).at(-1)?.on;
      const anomalies: AdAnomaly[] = detectAdSetAnomalies({
        adset: {
          platform: 'meta',
          accountId,
          adsetId: spec.adsetId,
          name: spec.adsetId,
          status: 'ACTIVE',
          // What the store holds that morning: the configured budget, none for a campaign budget.
          dailyBudgetMicros: spec.campaignBudget ? null : market.budgetOn(spec.adsetId, addDays(date, 1)),
          learning: false,
        },
        days: byAdset.get(spec.adsetId) ?? [],
        date,
        suppress: {
          learning: false,
          ...(change === undefined ? {} : { budgetChangedAt: change }),
          immatureFrom: addDays(date, 1 - d.immatureDays),
          maturity: MATURITY_FLOOR.meta,
        },
      });
      for (const anomaly of anomalies) {
        const key = `${spec.adsetId}/${anomaly.faultType}`;
        const previous = last.get(key);
        if (previous !== undefined && daysBetween(previous, date) <= d.cooldownDays) continue;
        last.set(key, date);
        announced.push({ adsetId: spec.adsetId, date, faultType: anomaly.faultType });
      }
    }
  }
  return { announced, halfLives };
}
