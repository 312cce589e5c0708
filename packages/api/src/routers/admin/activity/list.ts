import { listActivity, listActivityInput } from '@pocket-smyth/core';
import { z } from 'zod';
import { activityEventOutput } from '../../../schemas/activity';
import { adminProcedure } from '../../../trpc';

export const listActivityProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/activity',
      tags: ['activity'],
      summary: 'The activity log, newest first',
    },
  })
  .input(listActivityInput)
  .output(z.object({ items: z.array(activityEventOutput), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) => listActivity(ctx.db, input));
