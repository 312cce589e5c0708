import type { AgentChange } from './agent-change';
import { identityStep } from './identity-step';
import { runScript } from './script-call';

/** Deletion: the agent and its data are removed; the finished run then deletes the agent row. */
export const deprovisionChange: AgentChange = {
  kind: 'deprovision',
  steps: ['remove agent', 'update identity provider'],
  during: 'deprovisioning',
  after: 'absent',
  async perform(run, agent, { deps, signal }) {
    const timeoutMs = deps.scriptTimeoutMs ?? 120_000;
    await run.step('remove agent', async (step) => {
      if (!agent.hostId) return step.skip('Never placed on a host');
      // A move cut short by the deletion may have left a copy on its other host: removed there too.
      const hostIds = new Set([agent.hostId, agent.moveToHostId, agent.movedFromHostId]);
      for (const hostId of hostIds) {
        if (!hostId) continue;
        const transport = await deps.hosts.hostsFor({ ...agent, hostId });
        await runScript(transport, 'deprovision', [agent.username], step, { signal, timeoutMs });
      }
    });
    // Skipped once the person is deleted (their `idp.sync` marks them deleted); an agent removed while
    // its owner remains writes the owner's current attributes.
    await run.step('update identity provider', (step) => identityStep(deps, agent, step, signal));
  },
};
