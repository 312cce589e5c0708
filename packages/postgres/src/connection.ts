import pg from 'pg';

export function connectionUrl(options: {
  password: string;
  port: number;
  database: string;
  user?: string;
  host?: string;
}): string {
  const user = encodeURIComponent(options.user ?? 'postgres');
  const password = encodeURIComponent(options.password);
  return `postgres://${user}:${password}@${options.host ?? '127.0.0.1'}:${options.port}/${encodeURIComponent(options.database)}`;
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** True when a server at `url` accepts a connection and answers a query within `timeoutMs`. */
export async function answers(url: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A refused connection also emits 'error' on some paths; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `fn` with a short-lived client; for administrative statements such as CREATE DATABASE. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createDatabaseIfMissing(serverUrl: string, database: string): Promise<void> {
  await withClient(serverUrl, async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (rowCount) return;
    try {
      await client.query(`create database ${client.escapeIdentifier(database)}`);
    } catch (error) {
      // Two processes raced to create it; the other one won, which is all we wanted.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
  });
}
