import 'server-only';
import { headers } from 'next/headers';
import { env } from '~/env';
import { agentLinksFor, portalViewFor } from './agent-links';

/**
 * The origin the page being rendered was asked for. The links built from it are shown to the viewer
 * alone, so a client-sent `X-Forwarded-Proto` can mislead only the one who sent it.
 */
async function pageOrigin(): Promise<string> {
  const h = await headers();
  return `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost:3000'}`;
}

/** The Launch and public links of `username`'s agent, for the page being rendered (agent-links.ts). */
export async function agentLinks(username: string) {
  return agentLinksFor(username, await pageOrigin(), { domain: env.DOMAIN, authUrl: env.AUTH_URL });
}

/** Where an admin reads `username`'s portal, read-only (agent-links.ts `portalViewFor`). */
export async function portalView(username: string) {
  return portalViewFor(username, await pageOrigin(), { domain: env.DOMAIN, authUrl: env.AUTH_URL });
}
