import { recordSignIn } from '@pocket-smyth/core';
import type { Db, PersonRole, PersonStatus } from '@pocket-smyth/db';
import type { Mailer } from '@pocket-smyth/email';
import NextAuth from 'next-auth';
import { createAdapter } from './adapter';
import { magicLinkProvider } from './magic-link';
import { oidcProvider } from './oidc';
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS, sessionCookie } from './session-cookie';
import type { AuthSettings } from './settings';

declare module 'next-auth' {
  interface Session {
    user: {
      id: string;
      email: string;
      name: string | null;
      image: string | null;
      username: string | null;
      role: PersonRole;
      status: PersonStatus;
    };
  }
}

/** The providers a sign-in page should offer, in display order. */
export function enabledSignInMethods(settings: AuthSettings) {
  return {
    oidc: settings.oidc ? { id: 'oidc', name: settings.oidc.name } : null,
    email: true,
    dev: settings.devLogin,
  };
}

export function createAuth(db: Db, mailer: Mailer, settings: AuthSettings) {
  const providers = [magicLinkProvider(mailer, settings.magicLinkMaxAge)];
  if (settings.oidc) providers.unshift(oidcProvider(settings.oidc) as never);

  return NextAuth({
    adapter: createAdapter(db, settings),
    secret: settings.secret,
    // Self-hosted behind the operator's proxy: the Host header is the only source of the public URL.
    trustHost: true,
    session: { strategy: 'database', maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
    useSecureCookies: settings.secureCookies,
    cookies: { sessionToken: sessionCookie(settings) },
    providers,
    pages: { signIn: '/signin', verifyRequest: '/signin/check-email', error: '/signin' },
    callbacks: {
      session({ session, user }) {
        const u = user as typeof user & { username: string | null; role: PersonRole; status: PersonStatus };
        session.user = {
          ...session.user,
          id: u.id,
          email: u.email,
          name: u.name ?? null,
          image: u.image ?? null,
          username: u.username,
          role: u.role,
          status: u.status,
        };
        return session;
      },
    },
    events: {
      async signIn({ user, account }) {
        if (user.id && user.email) {
          await recordSignIn(db, { id: user.id, email: user.email }, account?.provider ?? 'unknown');
        }
      },
    },
  });
}

export type AuthInstance = ReturnType<typeof createAuth>;
