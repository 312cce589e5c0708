import { listPlans } from '@pocket-smyth/core';
import { z } from 'zod';
import { planSummaryOutput } from '../../../schemas/plan';
import { adminProcedure } from '../../../trpc';

export const listPlansProcedure = adminProcedure
  .meta({
    scope: 'admin:plans:read',
    openapi: {
      method: 'GET',
      path: '/plans',
      tags: ['plans'],
      summary: 'Every plan, archived ones too, the default first, each with how many people are on it',
    },
  })
  .input(z.strictObject({}).optional())
  .output(z.array(planSummaryOutput))
  .query(({ ctx }) => listPlans(ctx.db, { includeArchived: true }));
