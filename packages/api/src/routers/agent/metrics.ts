import { agentMetricsForPerson } from '@pocket-smyth/core';
import { agentObservedStates } from '@pocket-smyth/db';
import { z } from 'zod';
import { isoDate } from '../../schemas/date';
import { activeProcedure } from '../../trpc';

const sample = z.object({
  at: isoDate(),
  cpuPercent: z.number().nullable(),
  memoryBytes: z.number().nullable(),
  observedState: z.enum(agentObservedStates),
});

/** CPU and memory of the caller's agent, as the worker's poller sampled them (about every 15 s). */
export const agentMetricsProcedure = activeProcedure
  .meta({
    scope: 'agent:read',
    openapi: {
      method: 'GET',
      path: '/me/agent/metrics',
      tags: ['agent'],
      summary: 'Your agent’s CPU and memory',
    },
  })
  .input(
    z.strictObject({
      minutes: z
        .number()
        .int()
        .min(5)
        .max(24 * 60)
        .default(60),
    }),
  )
  .output(z.object({ samples: z.array(sample), latest: sample.nullable() }))
  .query(({ ctx, input }) => agentMetricsForPerson(ctx.db, ctx.principal.person.id, input.minutes));
