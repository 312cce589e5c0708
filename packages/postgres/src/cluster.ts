import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { postgresBinaries } from './binaries';
import { handOver, type PostgresOsUser } from './os-user';

const execFileAsync = promisify(execFile);

/**
 * The whole environment of Postgres's processes (initdb, the server, the test server's supervisor): a
 * fixed C locale, for predictable messages and no dependence on installed locales, and nothing inherited,
 * so neither the caller's PG* variables nor its secrets reach the server. The binaries are run by
 * absolute path; PATH is only for the supervisor's `rm`.
 */
export function postgresProcessEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  // A cast, because Next.js's global types make NODE_ENV a required key of ProcessEnv in any program
  // that includes them; Postgres has no use for it.
  const env: Record<string, string> = { PATH: '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C', ...extra };
  return env as NodeJS.ProcessEnv;
}

export function isInitialised(clusterDir: string): boolean {
  return existsSync(path.join(clusterDir, 'PG_VERSION'));
}

export interface InitOptions {
  clusterDir: string;
  password: string;
  user: PostgresOsUser | null;
  /** Skip fsync during initdb; for throwaway test clusters. */
  noSync?: boolean;
}

/** Runs `initdb` into `clusterDir` with password (SCRAM) authentication for the `postgres` role. */
export async function initCluster(options: InitOptions): Promise<void> {
  const { initdb } = await postgresBinaries();
  mkdirSync(options.clusterDir, { recursive: true, mode: 0o700 });
  handOver(options.clusterDir, options.user);
  // The password file sits beside the cluster (not in a shared temp dir) and only its owner can read it.
  const passwordFile = path.join(path.dirname(options.clusterDir), `.initdb-password-${process.pid}`);
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  handOver(passwordFile, options.user);
  try {
    await execFileAsync(
      initdb,
      [
        `--pgdata=${options.clusterDir}`,
        '--username=postgres',
        '--auth=scram-sha-256',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--no-locale',
        '--no-instructions',
        ...(options.noSync ? ['--no-sync'] : []),
      ],
      { env: postgresProcessEnv(), ...(options.user ?? {}) },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`initdb failed for ${options.clusterDir}: ${stderr.trim() || String(error)}`, {
      cause: error,
    });
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/**
 * Arguments for the `postgres` server. TCP on loopback only and no Unix socket, so nothing collides
 * with a system Postgres (whose socket directory we may not even be allowed to write).
 */
export function serverArgs(clusterDir: string, port: number, extra: readonly string[] = []): string[] {
  return [
    '-D',
    clusterDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=200',
    ...extra.flatMap((setting) => ['-c', setting]),
  ];
}

/** Settings that trade durability for speed; a test cluster is thrown away anyway. */
export const throwawaySettings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

/** `postmaster.pid`: first line the pid, fourth line the port. Null when absent or unreadable. */
export function readPostmasterPid(clusterDir: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number.parseInt(lines[0] ?? '', 10);
    const port = Number.parseInt(lines[3] ?? '', 10);
    return Number.isFinite(pid) && Number.isFinite(port) ? { pid, port } : null;
  } catch {
    return null;
  }
}

/** Is `pid` a live postgres process? (A stale pid file may name a pid since reused by something else.) */
export function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    // No /proc (macOS): trust the signal probe.
    return true;
  }
}
