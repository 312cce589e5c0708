import { imageReferencePattern } from '@pocket-smyth/core';
import { rolloutAgentStatuses, rolloutStatuses } from '@pocket-smyth/db';
import { z } from 'zod';
import { isoDate } from './date';

/** A container image reference, as the provision script accepts it (and checks again). */
export const imageReference = z
  .string()
  .trim()
  .regex(imageReferencePattern, 'an image reference such as registry.example.com/agent:2 (no leading dash)');

export const defaultImageOutput = z.object({
  /** Null: not set; agents run the worker's AGENT_IMAGE, else the host's default. */
  image: z.string().nullable(),
  updatedAt: isoDate().nullable(),
});

export const setDefaultImageInput = z.strictObject({ image: imageReference.nullable() });

export const setPersonImageInput = z.strictObject({
  id: z.string().min(1).max(64),
  /** Null: the person's agent follows the default again. */
  image: imageReference.nullable(),
});

export const personImageOutput = z.object({
  agentId: z.string(),
  username: z.string(),
  imageOverride: z.string().nullable(),
  runningImage: z.string().nullable(),
  /** A provision was sent so that the running agent takes the image now. */
  reprovisioning: z.boolean(),
});

export const rolloutIdInput = z.strictObject({ id: z.string().min(1).max(64) });

export const startRolloutInput = z.strictObject({
  image: imageReference,
  batchSize: z.number().int().min(1).max(1_000).default(1),
  failureThresholdPercent: z.number().int().min(0).max(100).default(10),
});

const countsOutput = z.object(
  Object.fromEntries(rolloutAgentStatuses.map((status) => [status, z.number()])) as Record<
    (typeof rolloutAgentStatuses)[number],
    z.ZodNumber
  >,
);

export const rolloutOutput = z.object({
  id: z.string(),
  fromImage: z.string().nullable(),
  toImage: z.string(),
  batchSize: z.number(),
  failureThresholdPercent: z.number(),
  status: z.enum(rolloutStatuses),
  statusReason: z.string().nullable(),
  createdById: z.string().nullable(),
  createdByLabel: z.string().nullable(),
  createdAt: isoDate(),
  updatedAt: isoDate(),
  endedAt: isoDate().nullable(),
  counts: countsOutput,
  total: z.number(),
});

export const rolloutAgentOutput = z.object({
  agentId: z.string(),
  /** The agent's owner, whose page shows the run; null once the person is gone. */
  personId: z.string().nullable(),
  username: z.string(),
  position: z.number(),
  previousImage: z.string().nullable(),
  status: z.enum(rolloutAgentStatuses),
  runId: z.string().nullable(),
  startedAt: isoDate().nullable(),
  endedAt: isoDate().nullable(),
  error: z.string().nullable(),
});

export const rolloutDetailOutput = rolloutOutput.extend({ agents: z.array(rolloutAgentOutput) });
