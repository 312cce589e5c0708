import { hostHistory } from '@pocket-smyth/core';
import { z } from 'zod';
import { isoDate } from '../../../schemas/date';
import { adminProcedure } from '../../../trpc';

const hostHistoryInput = z.strictObject({
  id: z.string().min(1).max(64),
  /** How far back; the worker keeps 24 hours of samples. */
  hours: z.number().int().min(1).max(24).default(1),
});

const hostHistoryPoint = z.object({
  at: isoDate(),
  cpuPercent: z.number().nullable(),
  memoryPercent: z.number().nullable(),
  diskPercent: z.number().nullable(),
});

const hostHistoryOutput = z.object({
  hostId: z.string(),
  from: isoDate(),
  to: isoDate(),
  /** The width of the buckets the samples were averaged into. */
  bucketSeconds: z.number(),
  /** Bucket averages, oldest first, at most ~120; a bucket with no samples is left out. */
  points: z.array(hostHistoryPoint),
  /** The newest sample in the window as the worker polled it. */
  latest: hostHistoryPoint
    .extend({
      memoryUsedBytes: z.number().nullable(),
      memoryTotalBytes: z.number().nullable(),
      diskUsedBytes: z.number().nullable(),
      diskTotalBytes: z.number().nullable(),
    })
    .nullable(),
});

/** The admin hosts page's charts: a host's CPU, memory and disk over the last hours, averaged. */
export const hostHistoryProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/hosts/{id}/history',
      tags: ['hosts'],
      summary: 'A host’s CPU, memory and disk over the last 1–24 hours, averaged into at most ~120 points',
    },
  })
  .input(hostHistoryInput)
  .output(hostHistoryOutput)
  .query(({ ctx, input }) => hostHistory(ctx.db, input.id, input.hours));
