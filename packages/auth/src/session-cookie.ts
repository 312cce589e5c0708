import type { AuthSettings } from './settings';

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/**
 * A session in use is extended to SESSION_MAX_AGE_SECONDS from now at most this often: by Auth.js on
 * the portal's host, by the hostname proxy on a `{username}.DOMAIN` (its host session and the portal
 * session behind it).
 */
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

type CookieSettings = Pick<AuthSettings, 'secureCookies'>;

/**
 * Every cookie of the portal is named `authjs.*` (behind `__Secure-` or `__Host-` over https): Auth.js's
 * own, the session, and the host cookie below. Whatever forwards a request to an agent removes the
 * cookies this matches (docs/ARCHITECTURE.md, "Security rules"): the app's `/agent` proxy, server.mjs,
 * infra/caddy/Caddyfile, and forward-auth's `Cookie` answer for Traefik.
 */
export const PORTAL_COOKIE_NAME = /^(__Secure-|__Host-)?authjs\./;

/**
 * The cookie options both cookies share: host-only (no Domain, ever), HttpOnly, SameSite=Lax, Path=/,
 * Secure over https, where the `__Host-` prefix makes the browser itself refuse a Domain attribute.
 */
function hostOnly(settings: CookieSettings, name: string) {
  return {
    name: settings.secureCookies ? `__Host-${name}` : name,
    options: { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: settings.secureCookies },
  };
}

/**
 * The portal's session cookie, defined once for Auth.js and for the development sign-in so both write the
 * same cookie. Host-only wherever it is set: in subdomain mode that is `login.DOMAIN` alone, so it never
 * reaches a `{username}.DOMAIN`, whose `/agent/*` runs code its owner controls.
 */
export function sessionCookie(settings: CookieSettings) {
  return hostOnly(settings, 'authjs.session-token');
}

/**
 * The cookie of one `{username}.DOMAIN` (subdomain mode), set by that host at the end of the
 * host-session handshake: host-only on that host, granting only what that host serves.
 */
export function hostSessionCookie(settings: CookieSettings) {
  return hostOnly(settings, 'authjs.host-session');
}

/** The session cookie names subdomain mode used to scope to `.DOMAIN`; cleared from browsers at handshake. */
export const LEGACY_DOMAIN_SESSION_COOKIES = [
  'authjs.session-token',
  '__Secure-authjs.session-token',
] as const;
