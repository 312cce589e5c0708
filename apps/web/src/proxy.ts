import { type NextRequest, NextResponse } from 'next/server';
import { env } from '~/env';
import {
  classifyHost,
  credentialOn,
  hostSessionStartUrl,
  legacyCookieClearing,
  loadAgentAccessFacts,
  slideHostSession,
  subdomainOrigin,
} from '~/server/agent-access';
import { isAgentPath, securityHeaderSettings, withSecurityHeaders } from '~/server/security-headers';

/**
 * Whichever way the routing below answers, the answer carries the portal's security headers (a CSP with
 * a per-request nonce, frame and referrer rules): server/security-headers.ts.
 */
export const proxy = withSecurityHeaders(routeRequest, securityHeaderSettings(env));

/**
 * Hostnames (docs/ARCHITECTURE.md, "Hostnames"). Local mode (no DOMAIN): nothing happens here, everything stays on one origin.
 *
 * Subdomain mode (DOMAIN set). Cookies never cross hosts ("Security rules"): the portal's session
 * cookie is host-only on `login.DOMAIN`; each `{username}.DOMAIN` has its own host-only cookie, from
 * the host-session handshake (`login.DOMAIN/api/host-session` → `{username}.DOMAIN/api/host-session/callback`).
 * - `/api/*` passes on every host (REST, tRPC, forward-auth, the handshake), except Auth.js and the
 *   development sign-in, which live on `login.DOMAIN` only, so no portal cookie is ever set elsewhere.
 * - `login.DOMAIN` serves sign-in, onboarding and the pending screen; a signed-in active person who
 *   opens anything else there is sent home through the handshake.
 * - `{username}.DOMAIN` serves the portal to its owner only. A request without a valid cookie of that
 *   host goes through the handshake (which sends nobody signed in to `login.DOMAIN/signin`, and
 *   refuses whoever may not see the host). An active admin may view it read-only, its front page only
 *   (the request carries `x-portal-read-only: 1` and `x-portal-owner`); other pages send them to their
 *   own host. Anyone else gets 403, an unknown name 404. Sign-in, onboarding and pending there are sent
 *   to `login.DOMAIN`. `/agent/*` passes: the reverse proxy normally sends it to the agent after asking
 *   /api/forward-auth; if it reaches the app, the app's own `/agent` proxy checks it.
 * - The bare DOMAIN redirects to `login.DOMAIN`; other hosts (internal names such as `web:3000`)
 *   are left alone.
 */
async function routeRequest(request: NextRequest) {
  const withoutSlash = portalPathWithoutTrailingSlash(request.nextUrl);
  if (withoutSlash) return NextResponse.redirect(new URL(withoutSlash, request.url), 308);
  const host = classifyHost(request.headers.get('host'));
  if (host.kind === 'local' || host.kind === 'other') {
    // Unchanged requests, unless someone sent the headers only this proxy may set.
    return hasSpoofedHeaders(request.headers)
      ? pass(withoutSpoofedHeaders(request.headers))
      : NextResponse.next();
  }
  const headers = withoutSpoofedHeaders(request.headers);

  const { pathname, search } = request.nextUrl;
  const protocol = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const scheme = protocol ? `${protocol}:` : request.nextUrl.protocol;
  const loginOrigin = subdomainOrigin('login', scheme);
  const credential = credentialOn(host, (name) => request.cookies.get(name)?.value);

  if (pathname === '/api' || pathname.startsWith('/api/')) {
    if (host.kind === 'person' && isLoginHostApi(pathname))
      return page(404, 'Not found', 'Sign in on the login host.');
    return pass(headers);
  }

  if (host.kind === 'apex') return NextResponse.redirect(`${loginOrigin}${pathname}${search}`, 308);

  const signInPage = isSignInPage(pathname);

  if (host.kind === 'login') {
    if (signInPage) return withLegacyCookieCleared(pass(headers));
    const { viewer } = await loadAgentAccessFacts(null, credential);
    if (viewer?.status === 'active' && viewer.username) {
      return NextResponse.redirect(
        hostSessionStartUrl(loginOrigin, viewer.username, `${pathname}${search}`),
        307,
      );
    }
    // Not active yet (or signed out): the pages send them to sign-in, onboarding or pending.
    return pass(headers);
  }

  // host.kind === 'person'
  if (signInPage) return NextResponse.redirect(`${loginOrigin}${pathname}${search}`, 307);
  if (pathname === '/agent' || pathname.startsWith('/agent/')) return pass(headers);

  const facts = await loadAgentAccessFacts(host.username, credential);
  const { owner, viewer } = facts;
  if (!viewer) {
    // No valid cookie of this host: the handshake with login.DOMAIN mints one (or sends to sign-in).
    return NextResponse.redirect(
      hostSessionStartUrl(loginOrigin, host.username, `${pathname}${search}`),
      307,
    );
  }
  if (!owner) return page(404, 'Not found', `There is no ${host.username} here.`);
  const isOwner = viewer.id === owner.id;
  if (isOwner) return sliding(pass(headers), await slideHostSession(credential, facts));
  if (viewer.role === 'admin' && viewer.status === 'active') {
    // Admins may look at a person's portal, read-only, on its front page; the agent itself stays the
    // owner's alone (forward-auth and the /agent proxy refuse admins). Anything else (the admin pages
    // its links lead to) is the admin's own host's business.
    if (pathname !== '/') {
      if (!viewer.username) return page(403, 'Forbidden', `This portal belongs to ${owner.username}.`);
      return NextResponse.redirect(`${subdomainOrigin(viewer.username, scheme)}${pathname}${search}`, 307);
    }
    headers.set('x-portal-read-only', '1');
    headers.set('x-portal-owner', owner.username);
    return sliding(pass(headers), await slideHostSession(credential, facts));
  }
  return page(403, 'Forbidden', `This portal belongs to ${owner.username}.`);
}

/**
 * Next's own trailing-slash redirect is off (next.config.ts `skipTrailingSlashRedirect`): an agent's
 * page at `/agent/` must reach the agent as `/agent/`, or its relative links resolve one level up. The
 * portal's own paths still drop the slash, with the 308 Next would have answered (Next makes a
 * same-origin location relative again).
 */
function portalPathWithoutTrailingSlash(url: { pathname: string; search: string }): string | null {
  const { pathname, search } = url;
  if (pathname.length <= 1 || !pathname.endsWith('/') || isAgentPath(pathname)) return null;
  // One leading slash: `//evil.test/` must not become a protocol-relative `//evil.test`.
  return `/${pathname.replace(/^\/+|\/+$/g, '')}${search}`;
}

export const config = {
  // Everything but Next's own assets; the function returns at once in local mode.
  matcher: ['/((?!_next/|favicon\\.ico).*)'],
};

const SIGN_IN_PAGES = ['/signin', '/onboarding', '/pending'];

/** What sets the portal's session cookie: served on `login.DOMAIN` only, never on a person's host. */
const LOGIN_HOST_APIS = ['/api/auth', '/api/dev-login'];

function isLoginHostApi(pathname: string): boolean {
  return LOGIN_HOST_APIS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

function isSignInPage(pathname: string): boolean {
  return SIGN_IN_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/** The headers this proxy sets are only ever its own. */
const OWN_HEADERS = ['x-portal-read-only', 'x-portal-owner'];

function hasSpoofedHeaders(incoming: Headers): boolean {
  return OWN_HEADERS.some((name) => incoming.has(name));
}

function withoutSpoofedHeaders(incoming: Headers): Headers {
  const headers = new Headers(incoming);
  for (const name of OWN_HEADERS) headers.delete(name);
  return headers;
}

function pass(headers: Headers) {
  return NextResponse.next({ request: { headers } });
}

/** Deletes a session cookie a browser kept on `.DOMAIN` from before cookies were host-only. */
function withLegacyCookieCleared(res: NextResponse): NextResponse {
  for (const cookie of legacyCookieClearing()) res.headers.append('set-cookie', cookie);
  return res;
}

/** The host cookie again, with the later expiry a slid host session has (none when nothing was due). */
function sliding(res: NextResponse, cookie: Awaited<ReturnType<typeof slideHostSession>>): NextResponse {
  if (cookie) res.cookies.set(cookie.name, cookie.value, cookie.options);
  return res;
}

function page(status: 403 | 404, title: string, text: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${status} ${title}</h1><p>${escapeHtml(text)}</p></body></html>`;
  return new NextResponse(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
