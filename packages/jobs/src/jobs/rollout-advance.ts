import { rolloutAdvanceSpec } from '../contract/rollout-advance';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';
import { stepRollout } from '../rollouts/advance';

/** Moves a rollout on by one step: outcomes, threshold, next batch, completion (rollouts/advance.ts). */
export const rolloutAdvance = defineJob(rolloutAdvanceSpec, (payload, { deps }: JobContext<JobDeps>) =>
  stepRollout(deps, payload.rolloutId),
);
