/**
 * The local Mailer: instead of sending through SES, writes each email as a complete MIME message
 * (`<dir>/<key>.eml`, openable in any mail client) plus a browser preview (`<dir>/<key>.html`,
 * with the inline images embedded). One message per idempotency key, like SES sends with a
 * retried idempotent handler: the second send of a key returns the first message untouched.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { EmailAttachment, Mailer, OutgoingEmail, SentEmail } from '../report/mailer.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';

export interface OutboxMailerOptions {
  readonly dir: string;
  /** The Date header. @default systemClock */
  readonly clock?: Clock;
}

export class OutboxMailer implements Mailer {
  private readonly dir: string;
  private readonly clock: Clock;

  constructor(options: OutboxMailerOptions) {
    this.dir = options.dir;
    this.clock = options.clock ?? systemClock;
  }

  /** Writes the message unless one with the same idempotency key is already in the outbox; returns that message either way. */
  async send(email: OutgoingEmail): Promise<SentEmail> {
    const key = outboxKey(email.idempotencyKey);
    const location = join(this.dir, `${key}.eml`);
    const messageId = `<${key}@${senderDomain(email.from)}>`;
    const raw = await compose(email, messageId, this.clock.now(), key);
    await mkdir(this.dir, { recursive: true });
    try {
      // 'wx' creates the file or fails: of two sends of one key (even concurrent ones) only the first writes.
      await writeFile(location, raw, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { messageId, location };
      throw err;
    }
    await writeFile(join(this.dir, `${key}.html`), previewHtml(email.html, email.attachments ?? []));
    return { messageId, location };
  }
}

/**
 * A file-name-safe form of an idempotency key, also the Message-ID's local part. A key that is
 * already safe is kept as is; any other gets a hash suffix so that two keys never share a file.
 */
export function outboxKey(idempotencyKey: string): string {
  const safe = idempotencyKey
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 120);
  if (safe === idempotencyKey && safe !== '') return safe;
  return `${safe}${safe === '' ? '' : '-'}${sha256(idempotencyKey).slice(0, 12)}`;
}

async function compose(email: OutgoingEmail, messageId: string, date: Date, key: string): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.from,
    to: [...email.to],
    subject: email.subject,
    messageId,
    date,
    text: email.text,
    html: email.html,
    // An attachment with a cid goes into multipart/related beside the html, inline.
    attachments: (email.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content),
      ...(a.cid === undefined ? {} : { cid: a.cid, contentDisposition: 'inline' }),
    })),
    // Boundaries from the key rather than random bytes: the same email gives the same file.
    baseBoundary: sha256(key).slice(0, 16),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}

/** The html with each `cid:` reference replaced by a data URL, so the preview shows its images in a browser. */
function previewHtml(html: string, attachments: readonly EmailAttachment[]): string {
  return attachments.reduce((acc, a) => {
    if (a.cid === undefined) return acc;
    const dataUrl = `data:${a.contentType};base64,${Buffer.from(a.content).toString('base64')}`;
    // The lookahead keeps `cid:chart` from matching inside `cid:chart2`.
    return acc.replace(new RegExp(`cid:${escapeRegExp(a.cid)}(?=["'\\s)>]|$)`, 'g'), dataUrl);
  }, html);
}

function senderDomain(from: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'adpilot.local';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
