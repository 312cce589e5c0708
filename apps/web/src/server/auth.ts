import 'server-only';
import { type AuthSettings, createAuth } from '@pocket-smyth/auth';
import { devLoginEnabled, env } from '~/env';
import { authSecret } from './auth-secret';
import { db } from './db';
import { mailer } from './mailer';

export const authSettings: AuthSettings = {
  secret: authSecret(),
  devLogin: devLoginEnabled,
  adminEmails: env.ADMIN_EMAILS,
  oidc:
    env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
      ? {
          issuer: env.OIDC_ISSUER,
          clientId: env.OIDC_CLIENT_ID,
          clientSecret: env.OIDC_CLIENT_SECRET,
          name: env.OIDC_NAME,
        }
      : null,
  domain: env.DOMAIN ?? null,
  secureCookies: env.AUTH_URL?.startsWith('https://') ?? false,
  magicLinkMaxAge: env.MAGIC_LINK_MAX_AGE_SECONDS,
};

export const { handlers, auth, signIn, signOut } = createAuth(db, mailer, authSettings);
