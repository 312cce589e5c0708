import { getPersonWithAgent, usageWithQuota } from '@pocket-smyth/core';
import { z } from 'zod';
import { periodInput, usageWithQuotaOutput } from '../../../schemas/usage';
import { adminProcedure } from '../../../trpc';

/** A person's usage in a month, per day; 404 for no such person. */
export const userUsageProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    openapi: {
      method: 'GET',
      path: '/users/{id}/usage',
      tags: ['users'],
      summary: 'A person’s usage in a month',
    },
  })
  .input(z.strictObject({ id: z.string().min(1).max(64), period: periodInput }))
  .output(usageWithQuotaOutput)
  .query(async ({ ctx, input }) => {
    await getPersonWithAgent(ctx.db, input.id);
    return usageWithQuota(ctx.db, input.id, input.period);
  });
