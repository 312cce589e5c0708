import 'server-only';
import { env } from '~/env';

/**
 * Where a person's agent is reached (docs/ARCHITECTURE.md, "Hostnames"): its own subdomain in
 * production. On a single origin the owner opens /agent/, and others reach the public part by name at
 * /u/{username}/agent/public/.
 */
export function agentLinks(username: string, origin: string) {
  if (env.DOMAIN) {
    const base = `https://${username}.${env.DOMAIN}/agent/`;
    return { launch: base, public: `${base}public/` };
  }
  return { launch: `${origin}/agent/`, public: `${origin}/u/${username}/agent/public/` };
}
