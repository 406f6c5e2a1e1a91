/**
 * `adpilot report --client <file> --data-dir <dir> --week <YYYY-Www> [--send] [--date <YYYY-MM-DD>] [--json]`:
 * the weekly email of one week from the store in the data dir. Without --send it only renders a
 * preview (html, text and the chart PNGs in `<data-dir>/preview/<week>/`) and changes nothing;
 * with --send it runs the weekly-report steps (BuildReport, SendReport) through the local
 * runtime, which sends once per week (locally: into the outbox).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mondayOfIsoWeek, zonedTimeToInstant } from '../model/dates.ts';
import type { EmailAttachment } from '../report/mailer.ts';
import { type Clock, fixedClock, systemClock } from '../runtime/clock.ts';
import type { ReportEmail } from '../usecases/report.ts';
import { parseOptions, requireDate, requireString } from './args.ts';
import { CliUsageError } from './errors.ts';

const HELP = `usage: adpilot report --client <file> --data-dir <dir> --week <YYYY-Www> [--send] [--date <YYYY-MM-DD>] [--json]

  --client     client config (YAML or JSON)
  --data-dir   the data dir that run-day or demo filled (store, outbox)
  --week       the ISO week to report, e.g. 2026-W45 (Monday to Sunday in the client's time zone)
  --send       build and send the email (once per week; locally it goes to the outbox);
               without it, only write a preview to <data-dir>/preview/<week>/
  --date       the day the report is made, which decides the provisional figures
               (default: today in the client's time zone)
  --json       print the result as JSON`;

export interface ReportPreview {
  readonly week: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly charts: { readonly file: string; readonly alt: string }[];
}

export interface ReportSent {
  readonly week: string;
  readonly messageId: string;
  readonly location: string;
  readonly alreadySent: boolean;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions(
    args,
    {
      client: { type: 'string' },
      'data-dir': { type: 'string' },
      week: { type: 'string' },
      send: { type: 'boolean' },
      date: { type: 'string' },
      json: { type: 'boolean' },
    },
    HELP,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const week = requireWeek(values.week);
  const date = values.date === undefined ? undefined : requireDate(values.date, 'date', HELP);
  const dataDir = resolve(requireString(values['data-dir'], 'data-dir', HELP));
  const clientFile = requireString(values.client, 'client', HELP);
  if (!existsSync(dataDir)) throw new CliUsageError(`no data dir at ${dataDir}: run "adpilot run-day" or "adpilot demo" with it first`);
  // The runtime (dynalite, the SDK, mjml, vega) loads only once the options are known to be good: a usage error answers at once.
  const [{ loadClientConfig }, { startLocalRuntime }, { computeWeeklyReport, renderReportEmail, reportWeek }] = await Promise.all([
    import('../config/load.ts'),
    import('../local/runtime.ts'),
    import('../usecases/report.ts'),
  ]);
  const config = loadClientConfig(clientFile);
  // "today" for the provisional marks: the report hour of --date, as the weekly schedule would run it.
  const clock: Clock = date ? fixedClock(zonedTimeToInstant(date, config.report.hour, config.timezone)) : systemClock;
  const runtime = await startLocalRuntime({
    config,
    clock,
    dataDir,
    connector: async () => {
      throw new CliUsageError('report reads the store only');
    },
  });
  try {
    if ((await runtime.ctx.store.listAccounts()).length === 0) {
      throw new CliUsageError(`the store in ${dataDir} holds no ad account yet: run "adpilot run-day" with it first`);
    }
    if (values.send) {
      await runtime.invoke('build-report', { week });
      const sent = await runtime.invoke<ReportSent>('send-report', { week });
      if (values.json) console.log(JSON.stringify(sent, null, 2));
      else printSent(sent);
    } else {
      const rendered = await renderReportEmail(await computeWeeklyReport(runtime.ctx, reportWeek({ week }, runtime.ctx.config.timezone)));
      const preview = writePreview(join(dataDir, 'preview', week), week, rendered);
      if (values.json) console.log(JSON.stringify(preview, null, 2));
      else printPreview(preview);
    }
  } finally {
    await runtime.close();
  }
  return 0;
}

function requireWeek(value: unknown): string {
  const week = requireString(value, 'week', HELP);
  try {
    mondayOfIsoWeek(week);
  } catch {
    throw new CliUsageError(`--week must be an ISO week YYYY-Www such as 2026-W45, got "${week}"`);
  }
  return week;
}

/** Writes the email as files a browser opens: the html refers to the chart PNGs beside it instead of cid: URLs. */
export function writePreview(dir: string, week: string, rendered: ReportEmail): ReportPreview {
  mkdirSync(dir, { recursive: true });
  const html = join(dir, 'email.html');
  const text = join(dir, 'email.txt');
  writeFileSync(html, withLocalImages(rendered.email.html, rendered.attachments));
  writeFileSync(text, `Subject: ${rendered.email.subject}\n\n${rendered.email.text}`);
  const charts = rendered.attachments.map((a, i) => {
    const file = join(dir, a.filename);
    writeFileSync(file, a.content);
    return { file, alt: rendered.charts[i]?.alt ?? '' };
  });
  return { week, subject: rendered.email.subject, html, text, charts };
}

/** Points each `cid:` image at its attachment's file name (the HTML holds the cid URL-encoded). */
function withLocalImages(html: string, attachments: readonly EmailAttachment[]): string {
  const files = new Map(attachments.flatMap((a) => (a.cid === undefined ? [] : [[encodeURIComponent(a.cid), a.filename]])));
  return html.replace(/src="cid:([^"]*)"/g, (whole, cid: string) => {
    const file = files.get(cid.replace(/&amp;/g, '&'));
    return file === undefined ? whole : `src="${encodeURIComponent(file)}"`;
  });
}

function printPreview(p: ReportPreview): void {
  console.log(`adpilot report ${p.week}: preview written, nothing sent (add --send to send it)
  subject  ${p.subject}
  html     ${p.html}
  text     ${p.text}
${p.charts.map((c) => `  chart    ${c.file}`).join('\n')}`);
}

function printSent(s: ReportSent): void {
  console.log(
    s.alreadySent
      ? `adpilot report ${s.week}: already sent, not sent again → ${s.location} (${s.messageId})`
      : `adpilot report ${s.week}: sent → ${s.location} (${s.messageId})`,
  );
}
