import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { defaultLibsqlUrl, migrationsFolder } from './paths';
import * as schema from './schema';
import { serializeWrites } from './serialize-writes';

export type Db = LibSQLDatabase<typeof schema>;
/** What a function that runs inside `db.transaction()` receives; every query helper accepts either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  client: Client;
  url: string;
}

/** Opens the app database. `url` is a libSQL URL (`file:…`, `libsql://…`, `http://…`); default `.data/app.db`. */
export function createDb(url: string = defaultLibsqlUrl(), authToken?: string): DbHandle {
  if (url.startsWith('file:')) {
    const file = url.slice('file:'.length).split('?')[0] ?? '';
    if (file && file !== ':memory:')
      mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ file)), { recursive: true });
  }
  const raw = createClient({ url, authToken });
  // Remote servers (sqld, Turso) queue writes themselves; a local file needs it done in-process.
  const client = url.startsWith('file:') ? serializeWrites(raw) : raw;
  return { db: drizzle(client, { schema }), client, url };
}

/**
 * Applies committed migrations. Local files also get WAL, so the web app and the worker can read while
 * the other writes, and a busy timeout instead of an instant SQLITE_BUSY.
 */
export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.url.startsWith('file:')) {
    await handle.client.execute('PRAGMA journal_mode = WAL');
    await handle.client.execute('PRAGMA busy_timeout = 5000');
  }
  await migrate(handle.db, { migrationsFolder: migrationsFolder() });
}
