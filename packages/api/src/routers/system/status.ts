import { systemStatus } from '@pocket-smyth/core';
import { hostStatuses, hostTransports, runKinds } from '@pocket-smyth/db';
import { z } from 'zod';
import { isoDate } from '../../schemas/date';
import { statusCountsOutput } from '../../schemas/person';
import { adminProcedure } from '../../trpc';

const hostStatsOutput = z
  .object({
    cpuPercent: z.number(),
    memoryUsedBytes: z.number(),
    memoryTotalBytes: z.number(),
    diskUsedBytes: z.number(),
    diskTotalBytes: z.number(),
    agentsRunning: z.number().optional(),
  })
  .nullable();

export const systemStatusProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: { method: 'GET', path: '/system/status', tags: ['system'], summary: 'System overview' },
  })
  .input(z.void())
  .output(
    z.object({
      people: statusCountsOutput,
      oldestPendingSince: isoDate().nullable(),
      agents: z.object({
        byObservedState: z.record(z.string(), z.number()),
        drifted: z.number(),
        total: z.number(),
      }),
      hosts: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          transport: z.enum(hostTransports),
          status: z.enum(hostStatuses),
          capacity: z.number(),
          agents: z.number(),
          lastSeenAt: isoDate().nullable(),
          lastStats: hostStatsOutput,
          lastError: z
            .string()
            .nullable()
            .describe('Why the latest poll of this host failed; null once a poll succeeds.'),
        }),
      ),
      capacity: z
        .object({ used: z.number(), total: z.number() })
        .describe(
          'Agents placed on active hosts, and the capacity of those hosts; draining hosts count in neither.',
        ),
      failedRunsLastDay: z.number(),
      failingAgents: z
        .object({
          items: z.array(
            z.object({
              runId: z.string(),
              agentId: z.string(),
              personId: z.string().nullable(),
              username: z.string(),
              kind: z.enum(runKinds),
              step: z.string().nullable(),
              errorClass: z.string().nullable(),
              errorMessage: z.string().nullable(),
              attempt: z.number(),
              failedAt: isoDate().nullable(),
            }),
          ),
          total: z.number(),
        })
        .describe(
          'Agents whose newest run failed for good and waits for a retry (POST /runs/{id}/retry), newest first; at most 10 listed, `total` counts all.',
        ),
      at: isoDate(),
    }),
  )
  .query(({ ctx }) => systemStatus(ctx.db));
