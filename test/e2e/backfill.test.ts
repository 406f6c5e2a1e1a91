import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDateAt } from '../../lib/model/dates.ts';
import { microsToDecimal } from '../../lib/model/money.ts';
import { systemClock } from '../../lib/runtime/clock.ts';
import { MarketSimulator } from '../../lib/sim/market.ts';
import { SAMPLE_ACCOUNT_ID, sampleMarketConfig } from '../../lib/sim/sample-market.ts';
import { adpilot, type CliResult } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'adpilot-e2e-backfill-'));
const dataDir = join(dir, 'data');
const clientFile = join(dir, 'client.yaml');
const SEED = 11;
// The CLI runs on the system clock; so does the truth below.
const TODAY = localDateAt(systemClock.now(), 'Europe/Paris');
const SINCE = addDays(TODAY, -120);

writeFileSync(
  clientFile,
  `client: e2e-backfill
timezone: Europe/Paris
currency: EUR
budget: { dailyTotal: 1500.00, mode: dry-run }
platforms:
  meta: { accounts: [${SAMPLE_ACCOUNT_ID}] }
report: { recipients: [lead@e2e.example] }
simulation: { seed: ${SEED} }
`,
);

const backfill = (...extra: string[]) =>
  adpilot(['backfill', '--client', clientFile, '--data-dir', dataDir, '--platform', 'meta', '--since', SINCE, ...extra]);

describe('adpilot backfill on the bundled simulation', () => {
  let first: CliResult;
  let second: CliResult;
  let exported: CliResult;

  beforeAll(async () => {
    first = await backfill();
    exported = await adpilot(['export', 'metrics', '--client', clientFile, '--data-dir', dataDir]);
    second = await backfill('--json');
  }, 300_000);

  it('reports progress chunk by chunk, oldest first', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const chunks = first.stdout.split('\n').filter((line) => line.trim().startsWith('chunk '));
    expect(chunks.map((line) => line.trim().split(' ').slice(0, 3).join(' '))).toEqual([
      `chunk 1/5 ${SINCE}..${addDays(SINCE, 27)}:`,
      `chunk 2/5 ${addDays(SINCE, 28)}..${addDays(SINCE, 55)}:`,
      `chunk 3/5 ${addDays(SINCE, 56)}..${addDays(SINCE, 83)}:`,
      `chunk 4/5 ${addDays(SINCE, 84)}..${addDays(SINCE, 111)}:`,
      `chunk 5/5 ${addDays(SINCE, 112)}..${TODAY}:`,
    ]);
  });

  it('stores what the market reported for those days: the export equals the truth', () => {
    expect(exported.code, exported.stderr).toBe(0);
    const journal = JSON.parse(readFileSync(join(dataDir, 'sim', 'market.json'), 'utf8')) as { seed: number; startDate: string };
    expect(journal.seed).toBe(SEED);
    const market = new MarketSimulator({ ...sampleMarketConfig(SEED), startDate: journal.startDate, clock: systemClock });
    const truth = market.dailyResults(SAMPLE_ACCOUNT_ID, SINCE, addDays(TODAY, -1)).map((r) => ({
      platform: r.platform,
      accountId: r.accountId,
      adsetId: r.adsetId,
      campaignId: r.campaignId,
      date: r.date,
      currency: r.currency,
      spend: microsToDecimal(r.spendMicros, 2),
      revenue: microsToDecimal(r.revenueMicros, 2),
      impressions: r.impressions,
      clicks: r.clicks,
      conversions: r.conversions,
      revision: 0,
    }));
    const rows = exported.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const { fetchedAt: _fetchedAt, ...row } = JSON.parse(line) as Record<string, unknown>;
        return row;
      });
    const byKey = (a: { date?: unknown; adsetId?: unknown }, b: { date?: unknown; adsetId?: unknown }) =>
      `${a.date}${a.adsetId}`.localeCompare(`${b.date}${b.adsetId}`);
    expect(truth.length).toBeGreaterThan(60 * 6);
    expect(rows.sort(byKey)).toEqual(truth.sort(byKey));
  });

  it('writes 0 rows when run again', () => {
    expect(second.code, second.stderr).toBe(0);
    const [result, ...others] = JSON.parse(second.stdout) as {
      ok: boolean;
      rowsWritten: number;
      rowsUnchanged: number;
      chunks: unknown[];
    }[];
    expect(others).toEqual([]);
    expect(result).toMatchObject({ ok: true, rowsWritten: 0 });
    expect(result?.rowsUnchanged).toBeGreaterThan(60 * 6);
    expect(result?.chunks).toHaveLength(5);
  });

  it('refuses a bad range with a usage error', async () => {
    const bad = await adpilot(['backfill', '--client', clientFile, '--data-dir', dataDir, '--since', TODAY, '--until', SINCE]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`adpilot backfill: --since ${TODAY} is after --until ${SINCE}`);
  });
});
