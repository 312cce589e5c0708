import 'server-only';
import { env } from '~/env';

/**
 * Where a person's agent is reached (SPEC §2): its own subdomain in production, the app's /agent/
 * path on a single origin. The public part lives under /agent/public/.
 */
export function agentLinks(username: string, origin: string) {
  const base = env.DOMAIN ? `https://${username}.${env.DOMAIN}/agent/` : `${origin}/agent/`;
  return { launch: base, public: `${base}public/` };
}
