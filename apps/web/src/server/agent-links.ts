/**
 * Where a person's agent is reached (docs/ARCHITECTURE.md, "Hostnames"): its own subdomain in
 * subdomain mode, on the scheme and port the portal is served on (AUTH_URL's, else the page's own:
 * `http://login.example.test:3000` gives `http://ada.example.test:3000/agent/`). On a single origin the
 * owner opens /agent/, and others reach the public part by name at /u/{username}/agent/public/.
 */
export function agentLinksFor(
  username: string,
  origin: string,
  settings: { domain?: string | undefined; authUrl?: string | undefined },
): { launch: string; public: string } {
  if (settings.domain) {
    const served = new URL(settings.authUrl ?? origin);
    const port = served.port ? `:${served.port}` : '';
    const base = `${served.protocol}//${username}.${settings.domain}${port}/agent/`;
    return { launch: base, public: `${base}public/` };
  }
  return { launch: `${origin}/agent/`, public: `${origin}/u/${username}/agent/public/` };
}

/**
 * Where an admin reads `username`'s portal as they see it (read-only, `_dashboard/read-only-portal.tsx`):
 * their own host in subdomain mode, `/u/{username}` on a single origin.
 */
export function portalViewFor(
  username: string,
  origin: string,
  settings: { domain?: string | undefined; authUrl?: string | undefined },
): string {
  if (!settings.domain) return `/u/${encodeURIComponent(username)}`;
  const served = new URL(settings.authUrl ?? origin);
  const port = served.port ? `:${served.port}` : '';
  return `${served.protocol}//${username}.${settings.domain}${port}/`;
}
