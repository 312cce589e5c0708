import { assignPlan } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { personStatusOutput } from '../../../schemas/person';
import { adminProcedure } from '../../../trpc';
import { singleResult } from '../users/inputs';

export const setPersonPlanProcedure = adminProcedure
  .meta({
    scope: 'admin:plans:write',
    openapi: {
      method: 'PUT',
      path: '/users/{id}/plan',
      tags: ['plans'],
      summary: "Put a person on a plan; their running agent takes the plan's limits at once",
    },
  })
  .input(z.strictObject({ id: z.string().min(1).max(64), planId: z.string().min(1).max(64) }))
  .output(personStatusOutput)
  .mutation(async ({ ctx, input }) =>
    singleResult(await assignPlan(ctx.db, changeDeps(ctx), [input.id], input.planId)),
  );
