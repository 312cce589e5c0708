#!/usr/bin/env node
// The sample agent the process runtime runs when a host has no Docker: a tiny HTTP app standing in
// for Agent Zero, so the whole provisioning flow works on a laptop.
//
//   node server.mjs --agent <username> --dir <agent-dir> [--port <port>] [--host <address>]
//
// It listens on 127.0.0.1 (port 0 = a free one, picked by the kernel) and then writes <dir>/port,
// atomically, which is how `provision` learns the port and knows the agent is up.
//   GET /health, /agent/health   {"status":"ok","agent":"<username>"}
//   GET /agent/public/*          a public page (the portal's forward-auth decides who gets here)
//   GET anything else            the agent's page
// In a container (the real-Docker tests' image, packages/hosts/src/testing/real-docker.ts) --agent may
// be left out: the name comes from the host name the docker runtime gives it, ps-agent-<username>.
// With SAMPLE_AGENT_ALLOC=1 (that test image only), GET /agent/__alloc?mb=<n> allocates and keeps n MB,
// so a test can drive the agent past its memory limit.
import { renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    agent: { type: 'string' },
    dir: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const username = values.agent ?? /^ps-agent-([a-z0-9-]+)$/.exec(hostname())?.[1];
const dir = values.dir;
if (!username || !dir) {
  console.error('usage: server.mjs --agent <username> --dir <agent-dir> [--port <port>]');
  process.exit(2);
}

const startedAt = new Date().toISOString();
/** What /agent/__alloc holds on to. */
const held = [];

const escapeHtml = (text) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://agent.invalid');
  const pathname = url.pathname;
  // An access line per request (health checks aside): what the portal's log view follows. The runtime
  // adds the time (docker logs --timestamps, the process runtime's log writer).
  if (pathname !== '/health' && pathname !== '/agent/health') console.log(`${req.method} ${pathname}`);
  if (pathname === '/health' || pathname === '/agent/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', agent: username, startedAt }));
    return;
  }
  if (pathname === '/agent/__alloc' && process.env.SAMPLE_AGENT_ALLOC === '1') {
    // Touched 1 MB at a time, so the memory is really used (and the kernel's OOM killer sees it).
    for (let mb = Number(url.searchParams.get('mb')) || 0; mb > 0; mb--) held.push(Buffer.alloc(1 << 20, 1));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ heldMb: held.length }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  if (pathname.startsWith('/agent/public/')) {
    res.end(page(`${username}'s public page`, `<p>Path: <code>${escapeHtml(pathname)}</code></p>`));
    return;
  }
  res.end(page(`${username}'s agent`, `<p>The sample agent, up since ${escapeHtml(startedAt)}.</p>`));
});

server.listen(Number(values.port), values.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : Number(values.port);
  const target = path.join(dir, 'port');
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${port}\n`);
  renameSync(temporary, target);
  console.log(`agent ${username} listening on ${values.host}:${port} (pid ${process.pid})`);
});

function shutdown(signal) {
  console.log(`agent ${username} stopping on ${signal}`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
