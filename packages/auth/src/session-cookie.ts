import type { AuthSettings } from './settings';

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/**
 * The session cookie, defined once for Auth.js and for the development sign-in so both write the same
 * cookie. In subdomain mode it is scoped to `.DOMAIN` so one sign-in serves every `{username}.DOMAIN`.
 */
export function sessionCookie(settings: Pick<AuthSettings, 'domain' | 'secureCookies'>) {
  return {
    name: settings.secureCookies ? '__Secure-authjs.session-token' : 'authjs.session-token',
    options: {
      httpOnly: true,
      sameSite: 'lax' as const,
      path: '/',
      secure: settings.secureCookies,
      ...(settings.domain ? { domain: `.${settings.domain}` } : {}),
    },
  };
}
