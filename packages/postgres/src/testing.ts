// `@pocket-smyth/postgres/testing`: Postgres for tests and benchmarks. Never imported by the runtime entry,
// so the web bundle stays free of it.
import { testDatabaseUrl } from './env';
import { testPostgresForProcess } from './test-server';

export { createScratchDatabase, type ScratchDatabase } from './scratch-database';
export { startTestPostgres, type TestPostgres, testPostgresForProcess } from './test-server';

/**
 * The tests' server: TEST_DATABASE_URL when set (the vitest global setup sets it; CI may bring its own),
 * else a throwaway embedded server for this process, stopped and deleted when the process exits.
 */
export async function testPostgresUrl(): Promise<string> {
  return testDatabaseUrl() ?? (await testPostgresForProcess()).url;
}
