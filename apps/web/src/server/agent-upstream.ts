import { env } from '~/env';
import { createAgentUpstream } from './agent-upstream-rule.mjs';

/**
 * Where a person's agent listens, for the app's own `/agent` proxy (local mode; docs/ARCHITECTURE.md,
 * "Hostnames"): the rule in agent-upstream-rule.mjs (shared with server.mjs's WebSocket upgrades),
 * configured from ~/env (AGENT_UPSTREAM_TEMPLATE, AGENT_UPSTREAM_STRIP_PREFIX, AGENT_STATE_DIR, DATA_DIR).
 *
 * The port is cached for 2 s per agent (and dropped on a failed connection), so a burst of asset
 * requests reads the file once and a restart on a new port is noticed at once.
 */
const upstream = createAgentUpstream({
  template: env.AGENT_UPSTREAM_TEMPLATE,
  stripPrefix: env.AGENT_UPSTREAM_STRIP_PREFIX,
  stateDir: env.AGENT_STATE_DIR,
  // Unset AGENT_STATE_DIR: `<DATA_DIR>/agents`, where the worker's local host keeps them too.
  dataDir: env.DATA_DIR,
  portCacheMs: 2_000,
});

/**
 * The upstream origin (no trailing slash) for `username`'s agent, or null when it has no port
 * (not running under the process runtime here) or the name is not a username.
 */
export function agentUpstreamOrigin(username: string): Promise<string | null> {
  return upstream.origin(username);
}

export function forgetAgentPort(username: string): void {
  upstream.forgetPort(username);
}

/** The path the agent gets for `/agent/...` (with its query). */
export function upstreamPath(agentPath: string): string {
  return upstream.path(agentPath);
}
