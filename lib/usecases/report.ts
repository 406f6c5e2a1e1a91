/**
 * The steps of the weekly-report state machine: gather the week from the store and compute
 * the report model (BuildReport), then render and send it once (SendReport).
 */

import { z } from 'zod';
import { restatementDays } from '../config/platforms.ts';
import { makeEvent } from '../events/publisher.ts';
import { PLATFORMS, type Platform } from '../model/ads.ts';
import { addDays, isoWeek, type LocalDate, localDateAt, mondayOfIsoWeek, scheduledLocalDate } from '../model/dates.ts';
import { type ChartImage, renderCharts } from '../report/charts.ts';
import type { ResponseCurve } from '../report/effects.ts';
import type { EmailAttachment } from '../report/mailer.ts';
import { buildWeeklyReport } from '../report/model.ts';
import { type RenderedEmail, renderWeeklyReportEmail } from '../report/render.ts';
import { WeeklyReport } from '../report/report.ts';
import type { AppContext } from '../runtime/context.ts';
import type { BudgetChangeRecord, PlannedChange, TestEvaluationRecord } from '../store/records.ts';
import { UseCaseError } from './errors.ts';

/** Weeks of history before the report week, for the trend. */
const TREND_WEEKS = 4;

/** The report week: the one named, or the last full week before `date` (client time zone). */
export function reportWeek(
  input: { week: string } | { date: string },
  timeZone: string,
): { label: string; from: LocalDate; to: LocalDate } {
  const monday = 'week' in input ? mondayOfIsoWeek(input.week) : isoWeek(addDays(scheduledLocalDate(input.date, timeZone), -7)).monday;
  return { label: isoWeek(monday).label, from: monday, to: addDays(monday, 6) };
}

/** BuildReport: computes the model of the week from the store and keeps it for SendReport. */
export async function buildReport(
  ctx: AppContext,
  input: { week: string } | { date: LocalDate },
): Promise<{ week: string; reportId: string }> {
  const week = reportWeek(input, ctx.config.timezone);
  const report = await computeWeeklyReport(ctx, week);
  await ctx.store.putReportModel(week.label, report, ctx.clock.now());
  return { week: week.label, reportId: `${ctx.config.client}:${week.label}` };
}

/** Reads everything the report of a week needs and builds its model (pure computation in lib/report). */
export async function computeWeeklyReport(ctx: AppContext, week: { label: string; from: LocalDate; to: LocalDate }): Promise<WeeklyReport> {
  const { config, store } = ctx;
  const accounts = await store.listAccounts();
  const adsets = await store.listAdSets();
  const from = addDays(week.from, -7 * TREND_WEEKS);
  const metrics = (await Promise.all(accounts.map((a) => store.metricsForAccount(a.platform, a.accountId, from, week.to)))).flat();
  const changes: BudgetChangeRecord[] = [];
  for (const adset of adsets) {
    const log = await store.changesForAdSet(adset.platform, adset.adsetId);
    changes.push(...log.filter((c) => inWeek(localDateAt(new Date(c.appliedAt), config.timezone), week)));
  }
  const anomalies = await store.anomaliesBetween(week.from, week.to);
  const tests: { testId: string; decision: TestEvaluationRecord['decision']; summary: string }[] = [];
  for (const test of config.tests) {
    const latest = (await store.testEvaluations(test.id)).filter((e) => e.date <= week.to).at(-1);
    if (latest) tests.push({ testId: test.id, decision: latest.decision, summary: latest.summary });
  }
  const nextPlan = (await store.listPlans(1))[0];
  const configured = new Set(accounts.map((a) => a.platform));
  const restatement: Partial<Record<Platform, number>> = {};
  for (const platform of PLATFORMS) if (configured.has(platform)) restatement[platform] = restatementDays(config, platform);
  return buildWeeklyReport({
    client: config.client,
    timezone: config.timezone,
    reportingCurrency: config.currency,
    exchangeRates: config.report.exchangeRates,
    week,
    today: localDateAt(ctx.clock.now(), config.timezone),
    objective: config.objective,
    accounts,
    adsets,
    metrics,
    restatementDays: restatement,
    changes,
    anomalies,
    tests,
    ...(nextPlan ? { nextPlan: { changes: nextPlan.changes } } : {}),
    curves: await plannedCurves(ctx, [
      ...changes,
      ...(nextPlan ? nextPlan.changes.map((c) => ({ ...c, planId: nextPlan.planId, revertsChangeId: null })) : []),
    ]),
  });
}

const ModelCurves = z.object({ entities: z.array(z.object({ id: z.string(), beta: z.number(), kappa: z.number() })) });

/**
 * The response curve each change was planned with: its plan's stored model, entry of its budget (the ad set,
 * or the campaign for a campaign budget). A revert undoes a move, so it is judged on the curve of that move.
 */
async function plannedCurves(
  ctx: AppContext,
  changes: readonly (PlannedChange & { planId: string; revertsChangeId: string | null })[],
): Promise<Map<string, ResponseCurve>> {
  const models = new Map<string, Promise<Map<string, ResponseCurve>>>();
  const modelOf = (planId: string) => {
    let model = models.get(planId);
    if (!model) {
      model = ctx.store.getPlan(planId).then((plan) => {
        const parsed = ModelCurves.safeParse(plan?.inputs.model);
        return new Map(parsed.success ? parsed.data.entities.map((e) => [e.id, { beta: e.beta, kappa: e.kappa }]) : []);
      });
      models.set(planId, model);
    }
    return model;
  };
  const curves = new Map<string, ResponseCurve>();
  for (const change of changes) {
    const planned = change.revertsChangeId ? ((await ctx.store.getChange(change.revertsChangeId)) ?? change) : change;
    const budgetId = planned.budgetLevel === 'campaign' ? planned.campaignId : planned.adsetId;
    const curve = (await modelOf(planned.planId)).get(budgetId);
    if (curve) curves.set(change.changeId, curve);
  }
  return curves;
}

/** SendReport: renders the stored model and sends it once per week; a re-run reports the first send. */
export async function sendReport(
  ctx: AppContext,
  input: { week: string },
): Promise<{ week: string; messageId: string; location: string; alreadySent: boolean }> {
  const sent = await ctx.store.getReport(input.week);
  if (sent) return { week: input.week, messageId: sent.messageId, location: sent.location, alreadySent: true };
  const stored = await ctx.store.getReportModel(input.week);
  if (stored === undefined) throw new UseCaseError(`no report model for ${input.week}: run BuildReport first`);
  const parsed = WeeklyReport.safeParse(stored);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UseCaseError(
      `the stored report model of ${input.week} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  const { email, attachments } = await renderReportEmail(parsed.data);
  const result = await ctx.mailer.send({
    from: ctx.sender,
    to: ctx.config.report.recipients,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments,
    // The same key on every retry (the outbox keeps the first message per key); the report record below stops any later send.
    idempotencyKey: `weekly-report-${ctx.config.client}-${input.week}`,
  });
  const now = ctx.clock.now();
  await ctx.store.putReportIfAbsent({
    week: input.week,
    messageId: result.messageId,
    location: result.location,
    sentAt: now.toISOString(),
    recipients: [...ctx.config.report.recipients],
  });
  await ctx.events.publish([
    makeEvent(
      'Weekly Report Sent',
      {
        version: 1,
        id: `weekly-report-sent:${ctx.config.client}:${input.week}`,
        client: ctx.config.client,
        week: input.week,
        recipients: ctx.config.report.recipients.length,
        messageId: result.messageId,
      },
      now,
    ),
  ]);
  return { week: input.week, messageId: result.messageId, location: result.location, alreadySent: false };
}

/** A report's email ready to send: the rendered parts, its charts, and the charts as inline (CID) attachments. */
export interface ReportEmail {
  readonly email: RenderedEmail;
  readonly charts: readonly ChartImage[];
  readonly attachments: readonly EmailAttachment[];
}

/** Renders the charts of a report and the email that shows them by CID (`cid:<chart cid>`). */
export async function renderReportEmail(report: WeeklyReport): Promise<ReportEmail> {
  const charts = await renderCharts(report);
  const email = await renderWeeklyReportEmail(report, { charts });
  const attachments = charts.map((c) => ({ filename: `${c.cid}.png`, contentType: 'image/png', content: c.png, cid: c.cid }));
  return { email, charts, attachments };
}

function inWeek(date: LocalDate, week: { from: LocalDate; to: LocalDate }): boolean {
  return date >= week.from && date <= week.to;
}
