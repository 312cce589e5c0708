import { getPlan } from '@pocket-smyth/core';
import { planIdInput, planSummaryOutput } from '../../../schemas/plan';
import { adminProcedure } from '../../../trpc';

export const getPlanProcedure = adminProcedure
  .meta({
    scope: 'admin:plans:read',
    openapi: {
      method: 'GET',
      path: '/plans/{id}',
      tags: ['plans'],
      summary: 'A plan and how many people are on it',
    },
  })
  .input(planIdInput)
  .output(planSummaryOutput)
  .query(({ ctx, input }) => getPlan(ctx.db, input.id));
