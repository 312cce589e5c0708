import { agentJobOptions } from '../agents/agent-payload';
import { restartChange } from '../agents/restart';
import { runAgentJob } from '../agents/run-agent-job';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Restarts an agent: the person's restart button. */
export const agentRestart = defineJob({
  name: 'agent.restart',
  ...agentJobOptions,
  handler: (payload, context: JobContext<JobDeps>) => runAgentJob(restartChange, payload, context),
});
