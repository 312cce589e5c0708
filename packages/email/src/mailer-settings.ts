/** Mail settings read from the environment; `createMailer` takes these plus the database. */
export interface MailerSettings {
  resendApiKey: string | null;
  from: string;
  resendBaseUrl: string | null;
}

const localFrom = 'Pocket Smyth <noreply@localhost>';

/**
 * `RESEND_API_KEY` turns real sending on and then needs `MAIL_FROM`. Without a key, mail stays in the
 * outbox as `local`, so the sender only labels those rows.
 */
export function mailerSettingsFromEnv(env: Record<string, string | undefined> = process.env): MailerSettings {
  const resendApiKey = env.RESEND_API_KEY?.trim() || null;
  const from = env.MAIL_FROM?.trim() || null;
  if (resendApiKey && !from) {
    throw new Error(
      'MAIL_FROM is required when RESEND_API_KEY is set (e.g. "Pocket Smyth <noreply@example.com>")',
    );
  }
  return { resendApiKey, from: from ?? localFrom, resendBaseUrl: env.RESEND_BASE_URL?.trim() || null };
}
