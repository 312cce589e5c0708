import { z } from 'zod';
import { defineJobSpec } from './job-spec';

/**
 * One round of a host's evacuation: records how the agents being moved went, and starts the next ones
 * up to the batch size. Each `agent.move` of the evacuation enqueues it again when it ends, so no job
 * waits in a worker slot for a batch; the reconciler re-sends it for a running evacuation with none in
 * flight (a lost enqueue).
 */
export const hostEvacuateSpec = defineJobSpec({
  name: 'host.evacuate',
  payload: z.object({ evacuationId: z.string().min(1).max(64) }),
  key: (payload) => `host:evacuate:${payload.evacuationId}` as const,
  // One round at a time: two rounds at once could each start a batch.
  queue: (payload) => `host:evacuate:${payload.evacuationId}`,
  maxAttempts: 10,
});
