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
//
// Two things for every HTTP request before Next sees it (the functions under "Request edge" below):
// - the client's address: `x-pocket-smyth-peer` is set to the socket's address after any copy the client
//   sent is deleted, and a process-wide flag tells the app that this header can be trusted (route
//   handlers cannot see the socket; under plain `next start` the flag is unset and the header ignored);
// - a path whose percent-encoding does not decode to UTF-8 (`/api/%FF`) is answered 400 here, in the
//   REST error shape under /api and as a small page elsewhere, instead of Next's plain-text 500.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseEnv } from 'node:util';
import next from 'next';
import { createAgentUpstream, parseAgentMount } from './src/server/agent-upstream-rule.mjs';

// The repository's `.env` (the file docker compose reads) fills in what the environment leaves unset,
// before anything reads it: the worker does the same (`fillFromDotEnvFile`, @pocket-smyth/core/env).
const dotEnvFile = path.join(import.meta.dirname, '..', '..', '.env');
if (existsSync(dotEnvFile)) {
  for (const [name, value] of Object.entries(parseEnv(readFileSync(dotEnvFile, 'utf8')))) {
    process.env[name] ??= value;
  }
}

const port = Number.parseInt(process.env.PORT || '3000', 10);
// Like `next start`: production unless asked otherwise (`node server.mjs --dev` for development).
const dev = process.argv.includes('--dev');
if (!dev) process.env.NODE_ENV ??= 'production';

// ---- Request edge -------------------------------------------------------------------------------

/** Set from the socket on every request; the app trusts it only because of the flag below. */
const PEER_HEADER = 'x-pocket-smyth-peer';
// Read by src/server/request-services.ts: every request reaches Next through `stampPeer`. Set before
// Next loads any of the app's modules.
globalThis[Symbol.for('pocket-smyth.peer-header')] = true;

/** Replaces whatever the client sent as the peer header by the socket's own address. */
function stampPeer(req) {
  delete req.headers[PEER_HEADER];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (String(req.rawHeaders[i]).toLowerCase() === PEER_HEADER) req.rawHeaders.splice(i, 2);
  }
  const peer = req.socket?.remoteAddress;
  if (peer) {
    req.headers[PEER_HEADER] = peer;
    req.rawHeaders.push(PEER_HEADER, peer);
  }
}

const requestIdOf = (req) => {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{8,128}$/.test(given) ? given : randomUUID();
};

/**
 * Answers 400 for a path whose percent-encoding does not decode to UTF-8 (`%FF`, `%ED%A0%80`, a lone
 * `%`), which Next would answer with a plain-text 500 and no log line. True when it answered.
 */
function refuseMalformedPath(req, res) {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  try {
    decodeURIComponent(path);
    return false;
  } catch {}
  const requestId = requestIdOf(req);
  console.warn(
    `[server] 400 ${req.method} ${JSON.stringify(path.slice(0, 200))}: malformed percent-encoding (request ${requestId})`,
  );
  const api = path === '/api' || path.startsWith('/api/');
  const body = api
    ? JSON.stringify({
        error: {
          code: 'BAD_REQUEST',
          message: 'The request path is not valid percent-encoded UTF-8.',
          requestId,
        },
      })
    : '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Bad request</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>400 Bad request</h1><p>This address is not valid: its percent-encoding does not decode to text.</p></body></html>';
  res.writeHead(400, {
    'content-type': api ? 'application/json' : 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-request-id': requestId,
    'content-length': Buffer.byteLength(body),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

// ---- Next ---------------------------------------------------------------------------------------

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
  dataDir: process.env.DATA_DIR,
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

// ---- REST with a token, straight to its handler ------------------------------------------------------

// The app registers its REST handler here at start-up (src/instrumentation-node.ts), the same function
// the `/api/[...rest]` route serves, with the same services (the database, the rate-limit counter).
const REST_HANDLER = Symbol.for('pocket-smyth.rest-handler');
// /api/* routes that are not the REST adapter: each is its own route handler, served by Next.
const NOT_REST =
  /^\/api\/(?:trpc|auth|docs|openapi\.json|health|metrics|forward-auth|host-session|dev-login)(?:\/|$)/;

/**
 * A REST call with an Authorization header (API tokens: the scripts and integrations that call most)
 * goes to the handler without Next's request pipeline, which costs several times the handler's own CPU
 * per call (`pnpm bench rest`). Such a call needs nothing Next provides: no session (a bearer call
 * never reads the cookie), no page, no proxy.ts routing (REST is served alike on every host). Calls
 * on the session cookie, and everything else, take the usual way.
 */
function restFastPath(req) {
  const handler = globalThis[REST_HANDLER];
  if (typeof handler !== 'function' || req.headers.authorization === undefined) return null;
  // HEAD stays with Next, which answers it from GET as for every other route.
  if (req.method === 'HEAD') return null;
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  if (!path.startsWith('/api/') || NOT_REST.test(path)) return null;
  return handler;
}

async function serveRest(handler, req, res) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const request = new Request(`http://${req.headers.host ?? `localhost:${port}`}${req.url}`, {
    method,
    headers,
    body: hasBody ? Readable.toWeb(req) : undefined,
    duplex: hasBody ? 'half' : undefined,
  });
  const response = await handler(request);
  res.writeHead(response.status, [...response.headers].flat());
  if (response.body && method !== 'HEAD') {
    // A streamed CSV export can be large: wait for a slow client to take each chunk, so it is never
    // buffered whole here. A client that went away ends the stream (and the handler's reading).
    for await (const chunk of response.body) {
      if (res.destroyed) break;
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
  }
  res.end();
}

/** Resolves when the response can take more, or when its client is gone (a 'drain' that never comes). */
function drainedOrClosed(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const server = createServer((req, res) => {
  if (refuseMalformedPath(req, res)) return;
  stampPeer(req);
  const rest = restFastPath(req);
  if (rest) {
    serveRest(rest, req, res).catch((error) => {
      console.error(`[server] REST ${req.method} ${req.url} failed:`, error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        res.headersSent
          ? undefined
          : JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal error' } }),
      );
    });
    return;
  }
  handle(req, res);
});
server.on('upgrade', (req, socket, head) => {
  if (isAgentUrl(req.url ?? '')) {
    proxyUpgrade(req, socket, head).catch(() => socket.destroy());
    return;
  }
  if (dev) {
    // HMR (`/_next/hmr`): the router's handler, the one Next itself attaches to a custom server's
    // `upgrade` (`app.getUpgradeHandler()` is the render server's, which never answers it).
    app.upgradeHandler(req, socket, head);
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
