/**
 * After each ingestion: run the anomaly detectors over the account's complete days, record
 * each anomaly once (entity × date × fault type) and announce the new ones.
 */
import { detectBudgetExhaustion } from '../anomaly/hourly.ts';
import { detectAdSetAnomalies, type JudgedAdSet, MATURITY_FLOOR, rollUpAnomalies } from '../anomaly/index.ts';
import { isManaged, restatementDays } from '../config/platforms.ts';
import { makeEvent } from '../events/publisher.ts';
import type { Platform } from '../model/ads.ts';
import { addDays, type LocalDate, localDateAt, zonedTimeToInstant } from '../model/dates.ts';
import type { AppContext } from '../runtime/context.ts';
import { type AnomalyRecord, isBudgetChange } from '../store/records.ts';

/** Weeks of history the seasonal baselines look at. */
const HISTORY_DAYS = 8 * 7;
/** An ad set's fault already announced within these days is the same incident: not announced again. */
const COOLDOWN_DAYS = 3;
/** Days of hourly rows the intraday pacing profile is drawn from (the detector's own window). */
const HOURLY_HISTORY_DAYS = 14;

export interface DetectRequest {
  readonly detail: { readonly platform: Platform; readonly accountId: string; readonly to: LocalDate };
}

/** What the hourly detector judged: the day in progress up to its last complete hour. */
export interface HourlyDetection {
  readonly date: LocalDate;
  readonly hour: number;
  readonly anomalies: number;
  readonly new: number;
}

/** Judges the last complete day (the day before the ingestion's `to`), and the day in progress on hourly rows. */
export async function detectAfterIngest(
  ctx: AppContext,
  event: DetectRequest,
): Promise<{ date: LocalDate; anomalies: number; new: number; hourly?: HourlyDetection }> {
  const { platform, accountId } = event.detail;
  const date = addDays(event.detail.to, -1);
  const daily = await detectForAccount(ctx, platform, accountId, date);
  const hourly = await detectHourlyForAccount(ctx, platform, accountId, event.detail.to);
  return hourly === undefined ? daily : { ...daily, hourly };
}

/** The last hour of `date` complete at `now` in `timezone` (-1 before 01:00; 23 once the day is over). */
function lastCompleteHour(date: LocalDate, now: Date, timezone: string): number {
  let hour = -1;
  while (hour < 23 && zonedTimeToInstant(date, hour + 2, timezone).getTime() <= now.getTime()) hour += 1;
  return hour;
}

/** The first local hour of `date` that starts at or after `at` (24 when none does). */
function firstHourFrom(date: LocalDate, at: Date, timezone: string): number {
  let hour = 0;
  while (hour < 24 && zonedTimeToInstant(date, hour, timezone).getTime() < at.getTime()) hour += 1;
  return hour;
}

/**
 * Budget exhausted early: each managed active ad set with hourly rows on `date` (the account's day in progress),
 * judged at the last hour both complete at the clock and present in the rows, against its own pacing over the
 * previous 14 days. Undefined when the account has no hourly rows that day (a platform without hourly data).
 */
export async function detectHourlyForAccount(
  ctx: AppContext,
  platform: Platform,
  accountId: string,
  date: LocalDate,
): Promise<HourlyDetection | undefined> {
  const rows = await ctx.store.hourlyMetricsForAccount(platform, accountId, addDays(date, -HOURLY_HISTORY_DAYS), date);
  const today = rows.filter((r) => r.date === date);
  if (today.length === 0) return undefined;
  const account = await ctx.store.getAccount(platform, accountId);
  const timezone = account?.timezone ?? ctx.config.timezone;
  const now = ctx.clock.now();
  // A platform may report the hour in progress: judge complete hours only, and no later than the rows reach.
  const hour = Math.min(lastCompleteHour(date, now, timezone), Math.max(...today.map((r) => r.hour)));
  if (hour < 0) return undefined;
  const adsets = (await ctx.store.listAdSets(platform, accountId)).filter(
    (a) => a.status === 'ACTIVE' && isManaged(ctx.config, a.adsetId) && today.some((r) => r.adsetId === a.adsetId),
  );
  const candidates: Candidate[] = [];
  const base = { platform, accountId, detectedAt: now.toISOString() };
  for (const adset of adsets) {
    const changedToday = (await ctx.store.changesForAdSet(platform, adset.adsetId)).filter(
      (c) => c.outcome === 'applied' && isBudgetChange(c) && localDateAt(new Date(c.appliedAt), timezone) === date,
    );
    // The pace is judged from the first whole hour under today's last budget; a change late in the day leaves none.
    const lastChange = changedToday.at(-1);
    const sinceHour = lastChange ? firstHourFrom(date, new Date(lastChange.appliedAt), timezone) : undefined;
    const anomaly = detectBudgetExhaustion({
      adset: {
        platform: adset.platform,
        accountId: adset.accountId,
        adsetId: adset.adsetId,
        name: adset.name,
        status: adset.status,
        // A campaign budget (CBO) is shared by its ad sets: one ad set's pace says nothing against it.
        dailyBudgetMicros: adset.budgetLevel === 'adset' ? adset.dailyBudgetMicros : null,
        learning: adset.learning,
        currency: adset.currency,
      },
      hours: rows.filter((r) => r.adsetId === adset.adsetId),
      date,
      hour,
      budgetChangedToday: lastChange !== undefined,
      ...(sinceHour !== undefined && sinceHour < 24 ? { budgetChangedAtHour: sinceHour } : {}),
    });
    if (anomaly === null) continue;
    candidates.push({ announce: true, record: recordOf(ctx, base, { id: adset.adsetId, name: adset.name }, anomaly) });
  }
  const fresh = await recordAndAnnounce(ctx, platform, date, candidates, now);
  return { date, hour, anomalies: candidates.length, new: fresh };
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
  const candidates: Candidate[] = [];
  const base = { platform, accountId, detectedAt: now.toISOString() };
  for (const h of rolled.hierarchy) {
    const entity = h.level === 'account' ? `account:${accountId}` : `campaign:${h.campaignId ?? ''}`;
    const campaignName = judged.find((j) => j.campaignId === h.campaignId)?.campaignName;
    const name = h.level === 'account' ? `All ad sets of ${account?.name ?? accountId}` : `Campaign ${campaignName || h.campaignId}`;
    candidates.push({ announce: true, record: recordOf(ctx, base, { id: entity, name }, h) });
  }
  for (const { adsetId, anomaly, explainedBy } of rolled.adsetAnomalies) {
    const hint = explainedBy === null ? anomaly.hint : `Part of a wider fault (${explainedBy}). ${anomaly.hint}`;
    candidates.push({
      announce: explainedBy === null,
      record: recordOf(ctx, base, { id: adsetId, name: names.get(adsetId) ?? adsetId }, { ...anomaly, hint }),
    });
  }
  const fresh = await recordAndAnnounce(ctx, platform, date, candidates, now);
  return { date, anomalies: candidates.length, new: fresh };
}

/** An anomaly to record, and whether it is announced (an ad-set fault a roll-up explains is recorded only). */
interface Candidate {
  readonly record: AnomalyRecord;
  readonly announce: boolean;
}

/** The stored record of an anomaly judged on one entity: an ad set, or `campaign:<id>` / `account:<id>` for a roll-up. */
function recordOf(
  ctx: AppContext,
  base: Pick<AnomalyRecord, 'platform' | 'accountId' | 'detectedAt'>,
  entity: { readonly id: string; readonly name: string },
  anomaly: Pick<AnomalyRecord, 'date' | 'faultType' | 'metric' | 'observed' | 'severity' | 'hint'> & {
    readonly expected: { readonly low: number; readonly high: number };
  },
): AnomalyRecord {
  return {
    ...base,
    anomalyId: `${ctx.config.client}:${base.platform}:${entity.id}:${anomaly.date}:${anomaly.faultType}`,
    adsetId: entity.id,
    adsetName: entity.name,
    date: anomaly.date,
    faultType: anomaly.faultType,
    metric: anomaly.metric,
    observed: anomaly.observed,
    expectedLow: anomaly.expected.low,
    expectedHigh: anomaly.expected.high,
    severity: anomaly.severity,
    hint: anomaly.hint,
  };
}

/**
 * Records each candidate once (a fault already recorded within the cooldown is ongoing, not new) and
 * announces the newly recorded ones; returns how many were new.
 */
async function recordAndAnnounce(
  ctx: AppContext,
  platform: Platform,
  date: LocalDate,
  candidates: readonly Candidate[],
  now: Date,
): Promise<number> {
  const recent = await ctx.store.anomaliesBetween(addDays(date, -COOLDOWN_DAYS), addDays(date, -1));
  const ongoing = new Set(recent.map((a) => `${a.platform}\u0000${a.adsetId}\u0000${a.faultType}`));
  const fresh: AnomalyRecord[] = [];
  for (const { record, announce: announced } of candidates) {
    if (ongoing.has(`${platform}\u0000${record.adsetId}\u0000${record.faultType}`)) continue;
    if ((await ctx.store.putAnomalyIfAbsent(record)) && announced) fresh.push(record);
  }
  await announce(ctx, fresh, now);
  return fresh.length;
}

/** Publishes one `Anomaly Detected` per newly recorded anomaly; its id follows from the anomaly's, so re-delivery is harmless. */
export async function announce(ctx: AppContext, fresh: readonly AnomalyRecord[], now: Date): Promise<void> {
  if (fresh.length === 0) return;
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
