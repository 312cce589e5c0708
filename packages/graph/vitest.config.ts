import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    // Child processes, not threads: a thread shares the main process's trust store, which was fixed
    // before global setup made the certificate. A forked worker reads NODE_EXTRA_CA_CERTS afresh.
    pool: 'forks',
  },
});
