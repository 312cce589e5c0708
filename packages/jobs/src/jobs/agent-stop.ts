import { agentJobOptions } from '../agents/agent-payload';
import { runAgentJob } from '../agents/run-agent-job';
import { stopChange } from '../agents/stop';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Stops an agent and keeps its data: revocation. */
export const agentStop = defineJob({
  name: 'agent.stop',
  ...agentJobOptions,
  handler: (payload, context: JobContext<JobDeps>) => runAgentJob(stopChange, payload, context),
});
