import { randomBytes } from 'node:crypto';
import { createDatabaseIfMissing, withClient, withDatabase } from './connection';

export interface ScratchDatabase {
  url: string;
  name: string;
  /** Drops the database, disconnecting anyone still on it. */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the server at `serverUrl`, so test files sharing one server never see each
 * other's jobs or graphile-worker schema.
 */
export async function createScratchDatabase(serverUrl: string, prefix = 'test'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await createDatabaseIfMissing(serverUrl, name);
  return {
    url: withDatabase(serverUrl, name),
    name,
    drop: () =>
      withClient(serverUrl, async (client) => {
        await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
      }),
  };
}
