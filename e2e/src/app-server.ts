import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { startTestPostgres } from '@pocket-smyth/postgres';

const webDir = path.resolve(import.meta.dirname, '..', '..', 'apps', 'web');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface AppServer {
  /** Always `localhost`: Next rewrites 127.0.0.1 to localhost in request URLs, which breaks auth callbacks. */
  baseUrl: string;
  dataDir: string;
  /** The job queue's Postgres, started for this server alone. */
  databaseUrl: string;
  /** Reads the newest magic link sent to `email` from the outbox table. */
  magicLinkFor(email: string): Promise<string>;
  logs(): string;
  stop(): Promise<void>;
}

/** Starts the production build (`next start`) on a fresh data directory. Build first: `pnpm build`. */
export async function startApp(extraEnv: Record<string, string> = {}, port?: number): Promise<AppServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-e2e-'));
  port ??= await freePort();
  const postgres = await startTestPostgres();
  const baseUrl = `http://localhost:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(webDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '--port', String(port)],
    {
      cwd: webDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        DATA_DIR: dataDir,
        DATABASE_URL: postgres.url,
        AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
        AUTH_URL: baseUrl,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited early:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/signin`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`next start did not answer in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }

  const db = createClient({ url: `file:${path.join(dataDir, 'app.db')}` });
  return {
    baseUrl,
    dataDir,
    databaseUrl: postgres.url,
    async magicLinkFor(email) {
      for (let i = 0; i < 40; i++) {
        const rs = await db.execute({
          sql: 'select text from outbox where kind = \'magic_link\' and "to" = ? order by created_at desc limit 1',
          args: [email],
        });
        const text = rs.rows[0]?.text;
        const url = typeof text === 'string' ? text.match(/https?:\/\/\S+/)?.[0] : undefined;
        if (url) return url;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`no magic link for ${email} in the outbox`);
    },
    logs: () => output,
    async stop() {
      db.close();
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
