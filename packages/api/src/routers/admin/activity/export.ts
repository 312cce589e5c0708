import { activityFilterInput, exportActivityCsv } from '@pocket-smyth/core';
import { z } from 'zod';
import { adminProcedure } from '../../../trpc';

/** The filtered log as CSV (newest first, capped; `truncated` says when the cap was hit). */
export const exportActivityProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/activity/export',
      tags: ['activity'],
      summary: 'The filtered activity log as CSV text',
    },
  })
  .input(activityFilterInput)
  .output(z.object({ csv: z.string(), rows: z.number(), truncated: z.boolean() }))
  .query(({ ctx, input }) => exportActivityCsv(ctx.db, input));
