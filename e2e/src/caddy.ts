import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingHttpHeaders,
} from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ownProcessGroup, stopProcessGroup } from './process-group';

/** The Caddyfile the repository ships for subdomain mode, run as it is (settings from the environment). */
export const SHIPPED_CADDYFILE = path.resolve(import.meta.dirname, '..', '..', 'infra', 'caddy', 'Caddyfile');

export const CADDY_PATH = process.env.CADDY_PATH ?? 'caddy';

export interface Caddy {
  port: number;
  logs(): string;
  stop(): Promise<void>;
}

export interface CaddyOptions {
  /** The one loopback port Caddy serves every site on, over plain http. */
  port: number;
  domain: string;
  /** `127.0.0.1:<port>` of the web app. */
  webUpstream: string;
  /** `127.0.0.1:<port>` of the agent; every person's agent is this one in the test. */
  agentUpstream: string;
}

/**
 * Runs Debian's `caddy` on the shipped infra/caddy/Caddyfile, serving `http://DOMAIN:port` and
 * `http://*.DOMAIN:port` on loopback, and waits until it answers.
 */
export async function startCaddy(opts: CaddyOptions): Promise<Caddy> {
  const home = mkdtempSync(path.join(tmpdir(), 'ps-caddy-'));
  let output = '';
  const child: ChildProcess = spawn(
    CADDY_PATH,
    ['run', '--config', SHIPPED_CADDYFILE, '--adapter', 'caddyfile'],
    {
      env: {
        NODE_ENV: 'test',
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        XDG_DATA_HOME: path.join(home, 'data'),
        DOMAIN: opts.domain,
        PS_SITES: `http://${opts.domain}:${opts.port}, http://*.${opts.domain}:${opts.port}`,
        PS_WEB_UPSTREAM: opts.webUpstream,
        PS_AGENT_UPSTREAM: opts.agentUpstream,
        PS_CADDY_ADMIN: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...ownProcessGroup,
    },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const stop = async () => {
    await stopProcessGroup(child, 3_000);
    rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`caddy exited early:\n${output}`);
    try {
      await requestVia(opts.port, `login.${opts.domain}`, '/api/openapi.json');
      break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`caddy did not answer in 15 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port: opts.port, logs: () => output, stop };
}

/** True when a `caddy` binary runs here (CI installs Debian's; see .ci/run). */
export function caddyAvailable(): boolean {
  return spawnSync(CADDY_PATH, ['version'], { stdio: 'ignore' }).status === 0;
}

export interface ViaResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request to `127.0.0.1:port` with the Host header `host` (node's fetch cannot set Host): how a
 * client reaches `{host}` through the proxy without DNS.
 */
export function requestVia(
  port: number,
  host: string,
  pathname: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<ViaResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: init.method ?? 'GET',
        headers: { host: `${host}:${port}`, ...init.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout: ${host}${pathname}`)));
    req.end();
  });
}

/** What the echo agent saw of one request. */
export interface EchoedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface EchoAgent {
  port: number;
  /** Every request and upgrade the agent received, oldest first. */
  received: EchoedRequest[];
  stop(): Promise<void>;
}

/**
 * A stand-in for a person's container that shows what the proxy hands it: every HTTP request is
 * answered with `{ method, url, headers }` as JSON, and every WebSocket text frame with
 * `{ url, text, headers }` (the upgrade request's headers). Every request is also kept in `received`.
 */
export async function startHeaderEchoAgent(): Promise<EchoAgent> {
  const received: EchoedRequest[] = [];
  const server = createHttpServer((req, res) => {
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    received.push(seen);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(seen));
    });
  });
  server.on('upgrade', (req, socket: Socket) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const key = req.headers['sec-websocket-key'] ?? '';
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.on('data', (frame: Buffer) => {
      const opcode = (frame[0] ?? 0) & 0x0f;
      if (opcode === 0x8) return socket.end();
      const length = (frame[1] ?? 0) & 0x7f;
      // Small masked text frames from the browser: enough to prove the proxy pipes both ways.
      if (opcode !== 0x1 || length > 125) return;
      const mask = frame.subarray(2, 6);
      const text = Buffer.from(
        frame.subarray(6, 6 + length).map((b, i) => b ^ (mask[i % 4] ?? 0)),
      ).toString();
      socket.write(textFrame(JSON.stringify({ url: req.url, text, headers: req.headers })));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An unmasked server-to-client text frame, with the 16-bit length form past 125 bytes. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 0xffff) throw new Error('echo frame too large');
  const header =
    payload.length <= 125
      ? Buffer.from([0x81, payload.length])
      : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

/** The cookie names in a Cookie header, in order. */
export function cookieNames(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join('; ') : (header ?? '');
  return value
    .split(';')
    .map((part) => part.split('=', 1)[0]?.trim() ?? '')
    .filter(Boolean);
}

/** Auth.js's and the portal's cookies: the names no agent may ever receive. */
export const PORTAL_COOKIE = /^(__Secure-|__Host-)?authjs\./;
