import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { postgresBinaries } from './binaries';
import { initCluster, postgresProcessEnv, serverArgs, throwawaySettings } from './cluster';
import { connectionUrl } from './connection';
import { freePort } from './free-port';
import { handOver, postgresOsUser } from './os-user';
import { waitUntilReady } from './wait-until-ready';

export interface TestPostgres {
  /** Connection string of the server's `postgres` database (the role may create databases). */
  url: string;
  /** Stops the server and removes its files. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Postgres is started by a small `sh` that also watches our stdin: when this process ends for any reason,
 * even SIGKILL, the pipe closes, `read` returns, and the shell stops Postgres and deletes the cluster. A
 * test run that is killed therefore leaves no server and no temp dir behind. The pipe is read through fd 3
 * because a background job's stdin is /dev/null in a non-interactive shell; the shell itself waits on
 * Postgres, so a server that dies on start ends the shell and we see it at once.
 */
const supervisor = [
  'exec 3<&0',
  '"$@" 3<&- &',
  'pid=$!',
  '( read -r _ <&3; kill -INT "$pid" 2>/dev/null ) &',
  'watcher=$!',
  'wait "$pid"',
  'kill "$watcher" 2>/dev/null',
  'rm -rf -- "$POCKET_SMYTH_PG_SCRATCH"',
].join('\n');

/** Starts a throwaway Postgres in a temp dir on a free port; it stops when `stop()` is called or we exit. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const user = postgresOsUser();
  const { postgres } = await postgresBinaries();
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const scratch = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-pg-'));
    chmodSync(scratch, 0o755);
    // Owned by the Postgres user so that the supervisor, running as that user, can delete it.
    handOver(scratch, user);
    const clusterDir = path.join(scratch, 'cluster');
    const password = randomBytes(12).toString('base64url');
    try {
      await initCluster({ clusterDir, password, user, noSync: true });
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true });
      throw error;
    }
    const port = await freePort();
    const child = spawn(
      '/bin/sh',
      ['-c', supervisor, 'pg-supervisor', postgres, ...serverArgs(clusterDir, port, throwawaySettings)],
      {
        stdio: ['pipe', 'ignore', 'pipe'],
        env: postgresProcessEnv({ POCKET_SMYTH_PG_SCRATCH: scratch }),
        ...(user ?? {}),
      },
    );
    const stderr: string[] = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr.push(chunk);
      if (stderr.length > 50) stderr.shift();
    });
    let exited = false;
    const exit = new Promise<void>((resolve) => {
      child.once('exit', () => {
        exited = true;
        resolve();
      });
    });
    // The supervisor must not keep the event loop (and so a test runner) alive on its own.
    child.unref();
    const unrefStreams = (c: ChildProcess) => {
      for (const stream of [c.stdin, c.stderr])
        (stream as unknown as { unref?: () => void } | null)?.unref?.();
    };
    unrefStreams(child);

    const stop = async () => {
      if (!exited) {
        // Hold the event loop open until the supervisor has stopped Postgres and cleaned up.
        child.ref();
        child.stdin?.end();
        await exit;
      }
      rmSync(scratch, { recursive: true, force: true });
    };
    const url = connectionUrl({ password, port, database: 'postgres' });
    try {
      await waitUntilReady(url, {
        timeoutMs: 60_000,
        failure: () => {
          const text = stderr.join('');
          return exited ? `test Postgres failed to start:\n${text}` : null;
        },
      });
      return { url, stop };
    } catch (error) {
      lastError = error;
      await stop();
      if (!String(error).includes('could not bind')) break; // only a lost port race is worth another try
    }
  }
  throw lastError;
}

let sharedForProcess: Promise<TestPostgres> | undefined;

/** One test server per process, started on first use and stopped when the process exits. */
export function testPostgresForProcess(): Promise<TestPostgres> {
  sharedForProcess ??= startTestPostgres();
  return sharedForProcess;
}
