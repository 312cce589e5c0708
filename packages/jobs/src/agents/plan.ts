import type { AgentRow } from '../deps';

/**
 * What it takes to bring an agent from its observed state to its desired state; null when they agree.
 * A `stopped` agent that should run is provisioned again: the script is idempotent and starts it.
 */
export function plannedChange(
  agent: Pick<AgentRow, 'desiredState' | 'observedState'>,
): 'provision' | 'stop' | 'deprovision' | null {
  switch (agent.desiredState) {
    case 'running':
      return agent.observedState === 'running' ? null : 'provision';
    case 'stopped':
      return agent.observedState === 'stopped' || agent.observedState === 'absent' ? null : 'stop';
    case 'absent':
      // The row itself is the drift: a finished deprovision deletes it.
      return 'deprovision';
  }
}
