import type { BrowserContext } from 'playwright-core';
import { SESSION_COOKIE } from './agent-access';

/**
 * The cookie `{username}.DOMAIN` gets from the host-session handshake (docs/ARCHITECTURE.md, "Security
 * rules"), over plain http (AUTH_URL http://…): host-only on that host, never `.DOMAIN`.
 */
export const HOST_SESSION_COOKIE = 'authjs.host-session';

export { SESSION_COOKIE };

/** The host cookie a browser context holds for `host` (e.g. `alice.example.test`). */
export async function hostCookieOf(context: BrowserContext, host: string): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === HOST_SESSION_COOKIE && c.domain === host);
  if (!cookie) throw new Error(`the context has no host cookie for ${host}`);
  return cookie.value;
}

/**
 * Asks the forward-auth endpoint as a reverse proxy would for `{username}.{domain}{uri}`, sending
 * `cookie` as the browser's Cookie header. Returns the status and the Cookie header forward-auth hands
 * back for the agent (what Traefik's `authResponseHeaders=Cookie` copies onto the request).
 */
export async function askForwardAuth(
  baseUrl: string,
  domain: string,
  username: string,
  uri: string,
  cookie: string | null,
): Promise<{ status: number; agentCookie: string | null }> {
  const res = await fetch(`${baseUrl}/api/forward-auth`, {
    redirect: 'manual',
    headers: {
      ...(cookie ? { cookie } : {}),
      'x-forwarded-host': `${username}.${domain}`,
      'x-forwarded-uri': uri,
      'x-forwarded-method': 'GET',
      'x-forwarded-proto': 'https',
    },
  });
  await res.arrayBuffer();
  return { status: res.status, agentCookie: res.headers.get('cookie') };
}
