import { agentJobOptions } from '../agents/agent-payload';
import { deprovisionChange } from '../agents/deprovision';
import { runAgentJob } from '../agents/run-agent-job';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Removes an agent and its data: deletion. */
export const agentDeprovision = defineJob({
  name: 'agent.deprovision',
  ...agentJobOptions,
  handler: (payload, context: JobContext<JobDeps>) => runAgentJob(deprovisionChange, payload, context),
});
