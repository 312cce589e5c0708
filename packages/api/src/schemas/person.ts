import {
  agentDesiredStates,
  agentObservedStates,
  personRoles,
  personStatuses,
  preferencesSchema,
} from '@pocket-smyth/db';
import { z } from 'zod';
import { isoDate } from './date';

/** Output shapes are declared once here and shared by tRPC (validation) and REST (the OpenAPI document). */
export const personOutput = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  image: z.string().nullable(),
  username: z.string().nullable(),
  role: z.enum(personRoles),
  status: z.enum(personStatuses),
  statusReason: z.string().nullable(),
  preferences: preferencesSchema,
  /** The person's plan (docs/ARCHITECTURE.md, "Plans and quotas"). */
  planId: z.string().nullable(),
  requestedAt: isoDate().nullable(),
  decidedAt: isoDate().nullable(),
  createdAt: isoDate(),
  updatedAt: isoDate(),
});

export const agentOutput = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  username: z.string(),
  desiredState: z.enum(agentDesiredStates),
  observedState: z.enum(agentObservedStates),
  hostId: z.string().nullable(),
  publicUrlEnabled: z.boolean(),
  desiredAt: isoDate(),
  observedAt: isoDate(),
  createdAt: isoDate(),
  updatedAt: isoDate(),
});

/** The agent as an admin sees it on the person's page: with its images (docs/ARCHITECTURE.md, "Images and rollouts"). */
export const adminPersonAgentOutput = agentOutput.extend({
  /** The person's own image over the default; null: follows the default. */
  imageOverride: z.string().nullable(),
  /** The image its container was last made from; null: not known, or the host's default. */
  runningImage: z.string().nullable(),
});

export const statusCountsOutput = z.object({
  onboarding: z.number(),
  pending: z.number(),
  active: z.number(),
  rejected: z.number(),
  revoked: z.number(),
  total: z.number(),
});

export const bulkResultOutput = z.discriminatedUnion('ok', [
  z.object({ id: z.string(), ok: z.literal(true), status: z.enum(personStatuses) }),
  z.object({
    id: z.string(),
    ok: z.literal(false),
    code: z.enum(['NOT_FOUND', 'CONFLICT', 'FORBIDDEN']),
    message: z.string(),
  }),
]);

export const personStatusOutput = z.object({ id: z.string(), status: z.enum(personStatuses) });
