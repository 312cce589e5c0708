/**
 * What `createMailer` takes besides the database. Apps get it from `@pocket-smyth/email/env`
 * (`mailerSettings(env)`, RESEND_API_KEY, MAIL_FROM, RESEND_BASE_URL); tests write it by hand.
 */
export interface MailerSettings {
  /** Null: mail stays in the outbox as `local` (and the server log). */
  resendApiKey: string | null;
  from: string;
  resendBaseUrl: string | null;
}

/** The sender of local (outbox-only) mail, when MAIL_FROM is unset. */
export const LOCAL_MAIL_FROM = 'Pocket Smyth <noreply@localhost>';
