import { z } from 'zod';
import { defineJobSpec } from './job-spec';

/** Sends one outbox row (rejection, revocation, admin notices). A 4xx fails at once, a 5xx retries. */
export const mailSendSpec = defineJobSpec({
  name: 'mail.send',
  payload: z.object({ outboxId: z.string().min(1).max(64) }),
  key: (payload) => `mail:${payload.outboxId}` as const,
  maxAttempts: 8,
});
