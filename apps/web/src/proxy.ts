import { type NextRequest, NextResponse } from 'next/server';
import {
  classifyHost,
  loadAgentAccessFacts,
  SESSION_COOKIE_NAME,
  subdomainOrigin,
} from '~/server/agent-access';

/**
 * Hostnames (docs/ARCHITECTURE.md, "Hostnames"). Local mode (no DOMAIN): nothing happens here, everything stays on one origin.
 *
 * Subdomain mode (DOMAIN set):
 * - `/api/*` passes on every host (REST, tRPC, Auth.js, forward-auth).
 * - `login.DOMAIN` serves sign-in, onboarding and the pending screen; a signed-in active person who
 *   opens anything else there is sent to their own `{username}.DOMAIN`.
 * - `{username}.DOMAIN` serves the portal to its owner only. An active admin may view it read-only
 *   (the request carries `x-portal-read-only: 1` and `x-portal-owner`); anyone else gets 403, an
 *   unknown name 404, nobody signed in goes to `login.DOMAIN/signin`. Sign-in, onboarding and pending
 *   there are sent to `login.DOMAIN`. `/agent/*` passes: Traefik normally sends it to the agent after
 *   asking /api/forward-auth; if it reaches the app, the app's own `/agent` proxy checks it.
 * - The bare DOMAIN redirects to `login.DOMAIN`; other hosts (internal names such as `web:3000`)
 *   are left alone.
 */
export async function proxy(request: NextRequest) {
  const host = classifyHost(request.headers.get('host'));
  if (host.kind === 'local' || host.kind === 'other') {
    // Unchanged requests, unless someone sent the headers only this proxy may set.
    return hasSpoofedHeaders(request.headers)
      ? pass(withoutSpoofedHeaders(request.headers))
      : NextResponse.next();
  }
  const headers = withoutSpoofedHeaders(request.headers);

  const { pathname, search } = request.nextUrl;
  if (pathname === '/api' || pathname.startsWith('/api/')) return pass(headers);
  const protocol = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const scheme = protocol ? `${protocol}:` : request.nextUrl.protocol;
  const loginOrigin = subdomainOrigin('login', scheme);

  if (host.kind === 'apex') return NextResponse.redirect(`${loginOrigin}${pathname}${search}`, 308);

  const token = request.cookies.get(SESSION_COOKIE_NAME)?.value ?? null;
  const signInPage = isSignInPage(pathname);

  if (host.kind === 'login') {
    if (signInPage) return pass(headers);
    const { viewer } = await loadAgentAccessFacts(null, token);
    if (viewer?.status === 'active' && viewer.username) {
      return NextResponse.redirect(`${subdomainOrigin(viewer.username, scheme)}${pathname}${search}`, 307);
    }
    // Not active yet (or signed out): the pages send them to sign-in, onboarding or pending.
    return pass(headers);
  }

  // host.kind === 'person'
  if (signInPage) return NextResponse.redirect(`${loginOrigin}${pathname}${search}`, 307);
  if (pathname === '/agent' || pathname.startsWith('/agent/')) return pass(headers);

  const { owner, viewer } = await loadAgentAccessFacts(host.username, token);
  if (!viewer) {
    const to = new URL(`${loginOrigin}/signin`);
    to.searchParams.set('callbackUrl', `${subdomainOrigin(host.username, scheme)}${pathname}${search}`);
    return NextResponse.redirect(to, 307);
  }
  if (!owner) return page(404, 'Not found', `There is no ${host.username} here.`);
  const isOwner = viewer.id === owner.id;
  if (isOwner) return pass(headers);
  if (viewer.role === 'admin' && viewer.status === 'active') {
    // Admins may look at a person's portal, read-only; the agent itself stays the owner's alone
    // (forward-auth and the /agent proxy refuse admins).
    headers.set('x-portal-read-only', '1');
    headers.set('x-portal-owner', owner.username);
    return pass(headers);
  }
  return page(403, 'Forbidden', `This portal belongs to ${owner.username}.`);
}

export const config = {
  // Everything but Next's own assets; the function returns at once in local mode.
  matcher: ['/((?!_next/|favicon\\.ico).*)'],
};

const SIGN_IN_PAGES = ['/signin', '/onboarding', '/pending'];

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
