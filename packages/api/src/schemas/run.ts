import { actorKinds, runKinds, runStatuses, stepStatuses } from '@pocket-smyth/db';
import { z } from 'zod';
import { isoDate } from './date';

export const runStepOutput = z.object({
  id: z.string(),
  position: z.number(),
  name: z.string(),
  status: z.enum(stepStatuses),
  attempts: z.number(),
  startedAt: isoDate().nullable(),
  endedAt: isoDate().nullable(),
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
  createdAt: isoDate(),
  startedAt: isoDate().nullable(),
  endedAt: isoDate().nullable(),
  steps: z.array(runStepOutput),
});
