import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The embedded Postgres, and the certificate of the fake Graph server (packages/graph's own setup:
    // it sets NODE_EXTRA_CA_CERTS, which forked test workers read at start); HOME is an empty temp dir
    // that must stay empty (agent state and script bundles live under DATA_DIR or a test's own dir).
    globalSetup: [
      '@pocket-smyth/postgres/vitest-global-setup',
      '../../packages/graph/test/global-setup.ts',
      '../../packages/hosts/test/empty-home.global-setup.ts',
    ],
    setupFiles: ['../../packages/hosts/test/empty-home.setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
