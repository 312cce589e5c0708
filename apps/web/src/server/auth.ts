import 'server-only';
import { type AuthSettings, createAuth } from '@pocket-smyth/auth';
import { authSettings as authSettingsOf } from '@pocket-smyth/auth/env';
import { env } from '~/env';
import { authSecret } from './auth-secret';
import { db } from './db';
import { mailer } from './mailer';

export const authSettings: AuthSettings = authSettingsOf(env, {
  secret: authSecret(),
  domain: env.DOMAIN ?? null,
});

export const { handlers, auth, signIn, signOut } = createAuth(db, mailer, authSettings);
