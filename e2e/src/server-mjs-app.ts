import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { startTestPostgres } from '@pocket-smyth/postgres/testing';
import { type AppServer, freePort, spawnWebServer, webDir } from './app-server';

export interface ServerMjsApp extends AppServer {
  /** The app's libSQL file, to read what a request did (or did not) change. */
  db: ReturnType<typeof createClient>;
}

/**
 * Like `startApp()`, but the way production runs it: `pnpm start`, i.e. apps/web/server.mjs (the
 * client's address from the socket, malformed paths answered 400 before Next). Build first.
 */
export async function startServerMjsApp(
  extraEnv: Record<string, string> = {},
  port?: number,
): Promise<ServerMjsApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-e2e-'));
  const postgres = await startTestPostgres();
  const server = await spawnWebServer({
    script: [path.join(webDir, 'server.mjs')],
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
    db,
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
