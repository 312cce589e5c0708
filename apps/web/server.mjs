// `next start` plus one thing Next route handlers cannot do: WebSocket upgrades for the agent proxy.
//
//   node server.mjs [--dev]        (PORT, default 3000; every interface, like `next start`)
//
// Every HTTP request goes to Next unchanged. An `upgrade` on `/agent/*` or `/u/{username}/agent/*`
// (or on `{username}.DOMAIN/agent/*` if it reaches the app) is checked by asking the app's own
// forward-auth endpoint, with the same rule as plain requests (owner; `/agent/public/*` while public
// is on); on 200 it is piped to the agent's upstream, by the same rule as the route handlers
// (src/server/agent-upstream-rule.mjs: AGENT_UPSTREAM_TEMPLATE, the process runtime's port file,
// AGENT_UPSTREAM_STRIP_PREFIX, the `/u/{username}` mount). Other upgrades are refused. Plain
// JavaScript: this file is not compiled by Next.
import { EventEmitter } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import next from 'next';
import { createAgentUpstream, parseAgentMount } from './src/server/agent-upstream-rule.mjs';

const port = Number.parseInt(process.env.PORT || '3000', 10);
// Like `next start`: production unless asked otherwise (`node server.mjs --dev` for development).
const dev = process.argv.includes('--dev');
if (!dev) process.env.NODE_ENV ??= 'production';

// Next attaches its own `upgrade` listener to the server it is given (or, failing that, to the first
// request's server), and that listener closes sockets it does not know. Give it an emitter that never
// fires; this file routes upgrades itself and hands the rest to Next's handler (dev: HMR).
const app = next({
  dev,
  dir: import.meta.dirname,
  port,
  hostname: 'localhost',
  httpServer: new EventEmitter(),
});
const handle = app.getRequestHandler();
await app.prepare();

// The agent-upstream rule's configuration, the same settings the app reads in src/env.ts. The port
// file is read on every upgrade (no cache): upgrades are few, and a restarted agent is found at once.
const agentUpstream = createAgentUpstream({
  template: process.env.AGENT_UPSTREAM_TEMPLATE,
  stripPrefix: ['1', 'true'].includes(process.env.AGENT_UPSTREAM_STRIP_PREFIX ?? ''),
  stateDir: process.env.AGENT_STATE_DIR,
});

/** The path from `/agent` on, as the agent gets it: `/u/{username}` (local scheme) removed. */
function agentPath(url) {
  return agentUpstream.path(parseAgentMount(url)?.agentUri ?? url);
}

const isAgentUrl = (url) => parseAgentMount(url) !== null;

/** Asks the app's forward-auth endpoint, as Traefik does. */
function askForwardAuth(req) {
  return new Promise((resolve) => {
    const check = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/api/forward-auth',
        method: 'GET',
        headers: {
          cookie: req.headers.cookie ?? '',
          'x-forwarded-host': req.headers.host ?? '',
          'x-forwarded-uri': req.url ?? '/',
          'x-forwarded-method': req.method ?? 'GET',
        },
      },
      (res) => {
        res.resume();
        resolve({
          status: res.statusCode ?? 500,
          owner: res.headers['x-agent-owner'],
          user: res.headers['x-auth-user'],
        });
      },
    );
    check.on('error', () => resolve({ status: 502 }));
    check.end();
  });
}

const REASONS = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function refuse(socket, status) {
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** Drops Auth.js's cookies: they are the portal's, never the agent's. */
function withoutPortalCookies(header) {
  return (header ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p && !/^(__Secure-|__Host-)?authjs\./.test(p.split('=', 1)[0] ?? ''))
    .join('; ');
}

async function proxyUpgrade(req, socket, head) {
  socket.on('error', () => socket.destroy());
  const access = await askForwardAuth(req);
  if (access.status !== 200 || typeof access.owner !== 'string')
    return refuse(socket, access.status === 200 ? 403 : access.status);
  const origin = await agentUpstream.origin(access.owner);
  if (!origin) return refuse(socket, 503);

  const target = new URL(`${origin}${agentPath(req.url ?? '/agent')}`);
  const headers = { ...req.headers, host: target.host };
  const cookie = withoutPortalCookies(req.headers.cookie);
  if (cookie) headers.cookie = cookie;
  else delete headers.cookie;
  if (typeof access.user === 'string') headers['x-auth-user'] = access.user;
  else delete headers['x-auth-user'];

  const upstream = httpRequest({
    host: target.hostname,
    port: target.port || 80,
    path: `${target.pathname}${target.search}`,
    method: req.method,
    headers,
  });
  upstream.on('upgrade', (res, upstreamSocket, upstreamHead) => {
    const lines = [`HTTP/1.1 101 ${res.statusMessage || 'Switching Protocols'}`];
    for (let i = 0; i < res.rawHeaders.length; i += 2)
      lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length) socket.write(upstreamHead);
    if (head.length) upstreamSocket.write(head);
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('close', () => upstreamSocket.destroy());
    upstreamSocket.on('close', () => socket.destroy());
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
  });
  // The agent answered without upgrading: pass its answer on and close.
  upstream.on('response', (res) => {
    socket.write(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\nConnection: close\r\n\r\n`);
    res.pipe(socket);
  });
  upstream.on('error', () => refuse(socket, 502));
  upstream.end();
}

const server = createServer((req, res) => handle(req, res));
server.on('upgrade', (req, socket, head) => {
  if (isAgentUrl(req.url ?? '')) {
    proxyUpgrade(req, socket, head).catch(() => socket.destroy());
    return;
  }
  if (dev) {
    app.getUpgradeHandler()(req, socket, head);
    return;
  }
  refuse(socket, 404);
});
server.listen(port, () => {
  console.log(`> Ready on http://localhost:${port} (${dev ? 'development' : 'production'})`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
