/**
 * `adpilot demo`: a sample client over several simulated weeks on the bundled fake platforms,
 * every layer real (HTTP fakes, dynalite, ASL interpreter, local bus, outbox). Prints progress,
 * then a summary and where the latest weekly email is.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseClientConfig } from '../config/load.ts';
import { configuredAccounts } from '../config/platforms.ts';
import { type ClientConfig, isAdArm } from '../config/schema.ts';
import { localConnectorFactory } from '../local/connectors.ts';
import { type DailyCycleResult, runDailyCycle } from '../local/daily-cycle.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { startSimulation } from '../local/simulation.ts';
import { addDays, dateRange, isoWeekday, type LocalDate, zonedTimeToInstant } from '../model/dates.ts';
import { formatMoney } from '../model/money.ts';
import { ManualClock } from '../runtime/clock.ts';
import type { MarketSimulator } from '../sim/market.ts';
import { SAMPLE_ACCOUNTS, SAMPLE_ADSET_IDS } from '../sim/sample-market.ts';
import { toReportingMicros } from '../usecases/currency.ts';
import { parseOptions } from './args.ts';
import { CliUsageError } from './errors.ts';
import { DAILY_RUN_HOUR } from './run-day.ts';

const HELP = `usage: adpilot demo [--weeks <n>] [--seed <n>] [--data-dir <dir>] [--json]

  --weeks      simulated weeks (default 6)
  --seed       seed of the market simulator (default 42)
  --data-dir   where the demo keeps its state (default .adpilot/demo; cleared first)
  --json       print the summary as JSON`;

/** The embedded sample client: an outdoor retailer advertising on all six platforms: Meta, Google Ads, TikTok, LinkedIn, X and Pinterest. */
export function demoClientConfig(seed: number, testStart?: LocalDate): ClientConfig {
  return parseClientConfig(
    {
      client: 'acme-outdoor',
      timezone: 'Europe/Paris',
      currency: 'EUR',
      objective: 'revenue',
      budget: { dailyTotal: '2900.00', mode: 'auto', maxChangePct: 20, cooldownHours: 72, minDaily: '5.00' },
      platforms: {
        meta: { accounts: [SAMPLE_ACCOUNTS.meta.accountId], apiVersion: 'v25.0', purchaseActionType: 'omni_purchase' },
        'google-ads': { customerIds: [SAMPLE_ACCOUNTS['google-ads'].accountId] },
        tiktok: { advertiserIds: [SAMPLE_ACCOUNTS.tiktok.accountId] },
        linkedin: { accountIds: [SAMPLE_ACCOUNTS.linkedin.accountId] },
        'x-ads': { accountIds: [SAMPLE_ACCOUNTS['x-ads'].accountId] },
        pinterest: { adAccountIds: [SAMPLE_ACCOUNTS.pinterest.accountId] },
      },
      report: { recipients: ['paid-social-lead@acme-outdoor.example'], sender: 'adpilot@acme-outdoor.example', weekday: 'monday', hour: 8 },
      tests: [
        {
          id: 'prospecting-creatives',
          arms: [
            { platform: 'meta', adsetId: SAMPLE_ADSET_IDS.broad },
            { platform: 'meta', adsetId: SAMPLE_ADSET_IDS.video },
          ],
          metric: 'roas',
          onConclusion: 'pause-loser',
          ...(testStart ? { startDate: testStart } : {}),
        },
      ],
      simulation: { seed },
    },
    'the embedded demo client',
  );
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions(
    args,
    { weeks: { type: 'string' }, seed: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    HELP,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const weeks = Number(values.weeks ?? 6);
  const seed = Number(values.seed ?? 42);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52) throw new CliUsageError('--weeks must be a whole number from 1 to 52');
  if (!Number.isInteger(seed) || seed < 0) throw new CliUsageError('--seed must be a non-negative whole number');
  const dataDir = resolve(values['data-dir'] ?? '.adpilot/demo');
  rmSync(dataDir, { recursive: true, force: true });

  // The demo ends on the Monday after the last full week, so that week's email is the latest.
  const last: LocalDate = '2026-11-23';
  const first = addDays(last, -7 * weeks + 1);
  // The A/B test starts with the demo, so its days of evidence and its conclusion show up as the weeks pass.
  const config = demoClientConfig(seed, first);
  const clock = new ManualClock(zonedTimeToInstant(first, DAILY_RUN_HOUR, config.timezone));
  const simulation = await startSimulation(config, clock, dataDir);
  const fault = { adsetId: simulation.market.adsets()[1]?.adsetId ?? '', from: addDays(last, -9) };
  simulation.market.stopDelivery(fault.adsetId, fault.from, addDays(fault.from, 2));
  const runtime = await startLocalRuntime({
    config: simulation.config,
    clock,
    dataDir,
    connector: localConnectorFactory(simulation.config, (platform) => simulation.credentials(platform), { clock }),
  });
  const started = performance.now();
  const days: DailyCycleResult[] = [];
  const progress = progressPrinter(values.json === true, dateRange(first, last).length);
  let summary: DemoSummary;
  try {
    for (const date of dateRange(first, last)) {
      clock.set(zonedTimeToInstant(date, DAILY_RUN_HOUR, config.timezone));
      const result = await runDailyCycle(runtime, date);
      days.push(result);
      progress(date, result);
    }
    await simulation.save();
    summary = await summarize(runtime, days, config, fault, (performance.now() - started) / 1000);
    summary.optimizer = optimizerEffect(simulation.market, days[0]?.date ?? first, last, config.currency);
  } finally {
    await runtime.close();
    await simulation.close();
  }
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else printSummary(summary);
  return days.every((d) => d.optimize.status === 'SUCCEEDED' && d.ingestion.every((i) => i.ok)) ? 0 : 1;
}

function progressPrinter(quiet: boolean, total: number) {
  let done = 0;
  return (date: LocalDate, result: DailyCycleResult) => {
    done += 1;
    if (quiet) return;
    const rows = result.ingestion.reduce((s, i) => s + (i.ok ? i.rowsWritten : 0), 0);
    const bar = '█'.repeat(Math.round((done / total) * 24)).padEnd(24, '░');
    const notes = [
      `${rows} rows`,
      result.anomalies > 0 ? `${result.anomalies} anomal${result.anomalies === 1 ? 'y' : 'ies'}` : '',
      result.report ? `weekly email ${result.report.week ?? ''}` : '',
      result.optimize.status !== 'SUCCEEDED' ? `optimize ${result.optimize.status}` : '',
    ].filter(Boolean);
    const line = `  ${bar} ${String(done).padStart(3)}/${total}  ${date} ${isoWeekday(date) === 1 ? 'Mon' : '   '}  ${notes.join(', ')}`;
    if (process.stdout.isTTY)
      process.stdout.write(`\r${line.padEnd(100)}${done === total || result.report || result.anomalies ? '\n' : ''}`);
    else if (done === total || result.report || result.anomalies) console.log(line);
  };
}

/**
 * What the budget moves earned: expected revenue (noise-free, from the simulator's true response curves) at the
 * budgets adpilot set, against the budgets the demo started with, over the simulated days.
 */
function optimizerEffect(market: MarketSimulator, from: LocalDate, to: LocalDate, currency: string): DemoSummary['optimizer'] {
  let withAdpilot = 0;
  let leftAlone = 0;
  for (const date of dateRange(from, addDays(to, -1))) {
    for (const adset of market.adsets()) {
      // An ad set adpilot paused (a test's loser) earns nothing on the days it is paused.
      if (market.statusOn(adset.adsetId, date) === 'ACTIVE')
        withAdpilot += market.expectedResponse(adset.adsetId, market.budgetOn(adset.adsetId, date), date).revenueMicros;
      leftAlone += market.expectedResponse(adset.adsetId, market.budgetOn(adset.adsetId, from), date).revenueMicros;
    }
  }
  return {
    revenueWithAdpilot: formatMoney(withAdpilot, currency),
    revenueLeftAlone: formatMoney(leftAlone, currency),
    gain: formatMoney(withAdpilot - leftAlone, currency),
    gainPct: leftAlone > 0 ? Math.round(((withAdpilot - leftAlone) / leftAlone) * 1000) / 10 : 0,
  };
}

interface DemoSummary {
  optimizer?: { revenueWithAdpilot: string; revenueLeftAlone: string; gain: string; gainPct: number };
  client: string;
  days: number;
  from: LocalDate;
  to: LocalDate;
  seconds: number;
  spend: string;
  revenue: string;
  roas: number | null;
  rowsStored: number;
  plans: number;
  budgetChanges: number;
  anomalies: { date: string; adset: string; faultType: string; severity: string }[];
  /** Each A/B test of the demo client: where it stands and what its conclusion did. */
  tests: { id: string; status: string; summary: string; action: string }[];
  injectedFault: { adsetId: string; from: string; caught: boolean };
  emails: string[];
  latestEmail: string | undefined;
  eventsFile: string | undefined;
  events: number;
}

async function summarize(
  runtime: Awaited<ReturnType<typeof startLocalRuntime>>,
  days: DailyCycleResult[],
  config: ClientConfig,
  fault: { adsetId: string; from: string },
  seconds: number,
): Promise<DemoSummary> {
  const from = days[0]?.date ?? '';
  const to = days.at(-1)?.date ?? '';
  const rows = (
    await Promise.all(
      configuredAccounts(config).map(({ platform, accountId }) => runtime.ctx.store.metricsForAccount(platform, accountId, from, to)),
    )
  ).flat();
  const inReporting = (micros: number, currency: string) => toReportingMicros(config, micros, currency);
  const tests: DemoSummary['tests'] = [];
  for (const test of config.tests) {
    const evaluations = await runtime.ctx.store.testEvaluations(test.id);
    const latest = evaluations.at(-1);
    const concluded = evaluations.find((e) => e.decision !== 'continue');
    // An ad arm's changes are logged under the ad set it runs in.
    const adsetIds = await Promise.all(
      test.arms.map(async (arm) => (isAdArm(arm) ? (await runtime.ctx.store.getAd(arm.platform, arm.adId))?.adsetId : arm.adsetId)),
    );
    const logged = (
      await Promise.all(test.arms.map((arm, i) => runtime.ctx.store.changesForAdSet(arm.platform, adsetIds[i] ?? '')))
    ).flat();
    // Two ads of one ad set share its log: each change once.
    const pauses = [...new Map(logged.map((c) => [c.changeId, c])).values()].filter((c) => c.action === 'pause' && c.outcome === 'applied');
    tests.push({
      id: test.id,
      status: concluded ? `${concluded.decision} on ${concluded.date}` : latest ? `running (${latest.date})` : 'not evaluated',
      summary: (concluded ?? latest)?.summary ?? '',
      action: pauses.map((c) => `${c.adName ?? c.adsetName} paused on ${c.appliedAt.slice(0, 10)}`).join('; '),
    });
  }
  const spend = rows.reduce((s, r) => s + inReporting(r.spendMicros, r.currency), 0);
  const revenue = rows.reduce((s, r) => s + inReporting(r.revenueMicros, r.currency), 0);
  const anomalies = await runtime.ctx.store.anomaliesBetween(from, to);
  const plans = await runtime.ctx.store.listPlans(1000);
  let budgetChanges = 0;
  for (const plan of plans)
    budgetChanges += (await runtime.ctx.store.changesForPlan(plan.planId)).filter((c) => c.outcome === 'applied').length;
  const emails = days.flatMap((d) => (d.report?.location ? [d.report.location] : []));
  return {
    client: config.client,
    days: days.length,
    from,
    to,
    seconds: Math.round(seconds * 10) / 10,
    spend: formatMoney(spend, config.currency),
    revenue: formatMoney(revenue, config.currency),
    roas: spend > 0 ? Math.round((revenue / spend) * 100) / 100 : null,
    rowsStored: rows.length,
    plans: plans.length,
    budgetChanges,
    tests,
    anomalies: anomalies.map((a) => ({ date: a.date, adset: a.adsetName, faultType: a.faultType, severity: a.severity })),
    injectedFault: {
      ...fault,
      caught: anomalies.some((a) => a.adsetId === fault.adsetId && a.faultType === 'delivery-stop' && a.date >= fault.from),
    },
    emails,
    latestEmail: emails.at(-1),
    eventsFile: runtime.eventsFile,
    events: days.reduce((s, d) => s + d.events, 0),
  };
}

function printSummary(s: DemoSummary): void {
  console.log(`
adpilot demo — ${s.client}, ${s.days} days (${s.from} → ${s.to}) in ${s.seconds} s

  Spend ${s.spend} · revenue ${s.revenue} · ROAS ${s.roas ?? '—'}
  ${s.rowsStored} daily rows stored · ${s.plans} daily plans · ${s.budgetChanges} budget changes applied
  Optimizer: ${s.optimizer ? `${s.optimizer.gain} (${s.optimizer.gainPct >= 0 ? '+' : ''}${s.optimizer.gainPct}%) more expected revenue than budgets left alone (${s.optimizer.revenueWithAdpilot} vs ${s.optimizer.revenueLeftAlone}, same total budget)` : '—'}
  A/B tests:
${s.tests.map((t) => `    ${t.id}: ${t.status} — ${t.summary}${t.action ? `\n      on conclusion: ${t.action}` : ''}`).join('\n')}
  Anomalies: ${s.anomalies.length === 0 ? 'none' : ''}
${s.anomalies.map((a) => `    ${a.date}  ${a.faultType.padEnd(18)} ${a.severity.padEnd(6)} ${a.adset}`).join('\n')}
  Injected fault (delivery stop on ${s.injectedFault.adsetId} from ${s.injectedFault.from}): ${s.injectedFault.caught ? 'caught' : 'NOT caught'}
  ${s.emails.length} weekly email${s.emails.length === 1 ? '' : 's'}; latest: ${s.latestEmail ? `${s.latestEmail.replace(/\.eml$/, '.html')} (open it in a browser; the MIME message is the .eml beside it)` : '—'}
  ${s.events} events in ${s.eventsFile ?? '(memory)'}
`);
}
