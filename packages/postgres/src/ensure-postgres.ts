import { ensureDevPostgres } from './dev-server';
import { testPostgresForProcess } from './test-server';

export type PostgresPurpose = 'dev' | 'test';

export interface EnsurePostgresOptions {
  purpose: PostgresPurpose;
  /** Where progress lines go (dev only). Default `console.info`. */
  log?: (line: string) => void;
}

/**
 * The one way every process gets its Postgres connection string (SPEC §6):
 * - `dev`: `DATABASE_URL` when set, else the shared embedded server under `.data/postgres/`;
 * - `test`: `TEST_DATABASE_URL` when set (the vitest global setup sets it), else a throwaway embedded
 *   server for this process, stopped and deleted when the process exits.
 */
export async function ensurePostgres(options: EnsurePostgresOptions): Promise<string> {
  if (options.purpose === 'dev') {
    const configured = process.env.DATABASE_URL?.trim();
    if (configured) return configured;
    return ensureDevPostgres({ log: options.log });
  }
  const configured = process.env.TEST_DATABASE_URL?.trim();
  if (configured) return configured;
  return (await testPostgresForProcess()).url;
}
