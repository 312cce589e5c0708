import 'server-only';
import { createDb, type DbHandle, defaultLibsqlUrl } from '@pocket-smyth/db';
import { env } from '~/env';

// One client per server process; kept on globalThis so dev-mode reloads do not open a new one each time.
const globalForDb = globalThis as unknown as { pocketSmythDb?: DbHandle };

export const dbHandle: DbHandle =
  globalForDb.pocketSmythDb ?? createDb(env.LIBSQL_URL ?? defaultLibsqlUrl(), env.LIBSQL_AUTH_TOKEN);
globalForDb.pocketSmythDb = dbHandle;

export const db = dbHandle.db;
