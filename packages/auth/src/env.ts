import { z } from 'zod';
import type { MagicLinkLimits } from './magic-link';
import type { AuthSettings } from './settings';

// Checked even when another variable is wrong, so that one start names every bad variable.
const always = { when: () => true };

const oidcNames = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

/**
 * Sign-in settings, as a zod fragment the web app composes into its env.ts (docs/ARCHITECTURE.md,
 * "Configuration"). Defaults: development sign-in on (never in production), no OIDC, magic links for
 * 15 minutes. NODE_ENV is here because it decides two sign-in rules: production needs AUTH_SECRET and
 * never offers the development sign-in.
 */
export const authEnv = z
  .object({
    /** Set by `next dev` / `pnpm start`, not by hand. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** Signs sessions and tokens, 32+ characters (openssl rand -base64 32). Required in production. */
    AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
    /** Public URL of the sign-in host; https turns on secure cookies. Default: taken from the request. */
    AUTH_URL: z.url().optional(),
    /** Development sign-in by email alone; never available when NODE_ENV=production. */
    AUTH_DEV_LOGIN: z
      .enum(['true', 'false', '1', '0'], { error: 'AUTH_DEV_LOGIN is true or false' })
      .optional()
      .transform((v) => v === undefined || v === 'true' || v === '1'),
    /** Comma-separated addresses that become active admins at first sign-in. */
    ADMIN_EMAILS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      ),
    /** Magic-link lifetime in seconds. */
    MAGIC_LINK_MAX_AGE_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(15 * 60),
    /** Sign-in links sent to one email address per hour; more are refused, whoever asks. */
    MAGIC_LINK_PER_HOUR: z.coerce.number().int().min(1).default(5),
    /** Sign-in links asked for from one client address per hour, whatever the email. */
    MAGIC_LINK_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(30),
    /** A generic OIDC provider (Azure AD B2C, Entra External ID, any issuer): all three or none. */
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().trim().optional(),
    OIDC_CLIENT_SECRET: z.string().trim().optional(),
    /** Label on the sign-in button. */
    OIDC_NAME: z.string().trim().default('Single sign-on'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.AUTH_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'AUTH_SECRET is required in production (32+ characters: openssl rand -base64 32)',
      });
    }
  }, always)
  .superRefine((env, ctx) => {
    const missing = oidcNames.filter((name) => !env[name]);
    if (missing.length === 0 || missing.length === oidcNames.length) return;
    for (const name of missing) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'Set all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none',
      });
    }
  }, always);

export type AuthEnv = z.infer<typeof authEnv>;

/** The development sign-in is never available in production, whatever AUTH_DEV_LOGIN says. */
export function devLoginEnabled(env: Pick<AuthEnv, 'NODE_ENV' | 'AUTH_DEV_LOGIN'>): boolean {
  return env.NODE_ENV !== 'production' && env.AUTH_DEV_LOGIN;
}

/**
 * `createAuth`'s settings from the parsed fragment, with what the app decides itself: the secret
 * (AUTH_SECRET, or a development one it keeps) and the subdomain-mode DOMAIN.
 */
export function authSettings(env: AuthEnv, app: { secret: string; domain: string | null }): AuthSettings {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = env;
  return {
    secret: app.secret,
    devLogin: devLoginEnabled(env),
    adminEmails: env.ADMIN_EMAILS,
    oidc: issuer && clientId && clientSecret ? { issuer, clientId, clientSecret, name: env.OIDC_NAME } : null,
    domain: app.domain,
    secureCookies: env.AUTH_URL?.startsWith('https://') ?? false,
    magicLinkMaxAge: env.MAGIC_LINK_MAX_AGE_SECONDS,
  };
}

const HOUR_MS = 3_600_000;

/** `limitMagicLinks`'s limits from the parsed fragment: fixed windows of an hour. */
export function magicLinkLimits(
  env: Pick<AuthEnv, 'MAGIC_LINK_PER_HOUR' | 'MAGIC_LINK_PER_IP_PER_HOUR'>,
): MagicLinkLimits {
  return {
    perEmail: { limit: env.MAGIC_LINK_PER_HOUR, windowMs: HOUR_MS },
    perClient: { limit: env.MAGIC_LINK_PER_IP_PER_HOUR, windowMs: HOUR_MS },
  };
}
