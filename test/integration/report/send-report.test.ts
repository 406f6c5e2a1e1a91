/**
 * SendReport on the real store (dynalite) with a mailer that keeps what it is given: the email
 * carries each chart as an inline PNG under the CID its HTML refers to, and the week is sent once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../lib/config/load.ts';
import { MemoryPublisher } from '../../../lib/events/publisher.ts';
import { type LocalDynamo, startLocalDynamo } from '../../../lib/local/dynamo.ts';
import { chartSpecs } from '../../../lib/report/charts.ts';
import type { Mailer, OutgoingEmail, SentEmail } from '../../../lib/report/mailer.ts';
import { buildWeeklyReport } from '../../../lib/report/model.ts';
import { weeklyReportSubject } from '../../../lib/report/render.ts';
import { displayName, escapeHtml } from '../../../lib/report/text.ts';
import { fixedClock } from '../../../lib/runtime/clock.ts';
import type { AppContext } from '../../../lib/runtime/context.ts';
import { silentLog } from '../../../lib/runtime/log.ts';
import { DynamoStore } from '../../../lib/store/dynamo-store.ts';
import { UseCaseError } from '../../../lib/usecases/errors.ts';
import { sendReport } from '../../../lib/usecases/report.ts';
import { syntheticReportInput } from '../../e2e/browser/report-input.ts';

/** A Mailer that records each email and answers like a mail service. */
class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail): Promise<SentEmail> {
    this.sent.push(email);
    return { messageId: `<${email.idempotencyKey}@test>`, location: `test:${this.sent.length}` };
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const report = buildWeeklyReport(syntheticReportInput({ adsets: 12, hostile: true }));
const config = parseClientConfig(
  {
    client: report.client,
    timezone: report.timezone,
    currency: report.currency,
    budget: { dailyTotal: '1500.00' },
    platforms: { meta: { accounts: ['act_1000000001'] } },
    report: { recipients: ['lead@acme-outdoor.example', 'cfo@acme-outdoor.example'] },
  },
  'the send-report test client',
);

let dynamo: LocalDynamo;
let ctx: AppContext & { mailer: RecordingMailer; events: MemoryPublisher };

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  ctx = {
    config,
    clock: fixedClock(new Date('2026-10-26T07:00:00.000Z')),
    store: new DynamoStore(dynamo.client, dynamo.tableName),
    events: new MemoryPublisher(),
    mailer: new RecordingMailer(),
    sender: 'adpilot@acme-outdoor.example',
    connector: async () => {
      throw new Error('no platform in this test');
    },
    log: silentLog,
  };
  await ctx.store.putReportModel(report.week.label, report, ctx.clock.now());
});

afterAll(async () => {
  await dynamo?.close();
});

describe('sendReport', () => {
  it('sends the email with every chart as an inline PNG under the CID the HTML shows it by, with its alt text', async () => {
    const result = await sendReport(ctx, { week: report.week.label });
    expect(result).toEqual({
      week: '2026-W43',
      messageId: '<weekly-report-acme-outdoor-2026-W43@test>',
      location: 'test:1',
      alreadySent: false,
    });
    const [email] = ctx.mailer.sent;
    if (!email) throw new Error('nothing sent');
    const charts = chartSpecs(report);
    expect({
      ...email,
      html: '…',
      text: '…',
      attachments: email.attachments?.map((a) => ({ ...a, content: [...a.content.subarray(0, 8)] })),
    }).toEqual({
      from: 'adpilot@acme-outdoor.example',
      to: ['lead@acme-outdoor.example', 'cfo@acme-outdoor.example'],
      subject: weeklyReportSubject(report),
      html: '…',
      text: '…',
      attachments: charts.map((c) => ({ filename: `${c.cid}.png`, contentType: 'image/png', cid: c.cid, content: PNG_SIGNATURE })),
      idempotencyKey: 'weekly-report-acme-outdoor-2026-W43',
    });
    for (const chart of charts) expect(email.html).toContain(`src="cid:${chart.cid}"`);
    expect([...email.html.matchAll(/alt="([^"]*)"/g)].map((m) => m[1])).toEqual(charts.map((c) => escapeHtml(displayName(c.alt, 300))));
    expect(ctx.events.events.map((e) => [e.detailType, e.detail])).toEqual([
      [
        'Weekly Report Sent',
        {
          version: 1,
          id: 'weekly-report-sent:acme-outdoor:2026-W43',
          client: 'acme-outdoor',
          week: '2026-W43',
          recipients: 2,
          messageId: '<weekly-report-acme-outdoor-2026-W43@test>',
        },
      ],
    ]);
  });

  it('sends a week once: a second run answers with the first send and sends nothing', async () => {
    const again = await sendReport(ctx, { week: report.week.label });
    expect(again).toEqual({
      week: '2026-W43',
      messageId: '<weekly-report-acme-outdoor-2026-W43@test>',
      location: 'test:1',
      alreadySent: true,
    });
    expect(ctx.mailer.sent).toHaveLength(1);
    expect(ctx.events.events).toHaveLength(1);
  });

  it('refuses a stored model that is not a weekly report, naming the field, and sends nothing', async () => {
    await ctx.store.putReportModel(
      '2026-W44',
      { ...report, week: { label: '2026-W44', from: '2026-10-26', to: '2026-11-01' }, totals: 'broken' },
      ctx.clock.now(),
    );
    const attempt = sendReport(ctx, { week: '2026-W44' });
    await expect(attempt).rejects.toThrow(UseCaseError);
    await expect(attempt).rejects.toThrow(/^the stored report model of 2026-W44 is invalid at totals: /);
    expect(ctx.mailer.sent).toHaveLength(1);
  });

  it('asks for BuildReport when the week has no model', async () => {
    await expect(sendReport(ctx, { week: '2026-W45' })).rejects.toThrow('no report model for 2026-W45: run BuildReport first');
  });
});
