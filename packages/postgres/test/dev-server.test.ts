import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answers, devPostgresPaths, ensureDevPostgres, stopDevPostgres } from '../src';

describe('the development Postgres', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-devpg-'));
  // Like a checkout's .data/: the Postgres user must be able to reach the cluster inside it.
  chmodSync(base, 0o755);
  const paths = devPostgresPaths(path.join(base, 'postgres'));
  const quiet = { paths, log: () => {} };

  afterAll(async () => {
    await stopDevPostgres(paths);
    rmSync(base, { recursive: true, force: true });
  });

  it('is started once for callers that arrive together, and its URL is written to .data/postgres/url', async () => {
    const [first, second] = await Promise.all([ensureDevPostgres(quiet), ensureDevPostgres(quiet)]);
    expect(first).toBe(second);
    expect(await answers(first)).toBe(true);
    expect(readFileSync(paths.url, 'utf8').trim()).toBe(first);
    expect(new URL(first).pathname).toBe('/pocket_smyth');
    expect(existsSync(paths.lock)).toBe(false);
  });

  it('is reused while it answers, and restarted on the same port after it stopped', async () => {
    const running = await ensureDevPostgres(quiet);
    expect(await ensureDevPostgres(quiet)).toBe(running);
    expect(await stopDevPostgres(paths)).toBe(true);
    expect(await answers(running)).toBe(false);
    const restarted = await ensureDevPostgres(quiet);
    expect(restarted).toBe(running);
    expect(await answers(restarted)).toBe(true);
  });
});
