import { agentSorts, listAgentsForAdmin } from '@pocket-smyth/core';
import { agentDesiredStates, agentObservedStates } from '@pocket-smyth/db';
import { z } from 'zod';
import { adminAgentOutput } from '../../../schemas/agent';
import { adminProcedure } from '../../../trpc';

export const listAgentsInput = z.strictObject({
  observedState: z.enum(agentObservedStates).optional(),
  desiredState: z.enum(agentDesiredStates).optional(),
  hostId: z.string().min(1).max(64).optional(),
  q: z.string().trim().max(100).optional(),
  drifted: z.boolean().optional(),
  sort: z.enum(agentSorts).default('username'),
  limit: z.number().int().min(1).max(2000).default(500),
});

export const listAgentsProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/agents',
      tags: ['agents'],
      summary: 'Every agent: owner, host, wanted and observed state, CPU and memory now, last run',
    },
  })
  .input(listAgentsInput)
  .output(z.array(adminAgentOutput))
  .query(({ ctx, input }) => listAgentsForAdmin(ctx.db, input));
