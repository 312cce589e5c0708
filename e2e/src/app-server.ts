import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { startTestPostgres } from '@pocket-smyth/postgres/testing';
import { ownProcessGroup, stopProcessGroup } from './process-group';

export const webDir = path.resolve(import.meta.dirname, '..', '..', 'apps', 'web');

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

export interface WebServer {
  baseUrl: string;
  logs(): string;
  stop(): Promise<void>;
}

export interface WebServerOptions {
  /** What to run with node, from apps/web: `next start` by default. */
  script?: string[];
  port: number;
  dataDir: string;
  databaseUrl: string;
  env?: Record<string, string>;
}

/**
 * Runs a production web server of apps/web on `port` with the given data, waits until /signin answers,
 * and stops it (TERM, then KILL after 5 s). Shared by `next start` and the WebSocket-aware server.mjs.
 */
export async function spawnWebServer(opts: WebServerOptions): Promise<WebServer> {
  const baseUrl = `http://localhost:${opts.port}`;
  const script = opts.script ?? [path.join(webDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start'];
  const label = path.basename(script[0] ?? 'server');
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [...script, '--port', String(opts.port)], {
    cwd: webDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(opts.port),
      DATA_DIR: opts.dataDir,
      DATABASE_URL: opts.databaseUrl,
      AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
      AUTH_URL: baseUrl,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...ownProcessGroup,
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const stop = () => stopProcessGroup(child, 5_000);

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited early:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/signin`)).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${label} did not answer in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, logs: () => output, stop };
}

/** Starts the production build (`next start`) on a fresh data directory. Build first: `pnpm build`. */
export async function startApp(extraEnv: Record<string, string> = {}, port?: number): Promise<AppServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-e2e-'));
  const postgres = await startTestPostgres();
  const server = await spawnWebServer({
    port: port ?? (await freePort()),
    dataDir,
    databaseUrl: postgres.url,
    env: extraEnv,
  });
  const db = createClient({ url: `file:${path.join(dataDir, 'app.db')}` });
  return {
    baseUrl: server.baseUrl,
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
    logs: server.logs,
    async stop() {
      db.close();
      await server.stop();
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
