/**
 * A production start with a bad configuration stops at once and says why, naming every bad variable,
 * instead of a server that answers each request with a bare "Internal Server Error". Both ways the
 * production build is started: `pnpm start` (node server.mjs) and `next start`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, webDir } from '../src/app-server';

const nextBin = path.join(webDir, 'node_modules', 'next', 'dist', 'bin', 'next');

async function startWith(script: string[], env: Record<string, string>) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [...script, '--port', String(port)], {
    cwd: webDir,
    // Only what is given: no AUTH_SECRET from the surrounding environment.
    env: {
      NODE_ENV: 'production',
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(killer);
  return { code, seconds: (Date.now() - started) / 1_000, stderr };
}

describe('a production start with a bad configuration', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-bad-config-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const badConfig = {
    NEXT_TELEMETRY_DISABLED: '1',
    DATA_DIR: dataDir,
    // AUTH_SECRET missing, and one more wrong variable from another package's fragment.
    RATE_LIMIT_PER_MINUTE: 'lots',
  };

  for (const [name, script] of [
    ['pnpm start (node server.mjs)', ['server.mjs']],
    ['next start', [nextBin, 'start']],
  ] as const) {
    it(`${name} exits non-zero within seconds, naming AUTH_SECRET and RATE_LIMIT_PER_MINUTE`, async () => {
      const { code, seconds, stderr } = await startWith([...script], badConfig);
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(seconds).toBeLessThan(10);
      expect(stderr).toContain('[web] cannot start: Invalid configuration: 2 problem(s)');
      expect(stderr).toMatch(/^ {2}AUTH_SECRET: AUTH_SECRET is required in production/m);
      expect(stderr).toMatch(/^ {2}RATE_LIMIT_PER_MINUTE: .*expected number/m);
      // Stopped before the database was opened or migrated.
      expect(readdirSync(dataDir)).toEqual([]);
    });
  }
});
