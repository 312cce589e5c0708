// Where a person's agent listens, for the app's own `/agent` proxy in local mode (docs/ARCHITECTURE.md,
// "Hostnames"): the one rule that both the Next route handlers (src/server/agent-upstream.ts, used by
// agent-proxy.ts) and the custom server's WebSocket upgrades (server.mjs) follow. Plain JavaScript with
// JSDoc types, because server.mjs is run by node as it is; the types TypeScript sees are in
// agent-upstream-rule.d.mts.
//
// It reads no environment: each caller passes its configuration (server.mjs from its own, the
// Next side from ~/env).
//
// - `template` (AGENT_UPSTREAM_TEMPLATE, default `http://127.0.0.1:{port}`): `{username}` and `{port}`
//   are filled in. With docker on one machine, `http://ps-agent-{username}:80` (the container name the
//   host scripts use; the app must be on their network) needs no port.
// - `{port}` is the process runtime's own record, `<stateDir>/<username>/port` (AGENT_STATE_DIR, default
//   `<DATA_DIR>/agents`, relative paths taken from the workspace root), which the sample agent writes
//   once it listens (infra/host/README.md). So this works when the app runs on the machine that is the
//   `local` host, with the same AGENT_STATE_DIR and DATA_DIR as the worker: the local default. Remote hosts are reached through Traefik and forward-auth
//   instead, never through this proxy.
// - `stripPrefix` (AGENT_UPSTREAM_STRIP_PREFIX=1) strips `/agent` like Traefik's stripprefix does for
//   containers; off by default because the sample agent serves `/agent/*` itself.
// - In the app's URL space an agent is at `/agent/*` (the viewer's own) or `/u/{username}/agent/*`
//   (a named person's); the agent itself always gets the path from `/agent` on.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const DEFAULT_AGENT_UPSTREAM_TEMPLATE = 'http://127.0.0.1:{port}';

/**
 * The shape of a username (packages/core's `isValidUsername`, without the reserved names): a safe path
 * component for the port file and a safe label in the template. Anything else has no upstream.
 */
const USERNAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){2,31}$/;

/**
 * @param {string} username
 * @returns {boolean}
 */
export function isAgentUsername(username) {
  return USERNAME.test(username);
}

/**
 * The workspace root (pnpm-workspace.yaml) above `from`, else `from`: packages/db's `workspaceRoot`,
 * which server.mjs cannot import (it is TypeScript).
 *
 * @param {string} from
 * @returns {string}
 */
function workspaceRootOf(from) {
  let dir = path.resolve(/*turbopackIgnore: true*/ from);
  for (;;) {
    if (existsSync(path.join(/*turbopackIgnore: true*/ dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(/*turbopackIgnore: true*/ dir);
    if (parent === dir) return path.resolve(/*turbopackIgnore: true*/ from);
    dir = parent;
  }
}

/**
 * The process runtime's state directory: `stateDir` (AGENT_STATE_DIR), else `agents/` in `dataDir`
 * (DATA_DIR, default `.data/`), relative paths taken from the workspace root. The worker's rule
 * (packages/db's `agentStateDir` and `dataDir`), so the app reads the port files where the worker's
 * local host writes them, and never the home directory.
 *
 * @param {{ stateDir?: string, dataDir?: string, cwd?: string }} [where]
 * @returns {string}
 */
export function resolveAgentStateDir(where = {}) {
  const root = workspaceRootOf(where.cwd ?? process.cwd());
  if (where.stateDir) return path.resolve(/*turbopackIgnore: true*/ root, where.stateDir);
  const data = where.dataDir
    ? path.resolve(/*turbopackIgnore: true*/ root, where.dataDir)
    : path.join(/*turbopackIgnore: true*/ root, '.data');
  return path.join(/*turbopackIgnore: true*/ data, 'agents');
}

/**
 * The process runtime's state directory when AGENT_STATE_DIR is not set: `<dataDir>/agents`
 * (DATA_DIR; unset: `.data/` of the workspace).
 *
 * @param {string} [dataDir]
 * @returns {string}
 */
export function defaultAgentStateDir(dataDir) {
  return resolveAgentStateDir({ dataDir });
}

/**
 * Where `/agent` is mounted in a local-mode URL, and the rest from `/agent` on (query included).
 * Null for a URL that is no agent's: only `/agent…` and `/u/{username}/agent…` are.
 *
 * @param {string} url the request's path and query, as the client sent it
 * @returns {{ mount: string, username: string | null, agentUri: string } | null}
 */
export function parseAgentMount(url) {
  if (/^\/agent(?=[/?#]|$)/.test(url)) return { mount: '', username: null, agentUri: url };
  const named = /^\/u\/([^/?#]+)(?=\/agent(?:[/?#]|$))/.exec(url);
  if (!named?.[1]) return null;
  return { mount: named[0], username: named[1], agentUri: url.slice(named[0].length) };
}

/**
 * The mount of a named person's agent: `/u/{username}`.
 *
 * @param {string} username
 * @returns {string}
 */
export function agentMountFor(username) {
  return `/u/${encodeURIComponent(username)}`;
}

/**
 * The path (and query) the agent gets for `/agent/...`: unchanged, or without `/agent` when stripping.
 *
 * @param {string} agentUri the path from `/agent` on
 * @param {boolean} stripPrefix
 * @returns {string}
 */
export function upstreamPathFor(agentUri, stripPrefix) {
  if (!stripPrefix) return agentUri;
  const stripped = agentUri.replace(/^\/agent(?=[/?]|$)/, '');
  return stripped.startsWith('/') ? stripped : `/${stripped}`;
}

/**
 * The port a process-runtime agent recorded, or null when there is none (not running here) or it is
 * not a port.
 *
 * @param {string} stateDir
 * @param {string} username a username that passed `isAgentUsername`
 * @returns {Promise<number | null>}
 */
export async function readAgentPort(stateDir, username) {
  let text;
  try {
    text = await readFile(path.join(stateDir, username, 'port'), 'utf8');
  } catch {
    return null;
  }
  const port = Number(text.trim());
  return Number.isInteger(port) && port >= 1 && port <= 65_535 ? port : null;
}

/**
 * @typedef {object} AgentUpstreamConfig
 * @property {string} [template] AGENT_UPSTREAM_TEMPLATE; empty or absent: `http://127.0.0.1:{port}`.
 * @property {boolean} [stripPrefix] AGENT_UPSTREAM_STRIP_PREFIX: strip `/agent` from what the agent gets.
 * @property {string} [stateDir] AGENT_STATE_DIR; empty or absent: `<dataDir>/agents`.
 * @property {string} [dataDir] DATA_DIR, for the default state directory; empty or absent: `.data/`.
 * @property {number} [portCacheMs] How long a port read from its file is reused; 0 (default): read
 *   it every time.
 * @property {() => number} [now] The clock of the port cache (tests).
 */

/**
 * @typedef {object} AgentUpstream
 * @property {(username: string) => Promise<string | null>} origin The upstream origin (no trailing
 *   slash) of `username`'s agent, or null: not a username, or no port recorded here.
 * @property {(agentUri: string) => string} path What the agent gets for a path from `/agent` on.
 * @property {(username: string) => void} forgetPort Drops a cached port (after a failed connection).
 */

/**
 * The rule with its configuration.
 *
 * @param {AgentUpstreamConfig} [config]
 * @returns {AgentUpstream}
 */
export function createAgentUpstream(config = {}) {
  const template = config.template || DEFAULT_AGENT_UPSTREAM_TEMPLATE;
  const stripPrefix = config.stripPrefix === true;
  const stateDir = resolveAgentStateDir({ stateDir: config.stateDir, dataDir: config.dataDir });
  const cacheMs = config.portCacheMs ?? 0;
  const now = config.now ?? Date.now;
  /** @type {Map<string, { port: number, at: number }>} */
  const portCache = new Map();

  /** @param {string} username */
  async function agentPort(username) {
    const cached = portCache.get(username);
    if (cached && now() - cached.at < cacheMs) return cached.port;
    const port = await readAgentPort(stateDir, username);
    if (port === null) portCache.delete(username);
    else if (cacheMs > 0) portCache.set(username, { port, at: now() });
    return port;
  }

  return {
    async origin(username) {
      if (!isAgentUsername(username)) return null;
      let origin = template.replaceAll('{username}', username);
      if (origin.includes('{port}')) {
        const port = await agentPort(username);
        if (port === null) return null;
        origin = origin.replaceAll('{port}', String(port));
      }
      return origin.replace(/\/+$/, '');
    },
    path: (agentUri) => upstreamPathFor(agentUri, stripPrefix),
    forgetPort(username) {
      portCache.delete(username);
    },
  };
}
