import { runMoveJob } from '../agents/move';
import { agentMoveSpec } from '../contract/agent-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Moves an agent to the host its `move_to_host_id` names (docs/ARCHITECTURE.md, "Moves and evacuations"). */
export const agentMove = defineJob(agentMoveSpec, (payload, context: JobContext<JobDeps>) =>
  runMoveJob(payload, context),
);
