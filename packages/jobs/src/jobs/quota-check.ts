import { quotaCheckSpec } from '../contract/cron-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Cron, every minute: the monthly agent-hours quota's mails, stops and restarts. */
export const quotaCheck = defineJob(quotaCheckSpec, async (_payload, { deps }: JobContext<JobDeps>) => {
  await deps.checkAgentQuotas?.(new Date());
});
