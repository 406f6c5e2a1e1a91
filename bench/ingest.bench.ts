/**
 * `npm run bench -- ingest [--adsets <n>] [--days <n>]`: one full ingest run (500 Meta ad sets × the
 * 28-day look-back plus today) from the fake Meta API into dynalite through the real ingest use case
 * (the Lambda's: lease, fetch, validate, compare, write), then — in the same process, against the
 * same dynalite — a bare BatchWriteItem loop writing the same rows (the daily rows and the hourly rows
 * of yesterday and today the run also stores; same items, same marshalling, 25 per batch) into a
 * fresh table. Reports rows/s of both, their ratio (target ≥ 0.7), the rate of
 * an unchanged re-run, and peak memory (sampled RSS and the OS's maxRSS).
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseClientConfig } from '../lib/config/load.ts';
import { MemoryPublisher } from '../lib/events/publisher.ts';
import { createTableInput, type LocalDynamo, startLocalDynamo } from '../lib/local/dynamo.ts';
import type { DailyMetric } from '../lib/model/ads.ts';
import { addDays } from '../lib/model/dates.ts';
import type { HourlyMetric } from '../lib/platforms/hourly.ts';
import { createMetaConnector } from '../lib/platforms/meta/connector.ts';
import { ManualClock } from '../lib/runtime/clock.ts';
import type { AppContext } from '../lib/runtime/context.ts';
import { silentLog } from '../lib/runtime/log.ts';
import { MarketSimulator } from '../lib/sim/market.ts';
import type { SimAdSetInput } from '../lib/sim/market-config.ts';
import { startFakeMeta } from '../lib/sim/meta/server.ts';
import { sampleMarketConfig } from '../lib/sim/sample-market.ts';
import { DynamoStore, hourlyItem, metricItem } from '../lib/store/dynamo-store.ts';
import { TABLE_DEFINITION } from '../lib/store/table-definition.ts';
import { ingestAccountCapped, ranOrThrow } from '../lib/usecases/ingest.ts';
import { printTable, writeBenchResult } from './results.ts';

const TARGET_RATIO = 0.7;
const TODAY = '2026-11-20';
const TOKEN = 'bench-token';
const BATCH = 25;

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

/** The sample Meta account with `count` ad sets cloned from the sample's six (distinct ids, same curves). */
function benchMarket(count: number, clock: ManualClock): { market: MarketSimulator; accountId: string } {
  const sample = sampleMarketConfig(11);
  const account = sample.accounts.find((a) => a.platform === 'meta');
  const templates = sample.adsets.filter((a) => a.platform === 'meta');
  if (!account || templates.length === 0) throw new Error('the sample market has no Meta account');
  const adsets: SimAdSetInput[] = Array.from({ length: count }, (_, i) => {
    const template = templates[i % templates.length] as SimAdSetInput;
    return { ...template, adsetId: String(23_860_000_000_000 + i), name: `${template.name} #${i}` };
  });
  const market = new MarketSimulator({ seed: 11, accounts: [account], adsets, startDate: addDays(TODAY, -40), clock });
  return { market, accountId: account.accountId };
}

/** Peak resident set size, sampled while `work` runs. */
async function sampled<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number; ms: number }> {
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 25);
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - t0, peakRss: Math.max(peakRss, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

/** The baseline: the same items written with nothing around them, 25 per BatchWriteItem, unprocessed items resent. */
async function bareBatchWrite(
  dynamo: LocalDynamo,
  tableName: string,
  rows: readonly DailyMetric[],
  hours: readonly HourlyMetric[],
  fetchedAt: string,
): Promise<number> {
  await dynamo.client.send(new CreateTableCommand(createTableInput(tableName, TABLE_DEFINITION)));
  // The same document client options as DynamoStore, so the marshalling is the same.
  const doc = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  const items = [
    ...rows.map((row) => metricItem({ ...row, fetchedAt, firstFetchedAt: fetchedAt, revision: 0 })),
    ...hours.map((hour) => hourlyItem(hour, fetchedAt)),
  ];
  for (let i = 0; i < items.length; i += BATCH) {
    let pending: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
      [tableName]: items.slice(i, i + BATCH).map((Item) => ({ PutRequest: { Item } })),
    };
    while (pending && Object.keys(pending).length > 0) {
      const response = await doc.send(new BatchWriteCommand({ RequestItems: pending }));
      pending = response.UnprocessedItems as typeof pending;
    }
  }
  return items.length;
}

export async function run(args: string[]): Promise<void> {
  const adsetCount = option(args, 'adsets', 500);
  const days = option(args, 'days', 28);
  const clock = new ManualClock(`${TODAY}T05:00:00Z`);
  const { market, accountId } = benchMarket(adsetCount, clock);
  const fake = await startFakeMeta({ market, accessToken: TOKEN });
  const dynamo = await startLocalDynamo();
  try {
    const connector = createMetaConnector({
      baseUrl: fake.baseUrl,
      apiVersion: 'v25.0',
      accessToken: TOKEN,
      purchaseActionType: 'omni_purchase',
    });
    const config = parseClientConfig({
      client: 'bench',
      timezone: 'Europe/Paris',
      currency: 'EUR',
      budget: { dailyTotal: '100000.00', mode: 'dry-run' },
      platforms: { meta: { accounts: [accountId], restatementDays: days } },
      report: { recipients: ['lead@bench.example'] },
    });
    const ctx: AppContext = {
      config,
      clock,
      store: new DynamoStore(dynamo.client, dynamo.tableName),
      events: new MemoryPublisher(),
      mailer: {
        send: async () => {
          throw new Error('the ingest bench sends no email');
        },
      },
      sender: 'adpilot@bench.invalid',
      connector: async () => connector,
      log: silentLog,
    };
    // Warm the simulator (days are simulated once, on first read) and the code paths, outside the timings.
    market.dailyResults(accountId, addDays(TODAY, -days), TODAY);

    const ingest = await sampled(async () => ranOrThrow(await ingestAccountCapped(ctx, { platform: 'meta', accountId, window: 'full' })));
    // The same rows the ingest run stored (read at the same clock): the daily window, and the hourly rows of the days it read them for.
    const account = market.account(accountId);
    const rows = await connector.fetchDailyMetrics(account, ingest.value.from, ingest.value.to);
    const hourly = ingest.value.hourly;
    if (!hourly?.ok) throw new Error(`the ingest run stored no hourly rows: ${JSON.stringify(hourly)}`);
    const hours = (await Promise.all(hourly.dates.map((date) => connector.fetchHourlyMetrics(account, date)))).flat();
    clock.advance(3_600_000);
    const rerun = await sampled(async () => ranOrThrow(await ingestAccountCapped(ctx, { platform: 'meta', accountId, window: 'full' })));

    const bare = await sampled(() => bareBatchWrite(dynamo, 'bare-batch-write', rows, hours, clock.now().toISOString()));

    const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
    const stored = ingest.value.rowsWritten + hourly.rowsWritten;
    if (stored !== rows.length + hours.length)
      throw new Error(`ingest stored ${stored} rows, the bare loop writes ${rows.length + hours.length}`);
    const ingestRate = rate(stored, ingest.ms);
    const bareRate = rate(bare.value, bare.ms);
    const ratio = ingestRate / bareRate;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    const table = [
      {
        run: `ingest (fresh: ${ingest.value.rowsWritten} daily + ${hourly.rowsWritten} hourly)`,
        rows: stored,
        ms: Math.round(ingest.ms),
        'rows/s': ingestRate,
        'peak rss MB': mb(ingest.peakRss),
      },
      {
        run: 'ingest (unchanged re-run, daily)',
        rows: rerun.value.rowsUnchanged,
        ms: Math.round(rerun.ms),
        'rows/s': rate(rerun.value.rowsUnchanged, rerun.ms),
        'peak rss MB': mb(rerun.peakRss),
      },
      { run: 'bare BatchWriteItem', rows: bare.value, ms: Math.round(bare.ms), 'rows/s': bareRate, 'peak rss MB': mb(bare.peakRss) },
    ];
    printTable(table);
    console.log(
      `\ningest / bare = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}); maxRSS ${Math.round(maxRssMb)} MB`,
    );
    const file = writeBenchResult('ingest', {
      adsets: adsetCount,
      days,
      rows: stored,
      dailyRows: ingest.value.rowsWritten,
      hourlyRows: hourly.rowsWritten,
      runs: table,
      ratio: Number(ratio.toFixed(3)),
      targetRatio: TARGET_RATIO,
      met: ratio >= TARGET_RATIO,
      maxRssMb: Math.round(maxRssMb),
    });
    console.log(`written ${file}`);
    if (rerun.value.rowsWritten !== 0) throw new Error(`the unchanged re-run wrote ${rerun.value.rowsWritten} rows`);
  } finally {
    await dynamo.close();
    await fake.close();
  }
}
