import { cronPayload } from '../cron-payload';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';
import { reconcileAgents } from '../reconciler';

/** Cron, every minute: enqueue a job for each agent that drifted and has none in flight (SPEC §3). */
export const reconcileAll = defineJob({
  name: 'reconcile.all',
  payload: cronPayload,
  key: () => 'reconcile:all',
  maxAttempts: 1,
  handler: async (_payload, { deps }: JobContext<JobDeps>) => {
    await reconcileAgents(deps);
  },
});
