import type { EmailConfig } from '@auth/core/providers/email';
import { type Db, outbox } from '@pocket-smyth/db';

/**
 * Magic-link sign-in. Until a mail provider is wired in, the link goes to the outbox table (the admin
 * panel shows it) and to the server log, which is how a developer signs in without mail.
 */
export function magicLinkProvider(db: Db, maxAgeSeconds: number): EmailConfig {
  return {
    id: 'email',
    type: 'email',
    name: 'Email',
    maxAge: maxAgeSeconds,
    normalizeIdentifier: (identifier) => identifier.trim().toLowerCase(),
    async sendVerificationRequest({ identifier, url, expires }) {
      const minutes = Math.round((expires.getTime() - Date.now()) / 60000);
      await db.insert(outbox).values({
        kind: 'magic_link',
        to: identifier,
        subject: 'Your Pocket Smyth sign-in link',
        text: `Sign in to Pocket Smyth:\n\n${url}\n\nThe link works once and expires in ${minutes} minutes. If you did not ask for it, ignore this mail.`,
        status: 'local',
        createdAt: new Date(),
      });
      console.info(`[mail:local] magic link for ${identifier}: ${url}`);
    },
  };
}
