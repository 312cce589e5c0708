import { assignPlan } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { bulkResultOutput } from '../../../schemas/person';
import { adminProcedure } from '../../../trpc';
import { personIdsInput } from '../users/inputs';

/** Many people onto one plan; each id gets its own result, like approve. */
export const assignPlanProcedure = adminProcedure
  .meta({
    scope: 'admin:plans:write',
    openapi: {
      method: 'POST',
      path: '/plans/{planId}/assign',
      tags: ['plans'],
      summary: 'Put many people on a plan; a result per id',
    },
  })
  .input(z.strictObject({ planId: z.string().min(1).max(64), ids: personIdsInput }))
  .output(z.object({ results: z.array(bulkResultOutput) }))
  .mutation(async ({ ctx, input }) => ({
    results: await assignPlan(ctx.db, changeDeps(ctx), input.ids, input.planId),
  }));
