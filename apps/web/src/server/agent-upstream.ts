import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where a person's agent listens, for the app's own `/agent` proxy (local mode; SPEC §2). The agents
 * table holds no address, so it is resolved from the environment and the host's own state:
 *
 * - `AGENT_UPSTREAM_TEMPLATE` (default `http://127.0.0.1:{port}`): `{username}` and `{port}` are filled
 *   in. With docker on one machine, `http://ps-agent-{username}:80` (the container name the host
 *   scripts use; the app must be on their network) needs no port.
 * - `{port}` is the process runtime's own record, `$AGENT_STATE_DIR/<username>/port` (default
 *   `~/.pocket-smyth/agents`), which the sample agent writes once it listens (infra/host/README.md).
 *   So this works when the app runs on the machine that is the `local` host, with the same
 *   AGENT_STATE_DIR as the worker: the local default. Remote hosts are reached through Traefik and
 *   forward-auth instead, never through this proxy.
 * - `AGENT_UPSTREAM_STRIP_PREFIX=1` strips `/agent` like Traefik's stripprefix does for containers;
 *   off by default because the sample agent serves `/agent/*` itself.
 *
 * The port is cached for 2 s per agent (and dropped on a failed connection), so a burst of asset
 * requests reads the file once and a restart on a new port is noticed at once.
 */
const TEMPLATE = process.env.AGENT_UPSTREAM_TEMPLATE || 'http://127.0.0.1:{port}';
const STRIP_PREFIX = ['1', 'true'].includes(process.env.AGENT_UPSTREAM_STRIP_PREFIX ?? '');
const PORT_CACHE_MS = 2_000;

const portCache = new Map<string, { port: number; at: number }>();

function stateDir(): string {
  return process.env.AGENT_STATE_DIR || path.join(process.env.HOME || homedir(), '.pocket-smyth', 'agents');
}

async function agentPort(username: string): Promise<number | null> {
  const cached = portCache.get(username);
  if (cached && Date.now() - cached.at < PORT_CACHE_MS) return cached.port;
  let text: string;
  try {
    text = await readFile(path.join(stateDir(), username, 'port'), 'utf8');
  } catch {
    portCache.delete(username);
    return null;
  }
  const port = Number(text.trim());
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return null;
  portCache.set(username, { port, at: Date.now() });
  return port;
}

export function forgetAgentPort(username: string): void {
  portCache.delete(username);
}

/**
 * The upstream origin (no trailing slash) for `username`'s agent, or null when it has no port
 * (not running under the process runtime here). `username` has passed the username rule already.
 */
export async function agentUpstreamOrigin(username: string): Promise<string | null> {
  let origin = TEMPLATE.replaceAll('{username}', username);
  if (origin.includes('{port}')) {
    const port = await agentPort(username);
    if (port === null) return null;
    origin = origin.replaceAll('{port}', String(port));
  }
  return origin.replace(/\/+$/, '');
}

/** The path the agent gets for `/agent/...` (with its query). */
export function upstreamPath(agentPath: string): string {
  if (!STRIP_PREFIX) return agentPath;
  const stripped = agentPath.replace(/^\/agent(?=[/?]|$)/, '');
  return stripped.startsWith('/') ? stripped : `/${stripped}`;
}
