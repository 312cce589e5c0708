import { PORTAL_COOKIE_NAME } from '@pocket-smyth/auth';
import { checkAgentAccess, classifyHost, credentialOn, type VIEWERS_OWN } from './agent-access';
import { agentRefusalFor, agentRefusalResponse } from './agent-refusal';
import { agentUpstreamOrigin, forgetAgentPort, upstreamPath } from './agent-upstream';
import { agentFrameHeaders } from './security-headers';

/**
 * The app's own reverse proxy to a person's agent (local mode, docs/ARCHITECTURE.md, "Hostnames"), HTTP only (WebSocket
 * upgrades are the custom server's, see apps/web/server.mjs). Same rule as forward-auth, checked on
 * every request with no cache. The agent never sees the portal's cookies (the session cookie, the
 * host cookie of `{username}.DOMAIN` when such a request reaches the app, Auth.js's own).
 */
export interface AgentProxyTarget {
  /** Whose agent: a username from the URL, or VIEWERS_OWN for `/agent/*`. */
  owner: string | typeof VIEWERS_OWN;
  /** Where the `/agent` path is mounted in the app's URL space: '' or `/u/{username}`. */
  mount: string;
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'accept-encoding',
];

export async function proxyAgentRequest(request: Request, target: AgentProxyTarget): Promise<Response> {
  const url = new URL(request.url);
  // The raw path as the client sent it (after the mount), so the rule sees what the agent will get.
  const agentPath = url.pathname.slice(target.mount.length) || '/agent';
  const agentUri = `${agentPath}${url.search}`;
  const cookieHeader = request.headers.get('cookie');
  const credential = credentialOn(classifyHost(request.headers.get('host')), (name) =>
    readCookie(cookieHeader, name),
  );
  const access = await checkAgentAccess(target.owner, credential, agentUri);
  if (access.status !== 200) return agentRefusalResponse(agentRefusalFor(access), request);
  const owner = access.facts.owner;
  if (!owner)
    return agentRefusalResponse(
      agentRefusalFor({ ...access, status: 404, reason: 'no_such_agent' }),
      request,
    );

  const origin = await agentUpstreamOrigin(owner.username);
  if (!origin) return text(503, `${owner.username}'s agent is not running here.`);

  const headers = new Headers(request.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  const cookie = withoutPortalCookies(request.headers.get('cookie'));
  if (cookie) headers.set('cookie', cookie);
  else headers.delete('cookie');
  headers.set('x-forwarded-host', url.host);
  headers.set('x-forwarded-proto', url.protocol.replace(':', ''));
  headers.set('x-forwarded-prefix', `${target.mount}/agent`);
  const viewer = access.facts.viewer;
  if (viewer?.username) headers.set('x-auth-user', viewer.username);
  else headers.delete('x-auth-user');

  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers,
    redirect: 'manual',
    ...(hasBody ? { body: request.body, duplex: 'half' } : {}),
  };
  let upstream: Response;
  try {
    upstream = await fetch(`${origin}${upstreamPath(agentUri)}`, init);
  } catch {
    forgetAgentPort(owner.username);
    return text(502, `${owner.username}'s agent did not answer.`);
  }

  const out = new Headers(upstream.headers);
  // fetch has already decoded the body; the length and encoding no longer describe it.
  for (const name of [
    'content-encoding',
    'content-length',
    'transfer-encoding',
    'connection',
    'keep-alive',
  ]) {
    out.delete(name);
  }
  const location = out.get('location');
  if (location && target.mount && /^\/agent(?=[/?#]|$)/.test(location)) {
    out.set('location', `${target.mount}${location}`);
  }
  out.set('cache-control', out.get('cache-control') ?? 'private, no-store');
  // The agent's headers stay its own; nobody but this origin may frame it (security-headers.ts).
  agentFrameHeaders(out);
  return new Response(request.method === 'HEAD' ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: out,
  });
}

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Drops the portal's cookies (`authjs.*`: the session, a host's cookie, Auth.js's CSRF and callback
 * URL): they are the portal's, never the agent's. The agent's own cookies pass unchanged.
 */
export function withoutPortalCookies(header: string | null): string {
  if (!header) return '';
  return header
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p && !PORTAL_COOKIE_NAME.test(p.split('=', 1)[0]?.trim() ?? ''))
    .join('; ');
}
