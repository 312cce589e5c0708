import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // next-auth imports `next/server` without an extension, which Node's own ESM loader refuses; through
    // Vite it resolves, so the magic-link tests can drive the real Auth.js handler that createAuth builds.
    server: { deps: { inline: ['next-auth'] } },
  },
});
