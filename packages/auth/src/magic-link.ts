import type { EmailConfig } from '@auth/core/providers/email';
import type { Mailer } from '@pocket-smyth/email';

/**
 * Magic-link sign-in through the mailer: sent at once with Resend when configured (a person is waiting
 * for it), otherwise kept in the outbox as `local` and printed to the server log, which is how a
 * developer signs in without mail.
 */
export function magicLinkProvider(mailer: Mailer, maxAgeSeconds: number): EmailConfig {
  return {
    id: 'email',
    type: 'email',
    name: 'Email',
    maxAge: maxAgeSeconds,
    normalizeIdentifier: (identifier) => identifier.trim().toLowerCase(),
    async sendVerificationRequest({ identifier, url, expires }) {
      const expiresInMinutes = Math.max(1, Math.round((expires.getTime() - Date.now()) / 60000));
      await mailer.send({ kind: 'magic_link', to: identifier, data: { url, expiresInMinutes } });
    },
  };
}
