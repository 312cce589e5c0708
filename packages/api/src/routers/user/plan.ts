import { planOfPerson } from '@pocket-smyth/core';
import { z } from 'zod';
import { planOutput } from '../../schemas/plan';
import { activeProcedure } from '../../trpc';

export const myPlanProcedure = activeProcedure
  .meta({
    scope: 'me:read',
    openapi: {
      method: 'GET',
      path: '/me/plan',
      tags: ['me'],
      summary: 'Your plan: what your agent and API calls may use',
    },
  })
  .input(z.strictObject({}).optional())
  .output(planOutput)
  .query(({ ctx }) => planOfPerson(ctx.db, ctx.principal.person.id));
