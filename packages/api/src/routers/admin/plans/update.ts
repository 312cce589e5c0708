import { updatePlan } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { planSummaryOutput, updatePlanInput } from '../../../schemas/plan';
import { adminProcedure } from '../../../trpc';

export const updatePlanProcedure = adminProcedure
  .meta({
    scope: 'admin:plans:write',
    openapi: {
      method: 'PATCH',
      path: '/plans/{id}',
      tags: ['plans'],
      summary:
        'Edit a plan, make it the default (isDefault: true) or archive it (archived: true; 409 while anyone is on it); running agents on it take new limits at once',
    },
  })
  .input(updatePlanInput)
  .output(planSummaryOutput)
  .mutation(({ ctx, input }) => {
    const { id, ...patch } = input;
    return updatePlan(ctx.db, changeDeps(ctx), id, patch);
  });
