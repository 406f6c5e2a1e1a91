import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateRange } from '../../lib/model/dates.ts';
import { adpilot } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'adpilot-e2e-'));
const dataDir = join(dir, 'data');
const clientFile = join(dir, 'client.yaml');
const FIRST = '2026-11-02';
const DATES = dateRange(FIRST, addDays(FIRST, 13));

writeFileSync(
  clientFile,
  `client: e2e-outdoor
timezone: Europe/Paris
currency: EUR
budget: { dailyTotal: 1500.00, mode: auto }
platforms:
  meta: { accounts: [act_1000000001] }
report: { recipients: [lead@e2e.example], weekday: monday }
simulation: { seed: 11 }
`,
);

async function exportMetrics(): Promise<string> {
  const result = await adpilot(['export', 'metrics', '--client', clientFile, '--data-dir', dataDir]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

const eventIds = () =>
  readFileSync(join(dataDir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { id: string }).id);

describe('adpilot run-day on 14 consecutive dates against the bundled fake', () => {
  const results: { date: string; rowsWritten: number; rowsUnchanged: number; report?: { week?: string } }[] = [];

  beforeAll(async () => {
    for (const date of DATES) {
      const r = await adpilot(['run-day', '--client', clientFile, '--date', date, '--data-dir', dataDir, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout) as { ingestion: { rowsWritten: number; rowsUnchanged: number }[]; report?: { week?: string } };
      const [ingest] = json.ingestion;
      results.push({
        date,
        rowsWritten: ingest?.rowsWritten ?? -1,
        rowsUnchanged: ingest?.rowsUnchanged ?? -1,
        ...(json.report ? { report: json.report } : {}),
      });
    }
  }, 600_000);

  it('keeps state across runs: after the first day only the new day is written', () => {
    const [first, ...rest] = results;
    expect(first?.rowsWritten).toBeGreaterThan(6 * 20);
    for (const day of rest) {
      expect(day.rowsWritten, day.date).toBe(6);
      expect(day.rowsUnchanged, day.date).toBeGreaterThan(100);
    }
  });

  it('sends the weekly email on the report weekday only, once per week', () => {
    expect(results.filter((r) => r.report).map((r) => [r.date, r.report?.week])).toEqual([
      ['2026-11-02', '2026-W44'],
      ['2026-11-09', '2026-W45'],
    ]);
    const outbox = readdirSync(join(dataDir, 'outbox')).sort();
    expect(outbox).toEqual([
      'weekly-report-e2e-outdoor-2026-W44.eml',
      'weekly-report-e2e-outdoor-2026-W44.html',
      'weekly-report-e2e-outdoor-2026-W45.eml',
      'weekly-report-e2e-outdoor-2026-W45.html',
    ]);
  });

  it('re-running a date changes nothing: same store, same events, no new email', async () => {
    const before = await exportMetrics();
    const idsBefore = new Set(eventIds());
    const emailBefore = readFileSync(join(dataDir, 'outbox', 'weekly-report-e2e-outdoor-2026-W45.eml'));
    const again = await adpilot(['run-day', '--client', clientFile, '--date', '2026-11-09', '--data-dir', dataDir, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(await exportMetrics()).toBe(before);
    expect(new Set(eventIds())).toEqual(idsBefore);
    expect(readFileSync(join(dataDir, 'outbox', 'weekly-report-e2e-outdoor-2026-W45.eml'))).toEqual(emailBefore);
    expect((JSON.parse(again.stdout) as { report: { alreadySent: boolean } }).report.alreadySent).toBe(true);
  }, 120_000);
});

describe('adpilot with bad input', () => {
  it('names the bad config fields, exits 2 and writes nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    const badData = join(dir, 'bad-data');
    writeFileSync(
      bad,
      'client: Acme Corp\ntimezone: Europe/Pariss\ncurrency: EUR\nbudget: { dailyTotal: -5 }\nplatforms: {}\nreport: { recipients: [] }\n',
    );
    const r = await adpilot(['run-day', '--client', bad, '--date', '2026-11-02', '--data-dir', badData]);
    expect(r.code).toBe(2);
    for (const field of ['client', 'timezone', 'budget.dailyTotal', 'platforms', 'report.recipients'])
      expect(r.stderr).toContain(`- ${field}:`);
    expect(existsSync(badData)).toBe(false);
  });

  it('explains a missing option and a malformed date', async () => {
    const noDate = await adpilot(['run-day', '--client', clientFile, '--data-dir', dataDir]);
    expect(noDate.code).toBe(2);
    expect(noDate.stderr).toContain('--date is required');
    const badDate = await adpilot(['run-day', '--client', clientFile, '--date', '2026-02-30', '--data-dir', dataDir]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--date must be a calendar date');
  });
});
