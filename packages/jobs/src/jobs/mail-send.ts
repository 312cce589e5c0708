import { z } from 'zod';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Sends one outbox row (rejection, revocation, admin notices). A 4xx fails at once, a 5xx retries. */
export const mailSend = defineJob({
  name: 'mail.send',
  payload: z.object({ outboxId: z.string().min(1).max(64) }),
  key: (payload) => `mail:${payload.outboxId}`,
  maxAttempts: 8,
  handler: async (payload, { deps, signal }: JobContext<JobDeps>) => {
    await deps.mail.deliver(payload.outboxId, { signal });
  },
});
