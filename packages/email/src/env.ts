import { z } from 'zod';
import { LOCAL_MAIL_FROM, type MailerSettings } from './mailer-settings';

/**
 * Mail settings, as a zod fragment each app composes into its one env.ts (docs/ARCHITECTURE.md,
 * "Configuration"). No key: mail goes to the outbox table (admin panel) and the server log.
 */
export const emailEnv = z
  .object({
    /** Turns real sending through Resend on; then MAIL_FROM is required. */
    RESEND_API_KEY: z.string().trim().optional(),
    /** The sender, e.g. "Pocket Smyth <noreply@example.com>". */
    MAIL_FROM: z.string().trim().optional(),
    /** Override of the Resend API root (tests). Default https://api.resend.com. */
    RESEND_BASE_URL: z.url().optional(),
  })
  .refine((env) => !env.RESEND_API_KEY || Boolean(env.MAIL_FROM), {
    path: ['MAIL_FROM'],
    message: 'MAIL_FROM is required when RESEND_API_KEY is set (e.g. "Pocket Smyth <noreply@example.com>")',
    // Checked even when another variable is wrong, so that one start names every bad variable.
    when: () => true,
  });

export type EmailEnv = z.infer<typeof emailEnv>;

/** `createMailer`'s settings from the parsed fragment. */
export function mailerSettings(env: EmailEnv): MailerSettings {
  return {
    resendApiKey: env.RESEND_API_KEY || null,
    from: env.MAIL_FROM || LOCAL_MAIL_FROM,
    resendBaseUrl: env.RESEND_BASE_URL ?? null,
  };
}
