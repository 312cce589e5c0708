import { createPlan } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { createPlanInput, planSummaryOutput } from '../../../schemas/plan';
import { adminProcedure } from '../../../trpc';

export const createPlanProcedure = adminProcedure
  .meta({
    scope: 'admin:plans:write',
    openapi: {
      method: 'POST',
      path: '/plans',
      tags: ['plans'],
      summary:
        'Create a plan (null figures: the deployment default for CPUs, memory and API rate, unlimited for quotas and tokens)',
    },
  })
  .input(createPlanInput)
  .output(planSummaryOutput)
  .mutation(({ ctx, input }) => createPlan(ctx.db, changeDeps(ctx), input));
