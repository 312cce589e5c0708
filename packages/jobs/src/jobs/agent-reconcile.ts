import { loadAgent } from '../agents/agent-state';
import { deprovisionChange } from '../agents/deprovision';
import { moveEnds, runMoveJob } from '../agents/move';
import { plannedChange } from '../agents/plan';
import { provisionChange } from '../agents/provision';
import { quotaStopChange, quotaStopPeriod } from '../agents/quota-stop';
import { runAgentJob } from '../agents/run-agent-job';
import { stopChange } from '../agents/stop';
import { agentReconcileSpec } from '../contract/agent-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';
import { RunRecorder } from '../run-recorder';

const changes = { provision: provisionChange, stop: stopChange, deprovision: deprovisionChange } as const;

/**
 * What the API enqueues after every change to an agent's desired state (key `agent:provision:{id}`):
 * read desired vs observed now, and provision, stop or deprovision accordingly. Nothing to do is success.
 */
export const agentReconcile = defineJob(agentReconcileSpec, async (payload, context: JobContext<JobDeps>) => {
  const agent = await loadAgent(context.deps.db, payload.agentId);
  if (!agent) return;
  // A move under way is the newest intent short of a deletion: it carries on (a lost `agent.move`, or
  // the reconciler finding the agent mid-move), and the desired state is reached on the target after.
  if (agent.desiredState !== 'absent' && moveEnds(agent)) {
    await runMoveJob(payload, context);
    return;
  }
  const kind = plannedChange(agent);
  if (kind === null) {
    // A run interrupted after it had done its work (the worker died before recording the end) must not
    // stay "running" forever once the agent is as desired.
    const unfinished = await RunRecorder.findUnfinished(context.deps.db, agent.id);
    await unfinished?.cancel(
      `Not finished: the agent reached its desired state (${agent.desiredState}) without it`,
    );
    return;
  }
  // A stop the monthly quota asked for says so in its run (docs/ARCHITECTURE.md, "Plans and quotas").
  const quotaPeriod = kind === 'stop' ? await quotaStopPeriod(context.deps.db, agent.userId) : null;
  await runAgentJob(quotaPeriod ? quotaStopChange(quotaPeriod) : changes[kind], payload, context);
});
