import { createHash } from 'node:crypto';
import { AccessDenied } from '@auth/core/errors';
import type { EmailConfig } from '@auth/core/providers/email';
import { consumeRateLimit, type RateLimitRule } from '@pocket-smyth/core';
import type { Db } from '@pocket-smyth/db';
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
    sendVerificationRequest({ identifier, url, expires }) {
      const expiresInMinutes = Math.max(1, Math.round((expires.getTime() - Date.now()) / 60000));
      const sending = mailer
        .send({ kind: 'magic_link', to: identifier, data: { url, expiresInMinutes } })
        .then(() => {});
      // Auth.js awaits this promise only after it has hashed the token (send-token.ts); a refusal or a
      // failed send may come first, and must not be an unhandled rejection meanwhile (which can stop
      // the process). Auth.js still gets the rejection.
      sending.catch(() => {});
      return sending;
    },
  };
}

/** How many sign-in links may be sent (`MAGIC_LINK_PER_HOUR`, `MAGIC_LINK_PER_IP_PER_HOUR`). */
export interface MagicLinkLimits {
  /** Links to one email address, whoever asks. */
  perEmail: RateLimitRule;
  /** Links asked for from one client address, whatever the email. */
  perClient: RateLimitRule;
}

export interface MagicLinkLimiter {
  db: Db;
  limits: MagicLinkLimits;
  /** The asking client's address, found as the API finds it; null when unknown (one shared budget). */
  clientAddress: () => Promise<string | null>;
}

/**
 * A sign-in link refused by its limits. An Auth.js `AccessDenied`, so Auth.js's own route sends the
 * browser to the sign-in page (`?error=AccessDenied`) rather than calling it a server fault, and the
 * sign-in form's server action (which gets the error itself) says why and for how long. It says the
 * same whether or not the address has an account: the limits count requests, not people.
 */
export class MagicLinkRefused extends AccessDenied {
  /** Tells this refusal apart from any other AccessDenied without relying on class identity. */
  readonly magicLinkRefused = true;
  constructor(readonly retryAfterSeconds: number) {
    super('Too many sign-in links were asked for');
  }
}

export function isMagicLinkRefused(error: unknown): error is MagicLinkRefused {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { magicLinkRefused?: unknown }).magicLinkRefused === true
  );
}

/**
 * The mailer Auth.js sends sign-in links through, with their limits in front: a `magic_link` mail is
 * counted per client address, then per email address (in libSQL's `rate_limit_counters`, shared by every
 * web instance), and refused with `MagicLinkRefused` before anything is written, so a refused request
 * leaves no outbox row. The per-address count comes first, so one client cannot use up an address's
 * budget beyond its own. Addresses are counted under a hash, never stored in the counter table.
 */
export function limitMagicLinks(mailer: Mailer, limiter: MagicLinkLimiter): Mailer {
  async function admit(to: string): Promise<void> {
    const client = (await limiter.clientAddress()) ?? 'unknown';
    const byClient = await consumeRateLimit(limiter.db, `magic-link:ip:${client}`, limiter.limits.perClient);
    if (!byClient.allowed) throw new MagicLinkRefused(byClient.resetSeconds);
    const email = createHash('sha256').update(to.trim().toLowerCase()).digest('hex');
    const byEmail = await consumeRateLimit(limiter.db, `magic-link:email:${email}`, limiter.limits.perEmail);
    if (!byEmail.allowed) throw new MagicLinkRefused(byEmail.resetSeconds);
  }
  return {
    get configured() {
      return mailer.configured;
    },
    record: (mail, options) => mailer.record(mail, options),
    deliver: (outboxId, options) => mailer.deliver(outboxId, options),
    async send(mail, options) {
      if (mail.kind === 'magic_link') await admit(mail.to);
      return mailer.send(mail, options);
    },
  };
}
