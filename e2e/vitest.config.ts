import { defineConfig } from 'vitest/config';

// Browser tests share one production server per file and drive Chromium: slow by nature, so long
// timeouts, and files one at a time so two Next servers never compete for the 2 cores.
export default defineConfig({
  test: {
    include: ['tests/**/*.e2e.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // A loaded CI machine renders slower than a laptop: give polled UI assertions room.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    reporters: ['default'],
  },
});
