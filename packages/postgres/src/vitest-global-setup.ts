/**
 * For vitest's `globalSetup`: one Postgres for the whole test run, shared by every test file through
 * `TEST_DATABASE_URL` (which `ensurePostgres({ purpose: 'test' })` reads). A URL already set — e.g. CI
 * with its own server — is used as is and nothing is started.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ['@pocket-smyth/postgres/vitest-global-setup'] } });
 */
import { startTestPostgres } from './test-server';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_DATABASE_URL?.trim()) return undefined;
  const server = await startTestPostgres();
  process.env.TEST_DATABASE_URL = server.url;
  return async () => {
    delete process.env.TEST_DATABASE_URL;
    await server.stop();
  };
}
