import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { postgresBinaries } from './binaries';
import {
  initCluster,
  isInitialised,
  isPostgresProcess,
  postgresProcessEnv,
  readPostmasterPid,
  serverArgs,
} from './cluster';
import { answers, connectionUrl, createDatabaseIfMissing, withDatabase } from './connection';
import { freePort, isPortFree, reservedPort } from './free-port';
import { withLockFile } from './lock-file';
import { postgresOsUser } from './os-user';
import { redact, waitUntilReady } from './wait-until-ready';

/**
 * Where the development Postgres keeps everything: `base`, which is `postgres/` under the data
 * directory (DATA_DIR, `.data/` by default) for `pnpm dev` — see `devPostgresPathsIn`.
 */
export function devPostgresPaths(base: string) {
  return {
    base,
    cluster: path.join(base, 'cluster'),
    /** The connection string of the running server; what the web app and the worker share. */
    url: path.join(base, 'url'),
    password: path.join(base, 'password'),
    log: path.join(base, 'postgres.log'),
    lock: path.join(base, 'start.lock'),
  };
}

export type DevPostgresPaths = ReturnType<typeof devPostgresPaths>;

/** The development Postgres of `dataDir` (DATA_DIR, as `@pocket-smyth/db/env` resolves it). */
export function devPostgresPathsIn(dataDir: string): DevPostgresPaths {
  return devPostgresPaths(path.join(/*turbopackIgnore: true*/ dataDir, 'postgres'));
}

export const devDatabaseName = 'pocket_smyth';

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function writePrivate(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${text}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

function portOf(url: string | null): number | null {
  if (!url) return null;
  try {
    const port = Number.parseInt(new URL(url).port, 10);
    return Number.isFinite(port) ? port : null;
  } catch {
    return null;
  }
}

function logTail(file: string, lines = 15): string {
  return (readText(file) ?? '').split('\n').slice(-lines).join('\n');
}

/**
 * The development Postgres: started once under `.data/postgres/` and shared by every process of
 * `pnpm dev`. The first caller starts it (under a lock file, so web and worker starting together do not
 * both try) and writes its URL to `.data/postgres/url`; later callers reuse it when it answers.
 *
 * The server is started detached and outlives the process that started it, like a database service:
 * `tsx watch` restarting the worker must not pull the database from under the web app. Stop it with
 * `pnpm --filter @pocket-smyth/postgres dev:stop`.
 */
export async function ensureDevPostgres(options: {
  paths: DevPostgresPaths;
  log?: (line: string) => void;
}): Promise<string> {
  const { paths } = options;
  const log = options.log ?? ((line: string) => console.info(line));

  const recorded = readText(paths.url);
  if (recorded && (await answers(recorded))) return recorded;

  mkdirSync(paths.base, { recursive: true, mode: 0o755 });
  return withLockFile(paths.lock, async () => {
    // Another process may have started it while we waited for the lock.
    const again = readText(paths.url);
    if (again && (await answers(again))) return again;

    const user = postgresOsUser();
    let password = readText(paths.password);
    if (!isInitialised(paths.cluster)) {
      password = randomBytes(18).toString('base64url');
      log(`[postgres] creating a development cluster in ${paths.cluster}`);
      await initCluster({ clusterDir: paths.cluster, password, user });
      writePrivate(paths.password, password);
    }
    if (!password) {
      throw new Error(
        `${paths.cluster} exists but ${paths.password} is missing; delete ${paths.base} to start afresh`,
      );
    }

    const running = readPostmasterPid(paths.cluster);
    if (running && isPostgresProcess(running.pid)) {
      // A server owns the cluster (still starting, or the URL file was lost): use it rather than fight it.
      const url = connectionUrl({ password, port: running.port, database: devDatabaseName });
      const serverUrl = withDatabase(url, 'postgres');
      await waitUntilReady(serverUrl, { timeoutMs: 30_000 });
      await createDatabaseIfMissing(serverUrl, devDatabaseName);
      writePrivate(paths.url, url);
      return url;
    }

    const { postgres } = await postgresBinaries();
    for (let attempt = 1; ; attempt++) {
      // Keep the previous port when it is free, so URLs held by other processes stay valid.
      const previous = portOf(again ?? recorded);
      const port =
        previous && previous !== reservedPort && (await isPortFree(previous)) ? previous : await freePort();
      const logFd = openSync(/*turbopackIgnore: true*/ paths.log, 'a');
      const child = spawn(postgres, serverArgs(paths.cluster, port), {
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: postgresProcessEnv(),
        ...(user ?? {}),
      });
      closeSync(logFd);
      let exited: number | null = null;
      child.once('exit', (code) => {
        exited = code ?? -1;
      });
      child.unref();

      const serverUrl = connectionUrl({ password, port, database: 'postgres' });
      try {
        await waitUntilReady(serverUrl, {
          timeoutMs: 60_000,
          failure: () => (exited === null ? null : `postgres exited (${exited}):\n${logTail(paths.log)}`),
        });
      } catch (error) {
        const portTaken = logTail(paths.log).includes('could not bind');
        if (portTaken && attempt < 3) {
          await sleep(100);
          continue;
        }
        throw error;
      }
      await createDatabaseIfMissing(serverUrl, devDatabaseName);
      const url = withDatabase(serverUrl, devDatabaseName);
      writePrivate(paths.url, url);
      log(`[postgres] development server ready at ${redact(url)} (pid ${child.pid}, log ${paths.log})`);
      return url;
    }
  });
}

/** Stops the development server, if one runs. Returns whether there was one. */
export async function stopDevPostgres(paths: DevPostgresPaths): Promise<boolean> {
  const running = existsSync(/*turbopackIgnore: true*/ paths.cluster)
    ? readPostmasterPid(paths.cluster)
    : null;
  if (!running || !isPostgresProcess(running.pid)) return false;
  // SIGINT is Postgres's "fast" shutdown: connected clients are disconnected, then it exits cleanly.
  process.kill(running.pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isPostgresProcess(running.pid)) {
    if (Date.now() > deadline) throw new Error(`Postgres (pid ${running.pid}) did not stop within 30 s`);
    await sleep(100);
  }
  return true;
}
