/**
 * `adpilot run-day --client <file> --date <YYYY-MM-DD> --data-dir <dir> [--json]`: one daily
 * cycle against the base URLs the client config names (or the bundled fakes when it asks for
 * simulation). The date is "today" for the whole run; state persists in the data dir.
 */
import { resolve } from 'node:path';
import { loadClientConfig } from '../config/load.ts';
import { type DailyCycleResult, runDailyCycle } from '../local/daily-cycle.ts';
import { addDays, zonedTimeToInstant } from '../model/dates.ts';
import { fixedClock } from '../runtime/clock.ts';
import { parseOptions, requireDate, requireString } from './args.ts';
import { openLocalDeployment } from './local-deployment.ts';

const HELP = `usage: adpilot run-day --client <file> --date <YYYY-MM-DD> --data-dir <dir> [--json]

  --client     client config (YAML or JSON)
  --date       the day to run, in the client's time zone ("today" for this run)
  --data-dir   where state persists between runs (store, events.jsonl, outbox)
  --json       print the result as JSON`;

/** Local hour at which the daily cycle runs (after the platforms closed the previous day). */
export const DAILY_RUN_HOUR = 6;

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions(
    args,
    { client: { type: 'string' }, date: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    HELP,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const date = requireDate(values.date, 'date', HELP);
  const dataDir = resolve(requireString(values['data-dir'], 'data-dir', HELP));
  const config = loadClientConfig(requireString(values.client, 'client', HELP));
  const clock = fixedClock(zonedTimeToInstant(date, DAILY_RUN_HOUR, config.timezone));

  const deployment = await openLocalDeployment(config, clock, dataDir);
  let result: DailyCycleResult;
  try {
    result = await runDailyCycle(deployment.runtime, date);
  } finally {
    await deployment.close();
  }
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else printResult(result);
  const failed =
    result.ingestion.some((i) => !i.ok) ||
    result.optimize.status !== 'SUCCEEDED' ||
    (result.report && result.report.status !== 'SUCCEEDED');
  return failed ? 1 : 0;
}

function printResult(result: DailyCycleResult): void {
  console.log(`adpilot run-day ${result.date}`);
  for (const i of result.ingestion) {
    console.log(
      i.ok
        ? `  ingest   ${i.platform} ${i.accountId}: ${i.from}..${i.to}, ${i.rowsWritten} rows written, ${i.rowsUnchanged} unchanged, ${i.adsets} ad sets`
        : `  ingest   ${i.platform} ${i.accountId}: FAILED — ${i.error}`,
    );
  }
  console.log(`  detect   ${result.anomalies} anomal${result.anomalies === 1 ? 'y' : 'ies'} on ${addDays(result.date, -1)}`);
  console.log(
    `  optimize ${result.optimize.status}${result.optimize.planId ? `, plan ${result.optimize.planId} (${result.optimize.planStatus})` : ''}${result.optimize.error ? ` — ${result.optimize.error}` : ''}`,
  );
  if (result.report) {
    console.log(
      `  report   ${result.report.status}${result.report.week ? ` ${result.report.week}` : ''}${result.report.location ? ` → ${result.report.location}` : ''}${result.report.error ? ` — ${result.report.error}` : ''}`,
    );
  }
  console.log(`  events   ${result.events} published`);
}
