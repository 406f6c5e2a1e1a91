/** The port for sending email; adapters: SES v2 (lib/report/ses-mailer.ts) and the local outbox (lib/local/outbox.ts). */

export interface EmailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
  /** Content-ID for inline images referenced as `cid:<cid>` in the HTML. */
  readonly cid?: string;
}

export interface OutgoingEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly attachments?: readonly EmailAttachment[];
  /** Stable id so a retried send can be recognised (becomes the Message-ID's local part). */
  readonly idempotencyKey: string;
}

export interface SentEmail {
  readonly messageId: string;
  /** Where the email went: an SES message id, or the outbox file path locally. */
  readonly location: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<SentEmail>;
}
