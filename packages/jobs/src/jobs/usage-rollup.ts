import { usageRollupSpec } from '../contract/cron-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Cron, every five minutes: usage rolled up into hours and days, old rows pruned. */
export const usageRollup = defineJob(usageRollupSpec, async (_payload, { deps }: JobContext<JobDeps>) => {
  await deps.rollUpUsage?.(new Date());
});
