import { z } from 'zod';
import { dataDir, defaultLibsqlUrl } from './paths';

/**
 * The app database's settings, as a zod fragment each app composes into its one env.ts (docs/ARCHITECTURE.md,
 * "Configuration"). Unset means the embedded default: the libSQL file `.data/app.db`.
 */
export const dbEnv = z.object({
  /** App data: `file:…`, `libsql://…` (Turso), `http(s)://…`, `ws(s)://…` (sqld). Unset: DATA_DIR/app.db. */
  LIBSQL_URL: z
    .string()
    .trim()
    .regex(/^(file|libsql|https?|wss?):/, 'LIBSQL_URL is a libSQL URL: file:…, libsql://…, http(s)://…')
    .optional(),
  /** Auth token for a remote libSQL server (Turso, sqld). */
  LIBSQL_AUTH_TOKEN: z.string().trim().optional(),
  /**
   * Where the embedded defaults live (libSQL file, development Postgres, auth secret, agent state). A
   * relative path is taken from the workspace root, whichever app's folder is the working directory.
   * Unset: `.data/`.
   */
  DATA_DIR: z.string().trim().optional(),
});

export type DbEnv = z.infer<typeof dbEnv>;

export interface DbSettings {
  /** DATA_DIR, absolute (a relative one resolved against the workspace root); `.data/` there when unset. */
  dataDir: string;
  /** LIBSQL_URL, else the file `app.db` in `dataDir`. */
  libsqlUrl: string;
  libsqlAuthToken: string | undefined;
}

/** What `createDb` and the embedded defaults are given, from the parsed fragment. */
export function dbSettings(env: DbEnv): DbSettings {
  const directory = dataDir(env.DATA_DIR);
  return {
    dataDir: directory,
    libsqlUrl: env.LIBSQL_URL ?? defaultLibsqlUrl(directory),
    libsqlAuthToken: env.LIBSQL_AUTH_TOKEN || undefined,
  };
}
