import { type NextRequest, NextResponse } from 'next/server';
import { env } from '~/env';
import {
  checkAgentAccess,
  classifyHost,
  credentialOn,
  hostSessionStartUrl,
  parseLocalAgentUri,
  SESSION_COOKIE_NAME,
  type SessionCredential,
  subdomainOrigin,
  type VIEWERS_OWN,
} from '~/server/agent-access';
import { withoutPortalCookies } from '~/server/agent-proxy';
import { countedAs } from '~/server/http-metrics';

/**
 * The reverse proxy's forward-auth target (docs/ARCHITECTURE.md, "Hostnames"): asked before every
 * `{username}.DOMAIN/agent/*` request, by Caddy (infra/caddy/Caddyfile) or Traefik.
 *
 *   X-Forwarded-Host    `{username}.DOMAIN`: whose agent
 *   X-Forwarded-Uri     the original path and query, before the `/agent` prefix is stripped
 *   X-Forwarded-Method  GET or HEAD, with `Sec-Fetch-Mode: navigate` (or, over http, `Accept: text/html`):
 *                       a browser's page load
 *   Cookie              the browser's cookies for `{username}.DOMAIN`: that host's own cookie (from the
 *                       host-session handshake) is the only credential read; the portal's session
 *                       cookie is host-only on `login.DOMAIN` and never sent here
 *
 * 200 for the owner, 200 for anyone on `/agent/public/*` while the owner's public toggle is on,
 * 401 signed out, 403 anyone else (admins too), 404 for a name with no agent (to someone signed
 * in). Nothing is cached: one indexed query per call, so the toggle and revocations count at once.
 * A 200 carries `X-Agent-Owner` (whose agent), for a signed-in viewer `X-Auth-User`, and `Cookie`:
 * the request's cookies without the portal's (`authjs.*`), absent when none are left. Traefik's
 * `authResponseHeaders=Cookie` replaces the request's Cookie header with it, so the agent gets its own
 * cookies and never the host's (docs/ARCHITECTURE.md, "Security rules"). A page load without a valid
 * host cookie is sent through the handshake (302) instead of a bare 401.
 *
 * In local mode (no DOMAIN) it judges the app's own scheme instead, from X-Forwarded-Uri alone:
 * `/agent/*` (the viewer's own agent) and `/u/{username}/agent/*`, with the portal's session cookie.
 * The WebSocket upgrade in server.mjs asks it that way.
 */
export const dynamic = 'force-dynamic';

export const GET = countedAs('/forward-auth', (request: NextRequest) => answer(request));

// Traefik always asks with GET, but a HEAD probe should get the same answer without a body.
export const HEAD = GET;

async function answer(request: NextRequest): Promise<Response> {
  const uri = request.headers.get('x-forwarded-uri') ?? '/';
  const cookie = (name: string) => request.cookies.get(name)?.value;
  let owner: string | typeof VIEWERS_OWN;
  let agentUri = uri;
  let credential: SessionCredential;
  if (env.DOMAIN) {
    const host = classifyHost(request.headers.get('x-forwarded-host'));
    if (host.kind !== 'person') return plain(403, 'forward-auth answers for {username}.DOMAIN/agent/* only');
    owner = host.username;
    credential = credentialOn(host, cookie);
  } else {
    const local = parseLocalAgentUri(uri);
    if (!local) return plain(403, 'forward-auth answers for /agent/* and /u/{username}/agent/* only');
    owner = local.owner;
    agentUri = local.agentUri;
    credential = { kind: 'portal', token: cookie(SESSION_COOKIE_NAME) ?? null };
  }
  const result = await checkAgentAccess(owner, credential, agentUri);
  if (result.status === 401 && typeof owner === 'string' && isPageLoad(request)) {
    const protocol = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
    const loginOrigin = subdomainOrigin('login', protocol ? `${protocol}:` : request.nextUrl.protocol);
    return new NextResponse(null, {
      status: 302,
      headers: { location: hostSessionStartUrl(loginOrigin, owner, uri), 'cache-control': 'no-store' },
    });
  }
  const res = plain(result.status, result.reason);
  res.headers.set('x-agent-access', result.reason);
  if (result.status !== 200) return res;
  if (result.facts.owner) res.headers.set('x-agent-owner', result.facts.owner.username);
  // Who is asking, for the agent's own logs; never set for anonymous public requests.
  const viewer = result.facts.viewer;
  if (viewer?.username) res.headers.set('x-auth-user', viewer.username);
  const agentCookies = withoutPortalCookies(request.headers.get('cookie'));
  if (agentCookies) res.headers.set('cookie', agentCookies);
  return res;
}

/**
 * A browser loading a page in subdomain mode: worth the handshake rather than a bare 401. Browsers
 * send Fetch metadata to https origins only; over plain http a page load is known by asking for HTML.
 */
function isPageLoad(request: NextRequest): boolean {
  if (!env.DOMAIN) return false;
  const method = (request.headers.get('x-forwarded-method') ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return false;
  const mode = request.headers.get('sec-fetch-mode');
  if (mode) return mode === 'navigate';
  return request.headers.get('accept')?.includes('text/html') ?? false;
}

function plain(status: number, text: string): NextResponse {
  return new NextResponse(status === 200 ? 'ok' : text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}
