import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_PATH } from './browser';

/** The portal's session cookie over plain http (AUTH_URL http://…). */
export const SESSION_COOKIE = 'authjs.session-token';

/**
 * Chromium that resolves every `*.{domain}` to 127.0.0.1, so subdomain mode can be browsed for real
 * (`login.example.test:PORT`, `alice.example.test:PORT`) with no DNS.
 */
export function launchBrowserForDomain(domain: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=MAP *.${domain} 127.0.0.1, MAP ${domain} 127.0.0.1`,
    ],
  });
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
  });
  const portFile = path.join(dir, 'port');
  const deadline = Date.now() + 10_000;
  while (!existsSync(portFile)) {
    if (child.exitCode !== null) throw new Error('the sample agent exited');
    if (Date.now() > deadline) throw new Error('the sample agent did not write its port');
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(readFileSync(portFile, 'utf8').trim());
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
    },
  };
}
