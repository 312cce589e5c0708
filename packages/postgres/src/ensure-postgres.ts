import { devPostgresPathsIn, ensureDevPostgres } from './dev-server';

export interface EnsurePostgresOptions {
  /** DATABASE_URL (`@pocket-smyth/postgres/env`). Unset: the shared embedded development server. */
  databaseUrl?: string | null;
  /** DATA_DIR, as `dbSettings(env).dataDir`; the development server lives in its `postgres/`. */
  dataDir: string;
  /** Where progress lines go. Default `console.info`. */
  log?: (line: string) => void;
}

/**
 * The app's Postgres connection string (docs/ARCHITECTURE.md, "Two databases"): `databaseUrl` when set,
 * else the embedded development server under `dataDir`, started once and shared by web and worker.
 * The tests' servers are in `@pocket-smyth/postgres/testing`, which this entry never imports.
 */
export async function ensurePostgres(options: EnsurePostgresOptions): Promise<string> {
  if (options.databaseUrl) return options.databaseUrl;
  return ensureDevPostgres({ paths: devPostgresPathsIn(options.dataDir), log: options.log });
}
