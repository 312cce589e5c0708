import { deprovisionChange } from '../agents/deprovision';
import { runAgentJob } from '../agents/run-agent-job';
import { agentDeprovisionSpec } from '../contract/agent-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Removes an agent and its data: deletion. */
export const agentDeprovision = defineJob(agentDeprovisionSpec, (payload, context: JobContext<JobDeps>) =>
  runAgentJob(deprovisionChange, payload, context),
);
