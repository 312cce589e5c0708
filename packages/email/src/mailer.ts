import { type Db, type DbOrTx, outbox } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { Resend } from 'resend';
import { classifyResendError } from './classify-resend-error';
import { MailError } from './mail-error';
import type { Mail } from './mail-kinds';
import { renderMailOf } from './render-mail';

export interface MailerConfig {
  db: Db;
  /** Without a key, mail goes to the outbox table as `local` and to the log (docs/ARCHITECTURE.md, "Outside services"). */
  resendApiKey?: string | null;
  /** Sender, e.g. `Pocket Smyth <noreply@example.com>`; must be on a domain verified in Resend. */
  from: string;
  /** Resend API root. Unset: the SDK's own default (`RESEND_BASE_URL`, else https://api.resend.com). */
  resendBaseUrl?: string | null;
  /** Per request; a hung provider must not hold a job forever. Default 15 s. */
  requestTimeoutMs?: number;
  /** Where the one-line notice of a `local` mail goes. Default `console.info`. */
  log?: (line: string) => void;
}

export interface OutboxEntry {
  id: string;
  status: 'queued' | 'local';
}

export interface DeliveryResult {
  id: string;
  status: 'sent' | 'local';
  providerId: string | null;
}

export interface DeliverOptions {
  /** The job's abort signal; an aborted send is a transient failure. */
  signal?: AbortSignal;
}

export interface Mailer {
  /** True when a provider is configured and `deliver` will really send. */
  readonly configured: boolean;
  /**
   * Renders the mail and writes it to the outbox, inside `tx` when given so the row commits with the
   * change that caused it. Returns the row id, which the `mail.send` job passes to `deliver`.
   */
  record(mail: Mail, options?: { tx?: DbOrTx }): Promise<OutboxEntry>;
  /**
   * Sends an outbox row. Safe to call again after any failure: a sent row is not sent twice, and the
   * row id is Resend's idempotency key, so a send whose answer was lost is not repeated by Resend.
   * Throws `MailError`.
   */
  deliver(outboxId: string, options?: DeliverOptions): Promise<DeliveryResult>;
  /** `record` then `deliver`, for callers without a job queue in between (e.g. sign-in links). */
  send(mail: Mail, options?: DeliverOptions): Promise<DeliveryResult>;
}

const defaultRequestTimeoutMs = 15_000;

export function createMailer(config: MailerConfig): Mailer {
  const { db } = config;
  const resend = config.resendApiKey
    ? new Resend(config.resendApiKey, config.resendBaseUrl ? { baseUrl: config.resendBaseUrl } : undefined)
    : null;
  const log = config.log ?? ((line: string) => console.info(line));
  const timeoutMs = config.requestTimeoutMs ?? defaultRequestTimeoutMs;

  async function record(mail: Mail, options: { tx?: DbOrTx } = {}): Promise<OutboxEntry> {
    const rendered = renderMailOf(mail);
    const status = resend ? 'queued' : 'local';
    const [row] = await (options.tx ?? db)
      .insert(outbox)
      .values({ kind: mail.kind, to: mail.to, ...rendered, status, createdAt: new Date() })
      .returning({ id: outbox.id });
    if (!row) throw new Error('outbox insert returned no row');
    if (status === 'local') {
      log(`[mail:local] to=${mail.to} subject=${JSON.stringify(rendered.subject)}`);
      // Without a provider, a person signs in by copying the link from the log: boxed, so it stands out
      // among the other lines a development server prints.
      if (mail.kind === 'magic_link') log(signInLinkBox(mail.to, mail.data.url));
    }
    return { id: row.id, status };
  }

  async function deliver(outboxId: string, options: DeliverOptions = {}): Promise<DeliveryResult> {
    const row = await db.query.outbox.findFirst({ where: eq(outbox.id, outboxId) });
    if (!row) {
      throw new MailError(`Outbox row ${outboxId} does not exist`, { errorClass: 'email_rejected' });
    }
    if (row.status === 'sent') return { id: row.id, status: 'sent', providerId: row.providerId };
    if (row.status === 'local' || !resend) return { id: row.id, status: 'local', providerId: null };

    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    const response = await resend.emails.send(
      {
        from: config.from,
        to: [row.to],
        subject: row.subject,
        text: row.text,
        ...(row.html ? { html: row.html } : {}),
      },
      { idempotencyKey: row.id, signal },
    );

    if (response.error) {
      const error = classifyResendError(response.error);
      // A transient failure leaves the row queued for the retry; the message shows why it is waiting.
      await db
        .update(outbox)
        .set({ status: error.transient ? 'queued' : 'failed', error: error.message })
        .where(eq(outbox.id, row.id));
      throw error;
    }

    const providerId = response.data.id;
    await db
      .update(outbox)
      .set({ status: 'sent', providerId, error: null, sentAt: new Date() })
      .where(eq(outbox.id, row.id));
    return { id: row.id, status: 'sent', providerId };
  }

  return {
    configured: resend !== null,
    record,
    deliver,
    async send(mail, options) {
      const entry = await record(mail);
      return deliver(entry.id, options);
    },
  };
}

/** The magic link, alone on its line inside a box, for the log of a server that sends no mail. */
export function signInLinkBox(to: string, url: string): string {
  const title = ` Sign-in link for ${to} (no mail provider, so it is printed here) `;
  const width = Math.max(title.length + 2, url.length + 2);
  return [
    `┌─${title}${'─'.repeat(width - title.length - 1)}┐`,
    `│ ${url.padEnd(width - 1)}│`,
    `└${'─'.repeat(width)}┘`,
  ].join('\n');
}
