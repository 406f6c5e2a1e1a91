import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxMailer, outboxKey } from '../../../lib/local/outbox.ts';
import type { OutgoingEmail } from '../../../lib/report/mailer.ts';
import { fixedClock } from '../../../lib/runtime/clock.ts';
import { leaves, parseMime } from './mime.ts';

// The 8-byte PNG signature followed by arbitrary bytes: binary content that must survive base64.
const CHART = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10, 0x80]);

const EMAIL: OutgoingEmail = {
  from: 'adpilot <reports@acme.example>',
  to: ['lead@acme.example', 'finance@acme.example'],
  subject: 'Semaine 2026-W02 – ROAS 3,1 €',
  text: 'ROAS 3,1 € cette semaine.\nDétails dans la version HTML.',
  html: '<h1>ROAS 3,1&nbsp;€</h1><p>Prospecting &lt;FR&gt;</p><img src="cid:roas-chart" alt="ROAS"><img src="cid:roas-chart2">',
  attachments: [
    { filename: 'roas.png', contentType: 'image/png', content: CHART, cid: 'roas-chart' },
    { filename: 'spend.png', contentType: 'image/png', content: new Uint8Array([1, 2, 3]), cid: 'roas-chart2' },
  ],
  idempotencyKey: 'weekly-report:acme:2026-W02',
};

describe('OutboxMailer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adpilot-outbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function mailer(at = '2026-01-12T07:00:00Z') {
    return new OutboxMailer({ dir: join(dir, 'outbox'), clock: fixedClock(at) });
  }

  it('writes the whole MIME message: headers, text and html alternatives, inline images referenced by cid', async () => {
    const key = outboxKey(EMAIL.idempotencyKey);
    const sent = await mailer().send(EMAIL);
    expect(sent).toEqual({ messageId: `<${key}@acme.example>`, location: join(dir, 'outbox', `${key}.eml`) });

    const message = parseMime(await readFile(sent.location));
    expect({
      from: message.headers.from,
      to: message.headers.to,
      subject: message.headers.subject,
      messageId: message.headers['message-id'],
      date: message.headers.date,
      mime: message.headers['mime-version'],
      type: message.type,
    }).toEqual({
      from: 'adpilot <reports@acme.example>',
      to: 'lead@acme.example, finance@acme.example',
      subject: 'Semaine 2026-W02 – ROAS 3,1 €',
      messageId: sent.messageId,
      date: 'Mon, 12 Jan 2026 07:00:00 +0000',
      mime: '1.0',
      type: 'multipart/alternative',
    });
    // multipart/alternative: the text first, then the html with its images in multipart/related.
    expect(message.parts.map((p) => p.type)).toEqual(['text/plain', 'multipart/related']);
    const [text, related] = message.parts;
    expect(text?.body.toString('utf8').trimEnd()).toBe(EMAIL.text);
    expect(related?.parts.map((p) => p.type)).toEqual(['text/html', 'image/png', 'image/png']);
    const [html, chart, spend] = related?.parts ?? [];
    expect(html?.body.toString('utf8').trimEnd()).toBe(EMAIL.html);
    expect({
      cid: chart?.headers['content-id'],
      disposition: chart?.headers['content-disposition'],
      bytes: [...(chart?.body ?? [])],
    }).toEqual({
      cid: '<roas-chart>',
      disposition: 'inline; filename=roas.png',
      bytes: [...CHART],
    });
    expect(spend?.headers['content-id']).toBe('<roas-chart2>');
    expect(leaves(message)).toHaveLength(4);
  });

  it('writes an html preview with the inline images embedded, each cid resolved exactly', async () => {
    await mailer().send(EMAIL);
    const preview = await readFile(join(dir, 'outbox', `${outboxKey(EMAIL.idempotencyKey)}.html`), 'utf8');
    expect(preview).toBe(
      `<h1>ROAS 3,1&nbsp;€</h1><p>Prospecting &lt;FR&gt;</p><img src="data:image/png;base64,${Buffer.from(CHART).toString('base64')}" alt="ROAS">` +
        '<img src="data:image/png;base64,AQID">',
    );
  });

  it('sends one message per idempotency key: the second send returns the first message untouched', async () => {
    const first = await mailer('2026-01-12T07:00:00Z').send(EMAIL);
    const before = await readFile(first.location);
    const second = await mailer('2026-01-12T09:30:00Z').send({ ...EMAIL, subject: 'changed', html: '<p>changed</p>' });
    expect(second).toEqual(first);
    expect(await readFile(first.location)).toEqual(before);
    const preview = await readFile(join(dir, 'outbox', `${outboxKey(EMAIL.idempotencyKey)}.html`), 'utf8');
    expect(preview).toContain('ROAS 3,1');
    expect((await readdir(join(dir, 'outbox'))).sort()).toEqual([
      `${outboxKey(EMAIL.idempotencyKey)}.eml`,
      `${outboxKey(EMAIL.idempotencyKey)}.html`,
    ]);
  });

  it('keeps one message when the same key is sent concurrently', async () => {
    const results = await Promise.all([mailer().send(EMAIL), mailer().send(EMAIL), mailer().send(EMAIL)]);
    expect(new Set(results.map((r) => r.location)).size).toBe(1);
    expect(await readdir(join(dir, 'outbox'))).toHaveLength(2);
  });

  it('writes the same bytes for the same email and time (no random boundaries)', async () => {
    const a = await new OutboxMailer({ dir: join(dir, 'a'), clock: fixedClock('2026-01-12T07:00:00Z') }).send(EMAIL);
    const b = await new OutboxMailer({ dir: join(dir, 'b'), clock: fixedClock('2026-01-12T07:00:00Z') }).send(EMAIL);
    expect(await readFile(a.location)).toEqual(await readFile(b.location));
  });

  it('sends a message without attachments as text and html alternatives only', async () => {
    const { attachments: _none, ...plain } = EMAIL;
    const sent = await mailer().send({ ...plain, idempotencyKey: 'plain', html: '<p>hi</p>', text: 'hi' });
    const message = parseMime(await readFile(sent.location));
    expect(message.parts.map((p) => [p.type, p.body.toString('utf8').trimEnd()])).toEqual([
      ['text/plain', 'hi'],
      ['text/html', '<p>hi</p>'],
    ]);
  });
});

describe('outboxKey', () => {
  it('keeps a key that is already a safe file name', () => {
    expect(outboxKey('weekly-2026-W02_acme.v1')).toBe('weekly-2026-W02_acme.v1');
  });

  it('makes other keys safe, with a hash so that different keys never share a file', () => {
    const a = outboxKey('weekly:acme/2026-W02');
    const b = outboxKey('weekly/acme:2026-W02');
    expect(a).toMatch(/^weekly-acme-2026-W02-[0-9a-f]{12}$/);
    expect(b).toMatch(/^weekly-acme-2026-W02-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(outboxKey('../../etc/passwd')).toMatch(/^etc-passwd-[0-9a-f]{12}$/);
    expect(outboxKey('')).toMatch(/^[0-9a-f]{12}$/);
  });
});
