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
  const paths = devPostgresPathsIn(options.dataDir);
  // Said once per process at start, so an operator who forgot DATABASE_URL in production sees where
  // the queue's data went.
  (options.log ?? console.info)(
    `[postgres] DATABASE_URL is unset: the job queue runs on an embedded PostgreSQL with its data in ${paths.cluster} (set DATABASE_URL to use a server of your own)`,
  );
  return ensureDevPostgres({ paths, log: options.log });
}
