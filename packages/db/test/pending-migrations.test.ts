import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { createDb, migrateDb, pendingMigrations } from '../src/client';
import { migrationsFolder } from '../src/paths';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test('pendingMigrations counts the journal entries a database has not applied, 0 once migrated', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ps-pending-'));
  dirs.push(dir);
  const handle = createDb(`file:${path.join(dir, 'app.db')}`);
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8'));
  expect(journal.entries.length).toBeGreaterThan(1);
  expect(await pendingMigrations(handle.db)).toBe(journal.entries.length);
  await migrateDb(handle);
  expect(await pendingMigrations(handle.db)).toBe(0);
  // A database one migration behind (as after deploying new code, before start-up migrated it).
  await handle.client.execute(
    'delete from __drizzle_migrations where created_at = (select max(created_at) from __drizzle_migrations)',
  );
  expect(await pendingMigrations(handle.db)).toBe(1);
  handle.client.close();
});
