import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // HOME is an empty temp dir that must stay empty: nothing a test runs writes into a home directory.
    globalSetup: ['test/empty-home.global-setup.ts'],
    setupFiles: ['test/empty-home.setup.ts'],
    // Real sshd, bash and node processes on a small (2-core) machine: generous, not infinite.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own servers and processes; two at a time keeps a 2-core box responsive.
    maxWorkers: 2,
  },
});
