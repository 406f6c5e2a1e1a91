/**
 * `adpilot export metrics --client <file> --data-dir <dir> [--format jsonl|csv] [--from] [--to]`:
 * the normalized daily metrics, one row per platform, account, ad set and account-local date.
 */
import { resolve } from 'node:path';
import { loadClientConfig } from '../config/load.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import type { StoredDailyMetric } from '../model/ads.ts';
import { microsToDecimal } from '../model/money.ts';
import { systemClock } from '../runtime/clock.ts';
import { parseOptions, requireDate, requireString } from './args.ts';
import { CliUsageError } from './errors.ts';

const HELP = `usage: adpilot export metrics --client <file> --data-dir <dir> [--format jsonl|csv] [--from <date>] [--to <date>]`;

const COLUMNS = [
  'platform',
  'accountId',
  'adsetId',
  'campaignId',
  'date',
  'currency',
  'spend',
  'revenue',
  'impressions',
  'clicks',
  'conversions',
  'fetchedAt',
  'revision',
] as const;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      client: { type: 'string' },
      'data-dir': { type: 'string' },
      format: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
    HELP,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals[0] !== 'metrics') throw new CliUsageError(`what to export? only "metrics" exists\n\n${HELP}`);
  const format = values.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') throw new CliUsageError(`--format must be jsonl or csv, got "${format}"`);
  const config = loadClientConfig(requireString(values.client, 'client', HELP));
  const from = values.from ? requireDate(values.from, 'from', HELP) : '0000-01-01';
  const to = values.to ? requireDate(values.to, 'to', HELP) : '9999-12-31';
  const runtime = await startLocalRuntime({
    config,
    clock: systemClock,
    dataDir: resolve(requireString(values['data-dir'], 'data-dir', HELP)),
    connector: async () => {
      throw new CliUsageError('export reads the store only');
    },
  });
  try {
    if (format === 'csv') process.stdout.write(`${COLUMNS.join(',')}\n`);
    for (const account of await runtime.ctx.store.listAccounts()) {
      const rows = await runtime.ctx.store.metricsForAccount(account.platform, account.accountId, from, to);
      for (const row of rows) process.stdout.write(`${format === 'csv' ? toCsv(row) : JSON.stringify(toExport(row))}\n`);
    }
  } finally {
    await runtime.close();
  }
  return 0;
}

function toExport(row: StoredDailyMetric): Record<(typeof COLUMNS)[number], string | number> {
  return {
    platform: row.platform,
    accountId: row.accountId,
    adsetId: row.adsetId,
    campaignId: row.campaignId,
    date: row.date,
    currency: row.currency,
    spend: microsToDecimal(row.spendMicros, 2),
    revenue: microsToDecimal(row.revenueMicros, 2),
    impressions: row.impressions,
    clicks: row.clicks,
    conversions: row.conversions,
    fetchedAt: row.fetchedAt,
    revision: row.revision,
  };
}

function toCsv(row: StoredDailyMetric): string {
  const values = toExport(row);
  return COLUMNS.map((c) => {
    const text = String(values[c]);
    return /[",\n\r]/.test(text) || /^[=+\-@]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(',');
}
