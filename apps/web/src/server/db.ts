import 'server-only';
import { createDb, type DbHandle } from '@pocket-smyth/db';
import { dbSettings } from '@pocket-smyth/db/env';
import { env } from '~/env';

// One client per server process; kept on globalThis so dev-mode reloads do not open a new one each time.
const globalForDb = globalThis as unknown as { pocketSmythDb?: DbHandle };

const { libsqlUrl, libsqlAuthToken } = dbSettings(env);

export const dbHandle: DbHandle = globalForDb.pocketSmythDb ?? createDb(libsqlUrl, libsqlAuthToken);
globalForDb.pocketSmythDb = dbHandle;

export const db = dbHandle.db;
