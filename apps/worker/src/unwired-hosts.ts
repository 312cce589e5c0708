import { type AgentHosts, PermanentJobError } from '@pocket-smyth/jobs';

/**
 * Stand-in until packages/hosts (placement, ssh/local transports, status polling) is wired into the
 * worker: agent runs fail at once with `hosts_unavailable` on their first host step, saying why, and
 * polling does nothing. Replace with the real implementation in `createJobDeps`.
 */
export function unwiredHosts(log: (line: string) => void): AgentHosts {
  const refuse = (): never => {
    throw new PermanentJobError('hosts_unavailable', 'Host operations are not wired into the worker yet');
  };
  let warned = false;
  return {
    place: async () => refuse(),
    hostsFor: async () => refuse(),
    provisionArgs: () => refuse(),
    pollAll: async () => {
      if (warned) return;
      warned = true;
      log('[worker] warning: host polling is not wired yet; no host status or metrics are collected');
    },
  };
}
