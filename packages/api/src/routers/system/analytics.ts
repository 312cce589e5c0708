import { adminAnalytics, analyticsInput } from '@pocket-smyth/core';
import { z } from 'zod';
import { isoDate } from '../../schemas/date';
import { adminProcedure } from '../../trpc';

const dayCounts = {
  signUps: z.number().int(),
  approvals: z.number().int(),
  rejections: z.number().int(),
  apiCalls: z.number().int(),
};

/** The overview's analytics: counts per UTC day, the median wait for approval, the week's heatmap. */
export const systemAnalyticsProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/system/analytics',
      tags: ['system'],
      summary: 'Sign-ups, decisions, agents and API calls per day; approval wait; weekly heatmap',
    },
  })
  .input(analyticsInput)
  .output(
    z.object({
      from: isoDate(),
      days: z.array(
        z.object({
          day: isoDate(),
          ...dayCounts,
          agentsRunning: z.number().int().describe('People whose agent ran that day'),
        }),
      ),
      totals: z.object(dayCounts),
      medianApprovalMs: z.number().nullable().describe('Median time from sign-up to approval'),
      approvalsMeasured: z.number().int(),
      heatmap: z.object({
        from: isoDate(),
        to: isoDate(),
        cells: z
          .array(z.array(z.number()))
          .describe('Agent-hours by [weekday][hour], UTC, Monday first, over the last 14 days'),
        max: z.number(),
      }),
    }),
  )
  .query(({ ctx, input }) => adminAnalytics(ctx.db, input));
