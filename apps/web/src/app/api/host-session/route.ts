import { isValidUsername, mintHostSessionCode } from '@pocket-smyth/core';
import { type NextRequest, NextResponse } from 'next/server';
import { env } from '~/env';
import {
  classifyHost,
  credentialOn,
  legacyCookieClearing,
  loadAgentAccessFacts,
  safeNextPath,
  subdomainOrigin,
} from '~/server/agent-access';
import { db } from '~/server/db';
import { hostSessionPage, requestScheme } from './shared';

/**
 * The host-session handshake, first half (docs/ARCHITECTURE.md, "Security rules"), on `login.DOMAIN`
 * only: `GET /api/host-session?host={username}&next=/path`.
 *
 * `{username}.DOMAIN` sends a browser here when it has no valid cookie of its own. For a viewer signed
 * in on the portal (its host-only session cookie) who may be on that host (its owner; an active admin,
 * for the read-only view) this mints a single-use code, valid for a minute and bound to the host and the
 * portal session, and sends the browser to `{username}.DOMAIN/api/host-session/callback?code=…&next=…`,
 * which exchanges it for that host's own cookie. Nobody signed in goes to sign-in; anyone else gets
 * 403, an unknown name 404. `next` stays a path on the target host.
 */
export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  if (!env.DOMAIN || classifyHost(request.headers.get('host')).kind !== 'login') {
    return hostSessionPage(404, 'Not found', 'The host-session handshake runs on the login host.');
  }
  const scheme = requestScheme(request);
  const loginOrigin = subdomainOrigin('login', scheme);
  const hostName = (request.nextUrl.searchParams.get('host') ?? '').toLowerCase();
  const next = safeNextPath(request.nextUrl.searchParams.get('next'));
  if (!isValidUsername(hostName)) return hostSessionPage(400, 'Bad request', 'That is not a person’s host.');

  const credential = credentialOn({ kind: 'login' }, (name) => request.cookies.get(name)?.value);
  const { owner, viewer } = await loadAgentAccessFacts(hostName, credential);
  if (!viewer || !credential.token) {
    const to = new URL(`${loginOrigin}/signin`);
    to.searchParams.set('callbackUrl', `${loginOrigin}${request.nextUrl.pathname}${request.nextUrl.search}`);
    return noStore(NextResponse.redirect(to, 307));
  }
  if (!owner) return hostSessionPage(404, 'Not found', `There is no ${hostName} here.`);
  const allowed = viewer.id === owner.id || (viewer.role === 'admin' && viewer.status === 'active');
  if (!allowed) return hostSessionPage(403, 'Forbidden', `This portal belongs to ${owner.username}.`);

  const minted = await mintHostSessionCode(db, {
    sessionToken: credential.token,
    userId: viewer.id,
    host: owner.username,
  });
  if (!minted) return hostSessionPage(401, 'Signed out', 'Your session has ended. Sign in again.');
  const to = new URL(`${subdomainOrigin(owner.username.toLowerCase(), scheme)}/api/host-session/callback`);
  to.searchParams.set('code', minted.code);
  to.searchParams.set('next', next);
  const res = noStore(NextResponse.redirect(to, 303));
  for (const cookie of legacyCookieClearing()) res.headers.append('set-cookie', cookie);
  return res;
}

function noStore(res: NextResponse): NextResponse {
  res.headers.set('cache-control', 'no-store');
  res.headers.set('referrer-policy', 'no-referrer');
  return res;
}
