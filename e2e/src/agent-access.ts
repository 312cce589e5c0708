import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { spawnWebServer, type WebServer, webDir } from './app-server';
import { launchBrowser } from './browser';
import { ownProcessGroup, stopProcessGroup } from './process-group';

/** The portal's session cookie over plain http (AUTH_URL http://…). */
export const SESSION_COOKIE = 'authjs.session-token';

/**
 * Chromium that resolves every `*.{domain}` to 127.0.0.1, so subdomain mode can be browsed for real
 * (`login.example.test:PORT`, `alice.example.test:PORT`) with no DNS.
 */
export function launchBrowserForDomain(domain: string): Promise<Browser> {
  return launchBrowser([`--host-resolver-rules=MAP *.${domain} 127.0.0.1, MAP ${domain} 127.0.0.1`]);
}

/** The session token a signed-in browser context holds. */
export async function sessionTokenOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('the context has no session cookie');
  return cookie.value;
}

/**
 * Calls the app from Node with a session cookie, the way Traefik (or any client) does: against the
 * app's own address, whatever Host the browser used.
 */
export function sessionFetch(baseUrl: string, token: string | null) {
  return (
    pathname: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${baseUrl}${pathname}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      redirect: 'manual',
      headers: {
        ...(token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}),
        ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
}

/** Asks the forward-auth endpoint as Traefik would for `{username}.{domain}{uri}`. */
export async function forwardAuth(
  baseUrl: string,
  domain: string,
  username: string,
  uri: string,
  token: string | null,
): Promise<number> {
  const res = await sessionFetch(baseUrl, token)('/api/forward-auth', {
    headers: {
      'x-forwarded-host': `${username}.${domain}`,
      'x-forwarded-uri': uri,
      'x-forwarded-method': 'GET',
      'x-forwarded-proto': 'https',
    },
  });
  await res.arrayBuffer();
  return res.status;
}

const sampleAgent = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'infra',
  'host',
  'sample-agent',
  'server.mjs',
);

export interface SampleAgent {
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the bundled sample agent the way the process runtime does: in `<stateDir>/<username>`,
 * where it writes the port file the portal's `/agent` proxy reads.
 */
export async function startSampleAgent(stateDir: string, username: string): Promise<SampleAgent> {
  const dir = path.join(stateDir, username);
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [sampleAgent, '--agent', username, '--dir', dir], {
    stdio: 'ignore',
    ...ownProcessGroup,
  });
  const portFile = path.join(dir, 'port');
  const deadline = Date.now() + 10_000;
  while (!existsSync(portFile)) {
    if (child.exitCode !== null) throw new Error('the sample agent exited');
    if (Date.now() > deadline) throw new Error('the sample agent did not write its port');
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(readFileSync(portFile, 'utf8').trim());
  return { port, stop: () => stopProcessGroup(child, 3_000) };
}

/** Writes the process runtime's port file for `username`, as if its agent listened on `port`. */
export function writeAgentPort(stateDir: string, username: string, port: number): void {
  mkdirSync(path.join(stateDir, username), { recursive: true });
  writeFileSync(path.join(stateDir, username, 'port'), `${port}\n`);
}

/**
 * Starts apps/web/server.mjs (the `start` script: `next start` plus WebSocket upgrades for /agent)
 * on the data of a running `startApp()` server, so people signed in there are signed in here too
 * (cookies are per host, not per port).
 */
export function startCustomServer(
  app: { dataDir: string; databaseUrl: string },
  port: number,
  extraEnv: Record<string, string> = {},
): Promise<WebServer> {
  return spawnWebServer({
    script: [path.join(webDir, 'server.mjs')],
    port,
    dataDir: app.dataDir,
    databaseUrl: app.databaseUrl,
    env: extraEnv,
  });
}

/**
 * A stand-in agent that speaks WebSocket (the sample agent does not): it answers every upgrade and
 * echoes text frames back prefixed with the path it was reached on and the cookies it received.
 * Small unfragmented text frames only: enough to prove the proxy pipes both ways.
 */
export async function startWebSocketEchoAgent(): Promise<{ port: number; stop(): Promise<void> }> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('echo agent');
  });
  server.on('upgrade', (req, socket: Socket) => {
    const key = req.headers['sec-websocket-key'] ?? '';
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.on('data', (frame: Buffer) => {
      const opcode = (frame[0] ?? 0) & 0x0f;
      if (opcode === 0x8) return socket.end();
      const length = (frame[1] ?? 0) & 0x7f;
      if (opcode !== 0x1 || length > 125) return;
      const mask = frame.subarray(2, 6);
      const text = Buffer.from(
        frame.subarray(6, 6 + length).map((b, i) => b ^ (mask[i % 4] ?? 0)),
      ).toString();
      const reply = Buffer.from(`${req.url} ${text} cookie=${req.headers.cookie ?? ''}`);
      socket.write(Buffer.concat([Buffer.from([0x81, Math.min(reply.length, 125)]), reply.subarray(0, 125)]));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
