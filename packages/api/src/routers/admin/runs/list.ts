import { listRuns } from '@pocket-smyth/core';
import { z } from 'zod';
import { runOutput } from '../../../schemas/run';
import { adminProcedure } from '../../../trpc';
import { runListInput } from '../../runs/inputs';

export const listAllRunsProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/runs',
      tags: ['runs'],
      summary: 'Every provisioning run, newest first',
    },
  })
  .input(runListInput.extend({ agentId: z.string().max(64).optional() }))
  .output(z.array(runOutput))
  .query(({ ctx, input }) => listRuns(ctx.db, input));
