/**
 * `adpilot backfill --client <file> --data-dir <dir> --since <date> [--until <date>] [--platform p] [--account id]`:
 * ingests a past range for every configured account (or the ones named), in chunks, oldest first,
 * printing one line per chunk. Idempotent: a second run writes 0 rows; after a failure, re-running resumes.
 */
import { resolve } from 'node:path';
import { loadClientConfig } from '../config/load.ts';
import { configuredAccounts } from '../config/platforms.ts';
import { Platform } from '../model/ads.ts';
import { systemClock } from '../runtime/clock.ts';
import { BACKFILL_CHUNK_DAYS, type BackfillChunk, type BackfillResult, backfillAccount } from '../usecases/ingest.ts';
import { parseOptions, requireDate, requireString } from './args.ts';
import { CliUsageError } from './errors.ts';
import { openLocalDeployment } from './local-deployment.ts';

const HELP = `usage: adpilot backfill --client <file> --data-dir <dir> --since <YYYY-MM-DD> [--until <YYYY-MM-DD>]
                        [--platform <platform>] [--account <id>] [--chunk-days <n>] [--json]

  --client      client config (YAML or JSON)
  --data-dir    where state persists (store, events.jsonl, outbox)
  --since       first account-local date to ingest
  --until       last account-local date to ingest (default: today in each account's time zone)
  --platform    only this platform's accounts (${Platform.options.join(', ')})
  --account     only this account id
  --chunk-days  days fetched and written per chunk (default ${BACKFILL_CHUNK_DAYS})
  --json        print the results as JSON`;

type AccountOutcome = ({ ok: true } & BackfillResult) | { ok: false; platform: Platform; accountId: string; error: string };

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions(
    args,
    {
      client: { type: 'string' },
      'data-dir': { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      platform: { type: 'string' },
      account: { type: 'string' },
      'chunk-days': { type: 'string' },
      json: { type: 'boolean' },
    },
    HELP,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const since = requireDate(values.since, 'since', HELP);
  const until = values.until === undefined ? undefined : requireDate(values.until, 'until', HELP);
  if (until !== undefined && since > until) throw new CliUsageError(`--since ${since} is after --until ${until}`);
  const platform = values.platform === undefined ? undefined : parsePlatform(values.platform);
  const chunkDays = values['chunk-days'] === undefined ? BACKFILL_CHUNK_DAYS : parseChunkDays(values['chunk-days']);
  const dataDir = resolve(requireString(values['data-dir'], 'data-dir', HELP));
  const config = loadClientConfig(requireString(values.client, 'client', HELP));

  const deployment = await openLocalDeployment(config, systemClock, dataDir);
  const outcomes: AccountOutcome[] = [];
  try {
    const { ctx } = deployment.runtime;
    const accounts = configuredAccounts(ctx.config).filter(
      (a) => (platform === undefined || a.platform === platform) && (values.account === undefined || a.accountId === values.account),
    );
    if (accounts.length === 0) {
      throw new CliUsageError(
        `no configured account matches${platform ? ` --platform ${platform}` : ''}${values.account ? ` --account ${values.account}` : ''}`,
      );
    }
    for (const account of accounts) {
      if (!values.json) console.log(`backfill ${account.platform} ${account.accountId} from ${since}${until ? ` to ${until}` : ''}`);
      try {
        const result = await backfillAccount(
          ctx,
          { ...account, since, chunkDays, ...(until === undefined ? {} : { until }) },
          { onChunk: values.json ? undefined : printChunk },
        );
        outcomes.push({ ok: true, ...result });
        if (!values.json) {
          console.log(`  done: ${result.from}..${result.to}, ${result.rowsWritten} rows written, ${result.rowsUnchanged} unchanged`);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        outcomes.push({ ok: false, ...account, error: message });
        if (!values.json) console.error(`  FAILED: ${message}`);
      }
    }
  } finally {
    await deployment.close();
  }
  if (values.json) console.log(JSON.stringify(outcomes, null, 2));
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

function printChunk(chunk: BackfillChunk): void {
  console.log(
    `  chunk ${chunk.index}/${chunk.count} ${chunk.from}..${chunk.to}: ${chunk.rowsWritten} rows written, ${chunk.rowsUnchanged} unchanged`,
  );
}

function parsePlatform(value: string): Platform {
  const parsed = Platform.safeParse(value);
  if (!parsed.success) throw new CliUsageError(`--platform must be one of ${Platform.options.join(', ')}, got "${value}"`);
  return parsed.data;
}

function parseChunkDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new CliUsageError(`--chunk-days must be a whole number from 1 to 366, got "${value}"`);
  return days;
}
