/**
 * `npm run bench -- report [--adsets <n>] [--runs <n>]`: the weekly email of a large client,
 * stage by stage, as SendReport makes it: the report model from five weeks of daily rows,
 * the charts (vega-lite → SVG → PNG), the HTML and text parts (MJML), and the MIME message
 * with the charts inline, built by the SES adapter (nodemailer's composer) against a fake SES
 * client. The first run is a cold start (as in a fresh Lambda); the others give a warm median.
 * Targets (issue 7): under 5 s in total, under 1 MB for the whole email with its images.
 */

import { gzipSync } from 'node:zlib';
import type { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { renderCharts } from '../lib/report/charts.ts';
import { buildWeeklyReport } from '../lib/report/model.ts';
import { renderWeeklyReportEmail } from '../lib/report/render.ts';
import { SesMailer } from '../lib/report/ses-mailer.ts';
import { syntheticReportInput } from '../test/e2e/browser/report-input.ts';
import { printTable, writeBenchResult } from './results.ts';

const TARGET_TOTAL_MS = 5_000;
const TARGET_MIME_BYTES = 1024 * 1024;
/** DynamoDB's item size limit: the stored report model (one item, gzipped JSON as DynamoStore writes it) must stay below it. */
const DYNAMODB_ITEM_BYTES = 400 * 1024;

const STAGES = ['model', 'charts', 'html', 'mime'] as const;
type Stage = (typeof STAGES)[number];

interface RunResult {
  readonly ms: Record<Stage | 'total', number>;
  readonly bytes: { mime: number; html: number; text: number; charts: Record<string, number>; model: number };
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

/** One complete rendering, timed per stage. */
async function once(adsets: number): Promise<RunResult> {
  const input = syntheticReportInput({ adsets, hostile: true });
  let raw: Uint8Array | undefined;
  const fakeSes = {
    send: async (command: SendEmailCommand) => {
      raw = command.input.Content?.Raw?.Data;
      return { MessageId: 'bench' };
    },
  } as unknown as SESv2Client;
  const mailer = new SesMailer(fakeSes);

  const t0 = performance.now();
  const report = buildWeeklyReport(input);
  const t1 = performance.now();
  const charts = await renderCharts(report);
  const t2 = performance.now();
  const email = await renderWeeklyReportEmail(report, { charts });
  const t3 = performance.now();
  await mailer.send({
    from: 'adpilot@acme-outdoor.example',
    to: ['lead@acme-outdoor.example'],
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: charts.map((c) => ({ filename: `${c.cid}.png`, contentType: 'image/png', content: c.png, cid: c.cid })),
    idempotencyKey: `weekly-report-${report.client}-${report.week.label}`,
  });
  const t4 = performance.now();
  if (!raw) throw new Error('the SES adapter sent no raw message');
  return {
    ms: { model: t1 - t0, charts: t2 - t1, html: t3 - t2, mime: t4 - t3, total: t4 - t0 },
    bytes: {
      mime: raw.byteLength,
      html: Buffer.byteLength(email.html),
      text: Buffer.byteLength(email.text),
      charts: Object.fromEntries(charts.map((c) => [c.cid, c.png.byteLength])),
      model: gzipSync(JSON.stringify(report)).byteLength,
    },
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(0));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export async function run(args: string[]): Promise<void> {
  const adsets = option(args, 'adsets', 500);
  const runs = option(args, 'runs', 3);
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i += 1) results.push(await once(adsets));
  const [cold, ...warm] = results as [RunResult, ...RunResult[]];
  const warmMedian = (stage: Stage | 'total') => (warm.length > 0 ? median(warm.map((r) => r.ms[stage])) : undefined);

  console.log(`weekly report for ${adsets} ad sets (${adsets * 35} daily rows, 3 platforms, 3 currencies), ${runs} runs\n`);
  printTable(
    [...STAGES, 'total' as const].map((stage) => ({
      stage,
      'cold ms': ms(cold.ms[stage]),
      'warm median ms': ms(warmMedian(stage)),
      target: stage === 'total' ? `< ${TARGET_TOTAL_MS} ms` : '',
      ok: stage === 'total' ? (cold.ms.total < TARGET_TOTAL_MS ? 'yes' : 'NO') : '',
    })),
  );
  console.log('');
  const sizes = cold.bytes;
  printTable([
    {
      part: 'MIME message (html + text + inline PNGs)',
      size: kb(sizes.mime),
      target: '< 1024 KB',
      ok: sizes.mime < TARGET_MIME_BYTES ? 'yes' : 'NO',
    },
    { part: 'HTML part', size: kb(sizes.html), target: '< 102 KB (Gmail clips)', ok: sizes.html < 102 * 1024 ? 'yes' : 'NO' },
    { part: 'text part', size: kb(sizes.text), target: '', ok: '' },
    ...Object.entries(sizes.charts).map(([cid, bytes]) => ({ part: `chart ${cid}.png`, size: kb(bytes), target: '', ok: '' })),
    {
      part: 'stored report model (gzipped JSON, one DynamoDB item)',
      size: kb(sizes.model),
      target: '< 400 KB (item limit)',
      ok: sizes.model < DYNAMODB_ITEM_BYTES ? 'yes' : 'NO',
    },
  ]);

  const file = writeBenchResult('report', {
    adsets,
    dailyRows: adsets * 35,
    runs,
    coldMs: cold.ms,
    warmMedianMs: Object.fromEntries([...STAGES, 'total' as const].map((s) => [s, warmMedian(s) ?? null])),
    bytes: sizes,
    targets: { totalMs: TARGET_TOTAL_MS, mimeBytes: TARGET_MIME_BYTES, htmlBytes: 102 * 1024, modelBytes: DYNAMODB_ITEM_BYTES },
    pass: { total: cold.ms.total < TARGET_TOTAL_MS, mime: sizes.mime < TARGET_MIME_BYTES, model: sizes.model < DYNAMODB_ITEM_BYTES },
  });
  console.log(`\n${file}`);
}
