import { actorKinds, runKinds, runStatuses, stepStatuses } from '@pocket-smyth/db';
import { z } from 'zod';

export const runStepOutput = z.object({
  id: z.string(),
  position: z.number(),
  name: z.string(),
  status: z.enum(stepStatuses),
  attempts: z.number(),
  startedAt: z.date().nullable(),
  endedAt: z.date().nullable(),
  outputTail: z.string(),
  errorClass: z.string().nullable(),
  message: z.string().nullable(),
});

export const runOutput = z.object({
  id: z.string(),
  agentId: z.string(),
  username: z.string(),
  kind: z.enum(runKinds),
  status: z.enum(runStatuses),
  attempt: z.number(),
  requestedByKind: z.enum(actorKinds),
  requestedByLabel: z.string().nullable(),
  errorClass: z.string().nullable(),
  errorMessage: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  endedAt: z.date().nullable(),
  steps: z.array(runStepOutput),
});
