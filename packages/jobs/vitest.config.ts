import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One Postgres for the run; each test file makes its own database on it.
    globalSetup: ['@pocket-smyth/postgres/vitest-global-setup'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
