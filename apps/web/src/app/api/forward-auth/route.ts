import { type NextRequest, NextResponse } from 'next/server';
import { env } from '~/env';
import {
  checkAgentAccess,
  classifyHost,
  parseLocalAgentUri,
  SESSION_COOKIE_NAME,
  type VIEWERS_OWN,
} from '~/server/agent-access';

/**
 * Traefik's forwardAuth target (docs/ARCHITECTURE.md, "Hostnames"): asked before every `{username}.DOMAIN/agent/*` request.
 *
 *   X-Forwarded-Host    `{username}.DOMAIN`: whose agent
 *   X-Forwarded-Uri     the original path and query, before the `/agent` prefix is stripped
 *   X-Forwarded-Method  not used: the rule is the same for every method
 *   Cookie              the session cookie, scoped to `.DOMAIN`, so Traefik passes it through
 *
 * 200 for the owner, 200 for anyone on `/agent/public/*` while the owner's public toggle is on,
 * 401 signed out, 403 anyone else (admins too), 404 for a name with no agent (to someone signed
 * in). Nothing is cached: one indexed query per call, so the toggle and revocations count at once.
 * A 200 carries `X-Agent-Owner` (whose agent) and, for a signed-in viewer, `X-Auth-User`.
 *
 * In local mode (no DOMAIN) it judges the app's own scheme instead, from X-Forwarded-Uri alone:
 * `/agent/*` (the viewer's own agent) and `/u/{username}/agent/*`. The WebSocket upgrade in
 * server.mjs asks it that way.
 */
export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  return answer(request);
}

// Traefik always asks with GET, but a HEAD probe should get the same answer without a body.
export async function HEAD(request: NextRequest) {
  return answer(request);
}

async function answer(request: NextRequest): Promise<Response> {
  const uri = request.headers.get('x-forwarded-uri') ?? '/';
  let owner: string | typeof VIEWERS_OWN;
  let agentUri = uri;
  if (env.DOMAIN) {
    const host = classifyHost(request.headers.get('x-forwarded-host'));
    if (host.kind !== 'person') return plain(403, 'forward-auth answers for {username}.DOMAIN/agent/* only');
    owner = host.username;
  } else {
    const local = parseLocalAgentUri(uri);
    if (!local) return plain(403, 'forward-auth answers for /agent/* and /u/{username}/agent/* only');
    owner = local.owner;
    agentUri = local.agentUri;
  }
  const token = request.cookies.get(SESSION_COOKIE_NAME)?.value ?? null;
  const result = await checkAgentAccess(owner, token, agentUri);
  const res = plain(result.status, result.reason);
  res.headers.set('x-agent-access', result.reason);
  if (result.status === 200 && result.facts.owner)
    res.headers.set('x-agent-owner', result.facts.owner.username);
  // Who is asking, for the agent's own logs; never set for anonymous public requests.
  const viewer = result.facts.viewer;
  if (result.status === 200 && viewer?.username) res.headers.set('x-auth-user', viewer.username);
  return res;
}

function plain(status: number, text: string): NextResponse {
  return new NextResponse(status === 200 ? 'ok' : text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}
