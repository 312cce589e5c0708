import { runAgentJob } from '../agents/run-agent-job';
import { stopChange } from '../agents/stop';
import { agentStopSpec } from '../contract/agent-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Stops an agent and keeps its data: revocation. */
export const agentStop = defineJob(agentStopSpec, (payload, context: JobContext<JobDeps>) =>
  runAgentJob(stopChange, payload, context),
);
