import { hostSessionCookie } from '@pocket-smyth/auth';
import { exchangeHostSessionCode } from '@pocket-smyth/core';
import { type NextRequest, NextResponse } from 'next/server';
import { env } from '~/env';
import { classifyHost, hostSessionStartUrl, safeNextPath, subdomainOrigin } from '~/server/agent-access';
import { authSettings } from '~/server/auth';
import { db } from '~/server/db';
import { hostSessionPage, requestScheme } from '../shared';

/**
 * The host-session handshake, second half (docs/ARCHITECTURE.md, "Security rules"), on a
 * `{username}.DOMAIN` only: `GET /api/host-session/callback?code=…&next=/path`.
 *
 * Exchanges the code `login.DOMAIN` minted for this host (once; a code shown anywhere is spent) for
 * this host's own cookie: host-only (no Domain), HttpOnly, SameSite=Lax, Path=/, Secure over https,
 * expiring with the portal session it stands for. Then on to `next`, a path on this host.
 */
export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  const host = classifyHost(request.headers.get('host'));
  if (!env.DOMAIN || host.kind !== 'person') {
    return hostSessionPage(404, 'Not found', 'This answers on a person’s host only.');
  }
  const scheme = requestScheme(request);
  const next = safeNextPath(request.nextUrl.searchParams.get('next'));
  const session = await exchangeHostSessionCode(db, {
    code: request.nextUrl.searchParams.get('code') ?? '',
    host: host.username,
  });
  if (!session) {
    const retry = hostSessionStartUrl(subdomainOrigin('login', scheme), host.username, next);
    return hostSessionPage(400, 'Sign-in link expired', 'That sign-in step was used or has expired.', retry);
  }
  const res = NextResponse.redirect(`${subdomainOrigin(host.username, scheme)}${next}`, 303);
  const cookie = hostSessionCookie(authSettings);
  res.cookies.set(cookie.name, session.token, { ...cookie.options, expires: session.expiresAt });
  res.headers.set('cache-control', 'no-store');
  res.headers.set('referrer-policy', 'no-referrer');
  return res;
}
