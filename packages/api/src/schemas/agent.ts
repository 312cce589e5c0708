import {
  agentDesiredStates,
  agentObservedStates,
  personStatuses,
  runKinds,
  runStatuses,
} from '@pocket-smyth/db';
import { z } from 'zod';
import { isoDate } from './date';

/** A row of the admin Agents page (core `listAgentsForAdmin`). */
export const adminAgentOutput = z.object({
  id: z.string(),
  username: z.string(),
  personId: z.string().nullable(),
  email: z.string().nullable(),
  ownerStatus: z.enum(personStatuses).nullable(),
  host: z.object({ id: z.string(), name: z.string() }).nullable(),
  desiredState: z.enum(agentDesiredStates),
  observedState: z.enum(agentObservedStates),
  observedAt: isoDate(),
  publicUrlEnabled: z.boolean(),
  /** The image its container was last made from; null: not known, or the host's default. */
  runningImage: z.string().nullable(),
  /** The person's own image over the default; null: follows the default. */
  imageOverride: z.string().nullable(),
  now: z
    .object({ cpuPercent: z.number().nullable(), memoryBytes: z.number().nullable(), at: isoDate() })
    .nullable()
    .describe('CPU and memory from the newest host poll, while the agent runs.'),
  lastRun: z.object({ kind: z.enum(runKinds), status: z.enum(runStatuses), at: isoDate() }).nullable(),
});

export const agentCommandOutcomeOutput = z.discriminatedUnion('ok', [
  z.object({
    id: z.string(),
    ok: z.literal(true),
    desiredState: z.enum(agentDesiredStates),
    changed: z.boolean().describe('False when the agent was already where it was asked to go.'),
  }),
  z.object({
    id: z.string(),
    ok: z.literal(false),
    code: z.enum(['NOT_FOUND', 'CONFLICT']),
    message: z.string(),
  }),
]);
