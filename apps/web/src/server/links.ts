import 'server-only';
import { env } from '~/env';
import { agentLinksFor, portalViewFor } from './agent-links';

/** The Launch and public links of `username`'s agent, for a page served at `origin` (agent-links.ts). */
export function agentLinks(username: string, origin: string) {
  return agentLinksFor(username, origin, { domain: env.DOMAIN, authUrl: env.AUTH_URL });
}

/** Where an admin reads `username`'s portal, read-only (agent-links.ts `portalViewFor`). */
export function portalView(username: string, origin: string) {
  return portalViewFor(username, origin, { domain: env.DOMAIN, authUrl: env.AUTH_URL });
}
