import type { NextConfig } from 'next';

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
  typedRoutes: false,
};

export default config;
