import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, type DbHandle, migrateDb } from './client';

/**
 * A fresh, migrated libSQL database in a temp file. Tests use a file rather than `:memory:` because the
 * libSQL client opens a new connection for each transaction, and a new `:memory:` connection is empty.
 */
export async function createTestDb(): Promise<DbHandle & { cleanup: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-db-'));
  const handle = createDb(`file:${path.join(dir, 'test.db')}`);
  await migrateDb(handle);
  return {
    ...handle,
    cleanup: () => {
      handle.client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
