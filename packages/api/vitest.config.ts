import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every test file opens its own libSQL temp file (test/helpers.ts), so files run in parallel safely.
    include: ['test/**/*.test.ts'],
    // Files share no module state beyond a unique-name counter, and fake timers and spies are restored
    // where they are set; reusing the module graph across files halves the suite's wall time.
    isolate: false,
    // Headroom for loaded CI machines; the slowest single test (a 50,000-row export) sets its own.
    testTimeout: 15_000,
  },
});
