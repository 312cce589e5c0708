import { devPostgresPathsIn, ensureDevPostgres } from './dev-server';
import { testDatabaseUrl } from './env';

export interface EnsurePostgresOptions {
  /** DATABASE_URL (`@pocket-smyth/postgres/env`). Unset: the shared embedded development server. */
  databaseUrl?: string | null;
  /** DATA_DIR, as `dbSettings(env).dataDir`; the development server lives in its `postgres/`. */
  dataDir: string;
  /** Where progress lines go. Default `console.info`. */
  log?: (line: string) => void;
}

/**
 * @deprecated For `packages/jobs`' test helpers only, until they call `testPostgresUrl()` from
 * `@pocket-smyth/postgres/testing`: the URL the vitest global setup published (TEST_DATABASE_URL).
 */
export interface TestPurposeOptions {
  purpose: 'test';
}

/**
 * The app's Postgres connection string (docs/ARCHITECTURE.md, "Two databases"): `databaseUrl` when set,
 * else the embedded development server under `dataDir`, started once and shared by web and worker.
 * The tests' servers are in `@pocket-smyth/postgres/testing`, which this entry never imports.
 */
export async function ensurePostgres(options: EnsurePostgresOptions | TestPurposeOptions): Promise<string> {
  if ('purpose' in options) {
    const url = testDatabaseUrl();
    if (url) return url;
    throw new Error(
      'TEST_DATABASE_URL is not set: run under @pocket-smyth/postgres/vitest-global-setup, or call testPostgresUrl() from @pocket-smyth/postgres/testing',
    );
  }
  if (options.databaseUrl) return options.databaseUrl;
  return ensureDevPostgres({ paths: devPostgresPathsIn(options.dataDir), log: options.log });
}
