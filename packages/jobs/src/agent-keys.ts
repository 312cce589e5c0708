/**
 * Every job about one agent shares this key (SPEC §3): a newer request replaces a waiting one, so an
 * agent has at most one job queued. The API builds the same string in `agentJob()`.
 */
export function agentJobKey(agentId: string): string {
  return `agent:provision:${agentId}`;
}

/** Jobs for one agent run one at a time: a provision and a stop must never overlap on a host. */
export function agentQueueName(agentId: string): string {
  return `agent:${agentId}`;
}
