import { provisionChange } from '../agents/provision';
import { runAgentJob } from '../agents/run-agent-job';
import { agentProvisionSpec } from '../contract/agent-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Brings an agent up (or back up) on its host. */
export const agentProvision = defineJob(agentProvisionSpec, (payload, context: JobContext<JobDeps>) =>
  runAgentJob(provisionChange, payload, context),
);
