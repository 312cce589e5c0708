import type { NextConfig } from 'next';
import { PORTAL_PATHS_SOURCE, staticSecurityHeaders } from './src/server/security-headers';

const config: NextConfig = {
  // Workspace packages ship TypeScript source; Next compiles them with the app.
  transpilePackages: [
    '@pocket-smyth/api',
    '@pocket-smyth/auth',
    '@pocket-smyth/db',
    '@pocket-smyth/email',
    '@pocket-smyth/jobs',
    '@pocket-smyth/postgres',
  ],
  // Native bindings stay outside the bundle.
  serverExternalPackages: ['@libsql/client', 'libsql', 'graphile-worker', 'pg'],
  poweredByHeader: false,
  // `/agent/` reaches the agent with its slash (relative links in its pages depend on it); proxy.ts
  // drops the slash from the portal's own paths instead, as Next would.
  skipTrailingSlashRedirect: true,
  // The portal's headers that need no request (src/server/security-headers.ts), on everything but the
  // agent's URL space, Next's own assets included; the proxy sets them too, with the per-request CSP and,
  // behind https, HSTS. Here as well so that a route the proxy's matcher skips still has them.
  async headers() {
    return [
      {
        source: PORTAL_PATHS_SOURCE,
        headers: staticSecurityHeaders({ https: false }).map(([key, value]) => ({ key, value })),
      },
    ];
  },
  typedRoutes: false,
};

export default config;
