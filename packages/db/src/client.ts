import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { migrationsFolder } from './paths';
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

/** How long a local write waits for another process's write lock before it fails with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Run on the local writer connection before its first write. WAL lets the web app and the worker read
 * while the other writes (it is stored in the file; setting it again is a no-op). synchronous = NORMAL
 * is per connection and safe under WAL (a power cut may drop the last commits, never corrupt the file);
 * it saves an fsync per commit, so the write lock is held for less time.
 */
const LOCAL_WRITER_SETUP = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;';

/**
 * Opens the app database. `url` is a libSQL URL (`file:…`, `libsql://…`, `http://…`), as the app's
 * configuration gives it (`dbSettings(env).libsqlUrl`, default `.data/app.db`).
 */
export function createDb(url: string, authToken?: string): DbHandle {
  if (!url.startsWith('file:')) {
    // Remote servers (sqld, Turso) queue writes themselves.
    const client = createClient({ url, authToken });
    return { db: drizzle(client, { schema }), client, url };
  }
  const file = url.slice('file:'.length).split('?')[0] ?? '';
  const memory = file.startsWith(':memory:');
  if (file && !memory)
    mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ file)), { recursive: true });
  // A local file is shared with other processes (web app, worker), and each of them must wait for the
  // other's write lock instead of failing with SQLITE_BUSY. That takes busy_timeout on every connection:
  // `timeout` sets it on each one the client opens. A `PRAGMA busy_timeout` reached only the connection
  // it ran on, while the client opens more (an open transaction keeps its own; concurrent reads borrow
  // others), and writes that landed on those failed at once.
  // Writes queue in-process (serializeWrites) and go through one connection, so the per-connection
  // PRAGMAs in LOCAL_WRITER_SETUP, applied there, hold for every write; reads use a pool of their own.
  // An in-memory database lives on one connection, so there it is one client for both.
  const writer = createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS, concurrency: 1 });
  const reader = memory ? writer : createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS });
  const client = serializeWrites(writer, { reader, setup: LOCAL_WRITER_SETUP });
  return { db: drizzle(client, { schema }), client, url };
}

/** How many times a migration that lost a race with another process's is tried again. */
const MIGRATION_RETRIES = 3;

/**
 * Applies committed migrations. Local files get WAL, synchronous = NORMAL and a busy timeout from
 * `createDb` itself, on every connection, so any process may write whether or not it ran this.
 *
 * Several instances may start at once on a fresh database (two web apps, two workers). drizzle's
 * migrator reads which migrations are applied, then applies the rest in one transaction; a process
 * that read "none" while another was applying them fails inside that transaction ("table … already
 * exists"), which rolls back whole. By then the winner has committed (SQLite runs one write
 * transaction at a time), so reading again finds them applied and there is nothing left to do. A
 * migration that is itself broken fails the same way every time and is thrown.
 */
export async function migrateDb(handle: DbHandle): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await migrate(handle.db, { migrationsFolder: migrationsFolder() });
      return;
    } catch (error) {
      if (attempt >= MIGRATION_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

/**
 * How many committed migrations this database has not applied yet (the readiness check). drizzle's
 * migrator applies every journal entry newer than the newest `created_at` in `__drizzle_migrations`,
 * so that is what is counted; a database never migrated has all of them pending.
 */
export async function pendingMigrations(db: Db): Promise<number> {
  const journal = JSON.parse(
    readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: { when: number }[];
  };
  const [table] = await db.all<{ name: string }>(
    sql`select name from sqlite_master where type = 'table' and name = '__drizzle_migrations'`,
  );
  let newest = Number.NEGATIVE_INFINITY;
  if (table) {
    const [row] = await db.all<{ newest: number | null }>(
      sql`select max(created_at) as newest from __drizzle_migrations`,
    );
    newest = Number(row?.newest ?? Number.NEGATIVE_INFINITY);
  }
  return journal.entries.filter((e) => e.when > newest).length;
}

/** One round trip to the database (the readiness check). */
export async function pingDb(db: Db): Promise<void> {
  await db.run(sql`select 1`);
}
