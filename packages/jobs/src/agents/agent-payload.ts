import { actorKinds } from '@pocket-smyth/db';
import { z } from 'zod';
import { agentJobKey, agentQueueName } from '../contract';

/** The payload of every agent job. Only the id travels: handlers read the agent's state when they run. */
export const agentPayload = z.object({
  agentId: z.string().min(1).max(64),
  /** An admin's retry of a failed run: continue that run from its failed step. */
  retryRunId: z.string().min(1).max(64).optional(),
  requestedBy: z
    .object({ kind: z.enum(actorKinds), id: z.string().nullable(), label: z.string().nullable() })
    .optional(),
});

export type AgentPayload = z.infer<typeof agentPayload>;

export const agentJobOptions = {
  payload: agentPayload,
  key: (payload: AgentPayload) => agentJobKey(payload.agentId),
  queue: (payload: AgentPayload) => agentQueueName(payload.agentId),
  // Host unreachable, Graph 5xx, mail 5xx retry with graphile's exponential backoff (e^n seconds):
  // ten attempts span about an hour and a half before the run is marked failed.
  maxAttempts: 10,
} as const;
