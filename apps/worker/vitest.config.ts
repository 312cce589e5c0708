import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The embedded Postgres, and the certificate of the fake Graph server (packages/graph's own setup:
    // it sets NODE_EXTRA_CA_CERTS, which forked test workers read at start).
    globalSetup: ['@pocket-smyth/postgres/vitest-global-setup', '../../packages/graph/test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
