import { agents } from '@pocket-smyth/db';
import { and, eq, isNotNull } from 'drizzle-orm';
import { restartChange } from '../agents/restart';
import { runAgentJob } from '../agents/run-agent-job';
import { agentRestartSpec } from '../contract/agent-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/**
 * Restarts an agent: the person's restart button. Taking the job up settles the request the portal
 * recorded (`restart_requested_at`), so the reconciler does not send it again; from here on the job's
 * own retries carry it. Every request committed before this point is served by the restart that follows;
 * one committed after it stays set for its own job (no clock is compared, so skew between the portal's
 * and the worker's hosts does not matter).
 */
export const agentRestart = defineJob(agentRestartSpec, async (payload, context: JobContext<JobDeps>) => {
  await context.deps.db
    .update(agents)
    .set({ restartRequestedAt: null })
    .where(and(eq(agents.id, payload.agentId), isNotNull(agents.restartRequestedAt)));
  await runAgentJob(restartChange, payload, context);
});
