import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  answers,
  devPostgresPaths,
  devPostgresPathsIn,
  ensureDevPostgres,
  ensurePostgres,
  stopDevPostgres,
} from '../src';

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

  it('is what ensurePostgres gives for the data directory when no DATABASE_URL is set', async () => {
    expect(devPostgresPathsIn(base)).toEqual(paths);
    const running = await ensureDevPostgres(quiet);
    const lines: string[] = [];
    expect(await ensurePostgres({ dataDir: base, log: (line) => lines.push(line) })).toBe(running);
    // The start-up log says the queue is embedded, and where its data is.
    expect(lines[0]).toMatch(
      /DATABASE_URL is unset: the job queue runs on an embedded PostgreSQL with its data in .*cluster/,
    );
    expect(await ensurePostgres({ databaseUrl: 'postgres://q@db:5432/queue', dataDir: base })).toBe(
      'postgres://q@db:5432/queue',
    );
  });

  it('runs with an environment of its own, nothing inherited from the caller', () => {
    // /proc shows a process's environment on Linux (ours, or the postgres user's when we are root).
    const pid = Number(readFileSync(path.join(paths.cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const environ = (() => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).sort();
      } catch {
        return null; // not Linux, or not ours to read
      }
    })();
    if (process.platform === 'linux') expect(environ).toEqual(['LANG=C', 'LC_ALL=C', 'PATH=/usr/bin:/bin']);
  });
});
