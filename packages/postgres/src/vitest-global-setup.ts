/**
 * For vitest's `globalSetup`: one Postgres for the whole test run, shared by every test file through
 * TEST_DATABASE_URL (which `testPostgresUrl()` of `@pocket-smyth/postgres/testing` reads). A URL already
 * set — e.g. CI with its own server — is used as is and nothing is started.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ['@pocket-smyth/postgres/vitest-global-setup'] } });
 */
import { publishTestDatabaseUrl, testDatabaseUrl } from './env';
import { startTestPostgres } from './test-server';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (testDatabaseUrl()) return undefined;
  const server = await startTestPostgres();
  publishTestDatabaseUrl(server.url);
  return async () => {
    publishTestDatabaseUrl(null);
    await server.stop();
  };
}
