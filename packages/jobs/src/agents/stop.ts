import type { AgentChange } from './agent-change';
import { identityStep } from './identity-step';
import { runScript } from './script-call';

/** Revocation: the agent stops and keeps its data. */
export const stopChange: AgentChange = {
  kind: 'stop',
  steps: ['stop agent', 'update identity provider'],
  during: null,
  after: 'stopped',
  async perform(run, agent, { deps, signal }) {
    const timeoutMs = deps.scriptTimeoutMs ?? 120_000;
    await run.step('stop agent', async (step) => {
      if (!agent.hostId) return step.skip('Never placed on a host');
      const transport = await deps.hosts.hostsFor({ ...agent, hostId: agent.hostId });
      await runScript(transport, 'stop', [agent.username], step, { signal, timeoutMs });
    });
    // The owner's current status (revoked, unless they were restored meanwhile), without the agent URL.
    await run.step('update identity provider', (step) => identityStep(deps, agent, step, signal));
  },
};
