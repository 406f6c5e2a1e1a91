import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimalToMicros, formatMoney } from '../../lib/model/money.ts';
import { adpilot } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'adpilot-e2e-report-'));
const dataDir = join(dir, 'data');
const clientFile = join(dir, 'client.yaml');
const WEEK = '2026-W45';
/** A Tuesday: run-day backfills the restatement window (28 days) but sends no weekly email. */
const RUN_DATE = '2026-11-10';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

writeFileSync(
  clientFile,
  `client: e2e-report
timezone: Europe/Paris
currency: EUR
budget: { dailyTotal: 1500.00, mode: auto }
platforms:
  meta: { accounts: [act_1000000001] }
report: { recipients: [lead@e2e.example], weekday: monday }
simulation: { seed: 11 }
`,
);

const report = (...args: string[]) =>
  adpilot(['report', '--client', clientFile, '--data-dir', dataDir, '--week', WEEK, '--date', RUN_DATE, ...args]);

const outbox = () => (existsSync(join(dataDir, 'outbox')) ? readdirSync(join(dataDir, 'outbox')).sort() : []);

const sentEvents = () =>
  readFileSync(join(dataDir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; 'detail-type': string })
    .filter((e) => e['detail-type'] === 'Weekly Report Sent');

/** Total spend of the week in the store, as `adpilot export metrics` gives it. */
async function exportedSpend(from: string, to: string): Promise<number> {
  const r = await adpilot(['export', 'metrics', '--client', clientFile, '--data-dir', dataDir, '--from', from, '--to', to]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { spend: string })
    .reduce((sum, row) => sum + decimalToMicros(row.spend), 0);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('adpilot report on a simulated client', () => {
  beforeAll(async () => {
    const r = await adpilot(['run-day', '--client', clientFile, '--date', RUN_DATE, '--data-dir', dataDir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { report?: unknown }).report).toBeUndefined();
  }, 180_000);

  it('without --send writes a preview (html, text, chart PNGs) to the data dir and sends nothing', async () => {
    const r = await report('--json');
    expect(r.code, r.stderr).toBe(0);
    const preview = JSON.parse(r.stdout) as {
      week: string;
      subject: string;
      html: string;
      text: string;
      charts: { file: string; alt: string }[];
    };
    const previewDir = join(dataDir, 'preview', WEEK);
    expect({ week: preview.week, html: preview.html, text: preview.text, charts: preview.charts.map((c) => c.file) }).toEqual({
      week: WEEK,
      html: join(previewDir, 'email.html'),
      text: join(previewDir, 'email.txt'),
      charts: [join(previewDir, 'roas-trend.png'), join(previewDir, 'spend-by-platform.png')],
    });
    expect(readdirSync(previewDir).sort()).toEqual(['email.html', 'email.txt', 'roas-trend.png', 'spend-by-platform.png']);
    for (const chart of preview.charts) {
      expect([...readFileSync(chart.file).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      expect(chart.alt).toMatch(/^(ROAS by week|Spend by platform)/);
    }
    // The html shows the PNGs beside it, with their alt text.
    const html = readFileSync(preview.html, 'utf8');
    expect([...html.matchAll(/<img\s[^>]*src="([^"]+)"/g)].map((m) => m[1])).toEqual(['roas-trend.png', 'spend-by-platform.png']);
    expect(html).not.toContain('cid:');
    // The week's spend is the sum of the stored rows of Monday 2 to Sunday 8 November.
    const spend = formatMoney(await exportedSpend('2026-11-02', '2026-11-08'), 'EUR');
    expect(preview.subject).toMatch(
      new RegExp(`^e2e-report · ROI ${WEEK} \\(2 Nov – 8 Nov 2026\\): ROAS \\d+\\.\\d\\dx .*, spend ${spend.replace(/[.$]/g, '\\$&')}$`),
    );
    const text = readFileSync(preview.text, 'utf8');
    expect(text.startsWith(`Subject: ${preview.subject}\n\n`)).toBe(true);
    expect(text).toContain(`Spend    ${spend}*`);
    expect(outbox()).toEqual([]);
    expect(sentEvents()).toEqual([]);
  });

  it('with --send sends the email once, charts inline by CID; a second --send sends nothing new', async () => {
    const first = await report('--send', '--json');
    expect(first.code, first.stderr).toBe(0);
    const eml = join(dataDir, 'outbox', `weekly-report-e2e-report-${WEEK}.eml`);
    const sent = JSON.parse(first.stdout) as { week: string; messageId: string; location: string; alreadySent: boolean };
    expect(sent).toEqual({
      week: WEEK,
      messageId: `<weekly-report-e2e-report-${WEEK}@e2e-report.invalid>`,
      location: eml,
      alreadySent: false,
    });
    expect(outbox()).toEqual([`weekly-report-e2e-report-${WEEK}.eml`, `weekly-report-e2e-report-${WEEK}.html`]);
    const mime = readFileSync(eml);
    expect(mime.length).toBeLessThan(1024 * 1024);
    expect(mime.toString('latin1')).toMatch(/Content-Type: multipart\/related/);
    expect([...mime.toString('latin1').matchAll(/^Content-ID: <([^>]+)>/gm)].map((m) => m[1])).toEqual(['roas-trend', 'spend-by-platform']);
    // The sent email is the previewed one.
    const previewTitle = /<title>(.*)<\/title>/.exec(readFileSync(join(dataDir, 'preview', WEEK, 'email.html'), 'utf8'))?.[1];
    const sentTitle = /<title>(.*)<\/title>/.exec(readFileSync(eml.replace(/\.eml$/, '.html'), 'utf8'))?.[1];
    expect(sentTitle).toBe(previewTitle);
    expect(sentEvents().map((e) => e.id)).toEqual([`weekly-report-sent:e2e-report:${WEEK}`]);

    const again = await report('--send');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`adpilot report ${WEEK}: already sent, not sent again → ${eml} (${sent.messageId})\n`);
    expect(readFileSync(eml)).toEqual(mime);
    expect(sentEvents().map((e) => e.id)).toEqual([`weekly-report-sent:e2e-report:${WEEK}`]);
  });

  it('is listed in the help, and explains a missing or malformed week and a missing data dir', async () => {
    const help = await adpilot(['--help']);
    expect(help.stdout).toMatch(/^ {2}report {5}preview or send the weekly ROI email of one week$/m);
    const noWeek = await adpilot(['report', '--client', clientFile, '--data-dir', dataDir]);
    expect({ code: noWeek.code, error: noWeek.stderr.split('\n')[0] }).toEqual({ code: 2, error: 'adpilot report: --week is required' });
    const noData = await adpilot(['report', '--client', clientFile, '--data-dir', join(dir, 'nowhere'), '--week', WEEK]);
    expect({ code: noData.code, stderr: noData.stderr }).toEqual({
      code: 2,
      stderr: `adpilot report: no data dir at ${join(dir, 'nowhere')}: run "adpilot run-day" or "adpilot demo" with it first\n`,
    });
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    for (const week of ['2026-W54', 'last week']) {
      const bad = await adpilot(['report', '--client', clientFile, '--data-dir', dataDir, '--week', week]);
      expect({ code: bad.code, stderr: bad.stderr }).toEqual({
        code: 2,
        stderr: `adpilot report: --week must be an ISO week YYYY-Www such as 2026-W45, got "${week}"\n`,
      });
    }
  });
});
