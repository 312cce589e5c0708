import type { AgentChange } from './agent-change';
import { runScript } from './script-call';

/** The person's restart button. */
export const restartChange: AgentChange = {
  kind: 'restart',
  steps: ['restart agent'],
  during: 'restarting',
  after: 'running',
  async perform(run, agent, { deps, signal }) {
    const timeoutMs = deps.scriptTimeoutMs ?? 120_000;
    await run.step('restart agent', async (step) => {
      if (!agent.hostId)
        throw Object.assign(new Error('The agent has not been provisioned'), {
          errorClass: 'not_provisioned',
          transient: false,
        });
      const transport = await deps.hosts.hostsFor({ ...agent, hostId: agent.hostId });
      await runScript(transport, 'restart', [agent.username], step, { signal, timeoutMs });
    });
  },
};
