import { type AgentEnvVar, agentEnvDelivery } from './agent-env-file';
import type { HostScript } from './host-scripts';
import { runHostScript } from './run-host-script';
import {
  type AgentActionResult,
  type AgentLogs,
  agentActionResultSchema,
  agentLogsSchema,
  type HostStats,
  type HostStatus,
  hostStatsSchema,
  hostStatusSchema,
} from './script-output';
import type { ExecOptions, HostTransport } from './transport';

/** What the provision script needs; see infra/host/README.md for each argument. */
export interface ProvisionInput {
  username: string;
  agentId: string;
  /** CPU limit in cores, e.g. 1 or 1.5 (at most two decimals). */
  cpus: number;
  memoryMb: number;
  /** Container image; the host's default (Agent Zero) when omitted. */
  image?: string;
  domain: string;
  /** The portal's forward-auth endpoint; https://login.<domain>/api/forward-auth when omitted. */
  forwardAuthUrl?: string;
  /**
   * The agent's own environment variables (names and values already validated by the portal). They
   * travel on the script's stdin as an env file, never as arguments; none (or empty) gives the agent none.
   */
  env?: readonly AgentEnvVar[];
}

export function provisionArgs(input: ProvisionInput): string[] {
  return [
    input.username,
    input.agentId,
    String(input.cpus),
    String(input.memoryMb),
    input.image ?? '',
    input.domain,
    input.forwardAuthUrl ?? '',
  ];
}

export function provisionAgent(
  transport: HostTransport,
  input: ProvisionInput,
  options?: ExecOptions,
): Promise<AgentActionResult> {
  const env = agentEnvDelivery(input.env);
  return runHostScript(
    transport,
    'provision',
    [...provisionArgs(input), env.arg],
    agentActionResultSchema,
    env.stdin ? { ...options, stdin: env.stdin } : options,
  );
}

function agentAction(script: HostScript & ('restart' | 'stop' | 'deprovision')) {
  return (transport: HostTransport, username: string, options?: ExecOptions): Promise<AgentActionResult> =>
    runHostScript(transport, script, [username], agentActionResultSchema, options);
}

/** Restarts a provisioned agent; `script_failed` with code not_provisioned otherwise. */
export const restartAgent = agentAction('restart');
/** Stops the agent and keeps its data. Idempotent. */
export const stopAgent = agentAction('stop');
/** Removes the agent and its data. Idempotent. */
export const deprovisionAgent = agentAction('deprovision');

/** Every agent on the host in one call; with usernames, just those (missing ones as `absent`). */
export function readHostStatus(
  transport: HostTransport,
  usernames: readonly string[] = [],
  options?: ExecOptions,
): Promise<HostStatus> {
  return runHostScript(transport, 'status', usernames, hostStatusSchema, options);
}

export function readHostStats(transport: HostTransport, options?: ExecOptions): Promise<HostStats> {
  return runHostScript(transport, 'host-stats', [], hostStatsSchema, options);
}

/** The most lines one `logs` call returns; the script refuses more. */
export const MAX_LOG_TAIL = 5000;

/**
 * The agent's last `tail` output lines, only those recorded after `since` (exclusive) when given.
 * Read-only and lock-free on the host. `script_failed` with code not_provisioned when there is no agent.
 */
export function readAgentLogs(
  transport: HostTransport,
  username: string,
  query: { tail: number; since?: string | null },
  options?: ExecOptions,
): Promise<AgentLogs> {
  return runHostScript(
    transport,
    'logs',
    [username, String(query.tail), query.since ?? ''],
    agentLogsSchema,
    options,
  );
}
