import { dbEnv, dbSettings } from '@pocket-smyth/db/env';
import { z } from 'zod';

const postgresUrl = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, `${name} is a connection string, postgres://user:password@host:port/db`)
    .optional();

/**
 * The job queue's settings, as a zod fragment each app composes into its one env.ts (docs/ARCHITECTURE.md,
 * "Configuration"). Unset: the embedded development Postgres under `DATA_DIR/postgres` (`ensurePostgres`).
 */
export const postgresEnv = z.object({
  /** graphile-worker's queue. Unset: the shared embedded development server (never port 5432). */
  DATABASE_URL: postgresUrl('DATABASE_URL'),
});

export type PostgresEnv = z.infer<typeof postgresEnv>;

/**
 * The tests' Postgres (`@pocket-smyth/postgres/testing`). Not an app setting: the vitest global setup
 * publishes its server here for the test files it starts, and a URL set beforehand (CI's own server) is
 * used as is.
 */
export const postgresTestEnv = z.object({
  TEST_DATABASE_URL: postgresUrl('TEST_DATABASE_URL'),
});

// The test harness's channel from vitest's global setup to the test workers it starts is the process
// environment itself (the workers inherit it), so these two read and write it; nothing else here does.

/** TEST_DATABASE_URL of this process, or null. */
export function testDatabaseUrl(): string | null {
  const value = process.env.TEST_DATABASE_URL?.trim() || undefined;
  return postgresTestEnv.parse({ TEST_DATABASE_URL: value }).TEST_DATABASE_URL ?? null;
}

/** Sets (or, with null, removes) TEST_DATABASE_URL for this process and the test workers it starts. */
export function publishTestDatabaseUrl(url: string | null): void {
  if (url === null) delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = url;
}

/** DATA_DIR as the apps read it, for this package's own command (`dev:stop`), which has no app env. */
export function dataDirOfProcess(): string {
  return dbSettings(dbEnv.parse({ DATA_DIR: process.env.DATA_DIR?.trim() || undefined })).dataDir;
}
