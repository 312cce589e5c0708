import { z } from 'zod';
import { defineJobSpec } from './job-spec';

/**
 * Moves a rollout on (docs/ARCHITECTURE.md, "Images and rollouts"): records how its agents' provisions
 * went, stops it past its failure threshold, sends the next batch or the rollback. Enqueued when a
 * rollout starts or an admin acts on it, and again whenever a run of one of its agents ends; one at a
 * time per rollout.
 */
export const rolloutAdvanceSpec = defineJobSpec({
  name: 'rollout.advance',
  payload: z.object({ rolloutId: z.string().min(1).max(64) }),
  key: (payload) => `rollout:${payload.rolloutId}` as const,
  queue: (payload) => `rollout:${payload.rolloutId}`,
  maxAttempts: 10,
});
