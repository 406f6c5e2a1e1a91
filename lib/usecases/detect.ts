/**
 * After each ingestion: run the anomaly detectors over the account's complete days, record
 * each anomaly once (entity × date × fault type) and announce the new ones.
 */
import { detectAdSetAnomalies, type JudgedAdSet, MATURITY_FLOOR, rollUpAnomalies } from '../anomaly/index.ts';
import { restatementDays } from '../config/platforms.ts';
import { makeEvent } from '../events/publisher.ts';
import type { Platform } from '../model/ads.ts';
import { addDays, type LocalDate, localDateAt } from '../model/dates.ts';
import type { AppContext } from '../runtime/context.ts';
import type { AnomalyRecord } from '../store/records.ts';

/** Weeks of history the seasonal baselines look at. */
const HISTORY_DAYS = 8 * 7;
/** An ad set's fault already announced within these days is the same incident: not announced again. */
const COOLDOWN_DAYS = 3;

export interface DetectRequest {
  readonly detail: { readonly platform: Platform; readonly accountId: string; readonly to: LocalDate };
}

/** Judges the last complete day (the day before the ingestion's `to`). */
export async function detectAfterIngest(
  ctx: AppContext,
  event: DetectRequest,
): Promise<{ date: LocalDate; anomalies: number; new: number }> {
  const { platform, accountId } = event.detail;
  const date = addDays(event.detail.to, -1);
  return detectForAccount(ctx, platform, accountId, date);
}

/** Runs every detector for the ad sets of one account on one complete day. */
export async function detectForAccount(
  ctx: AppContext,
  platform: Platform,
  accountId: string,
  date: LocalDate,
): Promise<{ date: LocalDate; anomalies: number; new: number }> {
  const adsets = await ctx.store.listAdSets(platform, accountId);
  const account = await ctx.store.getAccount(platform, accountId);
  const timezone = account?.timezone ?? ctx.config.timezone;
  const rows = await ctx.store.metricsForAccount(platform, accountId, addDays(date, -HISTORY_DAYS), date);
  const now = ctx.clock.now();
  const immatureFrom = addDays(date, 1 - Math.min(restatementDays(ctx.config, platform), 3));
  const recent = await ctx.store.anomaliesBetween(addDays(date, -COOLDOWN_DAYS), addDays(date, -1));
  const ongoing = new Set(recent.map((a) => `${a.platform}\u0000${a.adsetId}\u0000${a.faultType}`));
  const judged: JudgedAdSet[] = [];
  const names = new Map<string, string>();
  for (const adset of adsets) {
    const days = rows.filter((r) => r.adsetId === adset.adsetId).sort((a, b) => a.date.localeCompare(b.date));
    const applied = (await ctx.store.changesForAdSet(platform, adset.adsetId))
      .filter((c) => c.outcome === 'applied')
      .map((c) => ({ ...c, localDate: localDateAt(new Date(c.appliedAt), timezone) }));
    // Judge the day against the budget it had, not today's (a re-run of an old date must not see later changes).
    const lastChange = applied.filter((c) => c.localDate <= date).at(-1);
    const nextChange = applied.find((c) => c.localDate > date);
    const budgetThatDay = nextChange ? nextChange.beforeMicros : adset.dailyBudgetMicros;
    const anomalies = detectAdSetAnomalies({
      adset: {
        platform: adset.platform,
        accountId: adset.accountId,
        adsetId: adset.adsetId,
        name: adset.name,
        status: adset.status,
        dailyBudgetMicros: budgetThatDay,
        learning: adset.learning,
        currency: adset.currency,
      },
      days,
      date,
      suppress: {
        learning: adset.learning,
        ...(lastChange ? { budgetChangedAt: lastChange.localDate } : {}),
        immatureFrom,
        maturity: MATURITY_FLOOR[platform],
      },
    });
    names.set(adset.adsetId, adset.name);
    judged.push({ adsetId: adset.adsetId, campaignId: adset.campaignId, campaignName: adset.campaignName, anomalies });
  }
  // Alert at the lowest level that explains it: most ad sets of a campaign (or the account) with one fault is one alert.
  const rolled = rollUpAnomalies({ accountId, ...(account ? { accountName: account.name } : {}), date, adsets: judged });
  const candidates: { record: AnomalyRecord; announce: boolean }[] = [];
  const base = { platform, accountId, detectedAt: now.toISOString() };
  for (const h of rolled.hierarchy) {
    const entity = h.level === 'account' ? `account:${accountId}` : `campaign:${h.campaignId ?? ''}`;
    const campaignName = judged.find((j) => j.campaignId === h.campaignId)?.campaignName;
    candidates.push({
      announce: true,
      record: {
        ...base,
        anomalyId: `${ctx.config.client}:${platform}:${entity}:${h.date}:${h.faultType}`,
        adsetId: entity,
        adsetName: h.level === 'account' ? `All ad sets of ${account?.name ?? accountId}` : `Campaign ${campaignName || h.campaignId}`,
        date: h.date,
        faultType: h.faultType,
        metric: h.metric,
        observed: h.observed,
        expectedLow: h.expected.low,
        expectedHigh: h.expected.high,
        severity: h.severity,
        hint: h.hint,
      },
    });
  }
  for (const { adsetId, anomaly, explainedBy } of rolled.adsetAnomalies) {
    candidates.push({
      announce: explainedBy === null,
      record: {
        ...base,
        anomalyId: `${ctx.config.client}:${platform}:${adsetId}:${anomaly.date}:${anomaly.faultType}`,
        adsetId,
        adsetName: names.get(adsetId) ?? adsetId,
        date: anomaly.date,
        faultType: anomaly.faultType,
        metric: anomaly.metric,
        observed: anomaly.observed,
        expectedLow: anomaly.expected.low,
        expectedHigh: anomaly.expected.high,
        severity: anomaly.severity,
        hint: explainedBy === null ? anomaly.hint : `Part of a wider fault (${explainedBy}). ${anomaly.hint}`,
      },
    });
  }
  const fresh: AnomalyRecord[] = [];
  for (const { record, announce } of candidates) {
    if (ongoing.has(`${platform}\u0000${record.adsetId}\u0000${record.faultType}`)) continue;
    if ((await ctx.store.putAnomalyIfAbsent(record)) && announce) fresh.push(record);
  }
  const found = candidates.length;
  if (fresh.length > 0) {
    await ctx.events.publish(
      fresh.map((a) =>
        makeEvent(
          'Anomaly Detected',
          {
            version: 1,
            id: `anomaly:${a.anomalyId}`,
            client: ctx.config.client,
            platform: a.platform,
            accountId: a.accountId,
            adsetId: a.adsetId,
            adsetName: a.adsetName,
            date: a.date,
            faultType: a.faultType,
            metric: a.metric,
            observed: a.observed,
            expected: { low: a.expectedLow, high: a.expectedHigh },
            severity: a.severity,
            hint: a.hint,
          },
          now,
        ),
      ),
    );
  }
  return { date, anomalies: found, new: fresh.length };
}
