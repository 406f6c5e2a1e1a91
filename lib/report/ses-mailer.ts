/** Mailer on Amazon SES v2: sends the raw MIME message built by nodemailer's composer. */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Mailer, OutgoingEmail, SentEmail } from './mailer.ts';

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly configurationSet?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<SentEmail> {
    const messageId = `<${email.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '-')}@adpilot>`;
    const raw = await new MailComposer({
      from: email.from,
      to: [...email.to],
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId,
      attachments: (email.attachments ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: Buffer.from(a.content),
        ...(a.cid ? { cid: a.cid, contentDisposition: 'inline' as const } : {}),
      })),
    })
      .compile()
      .build();
    const response = await this.client.send(
      new SendEmailCommand({
        Content: { Raw: { Data: raw } },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    return { messageId, location: `ses:${response.MessageId ?? 'unknown'}` };
  }
}
