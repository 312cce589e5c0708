import { usageReport, usageReportInput } from '@pocket-smyth/core';
import { usageReportOutput } from '../../../schemas/usage-report';
import { adminProcedure } from '../../../trpc';

/** Everyone's usage in a month: totals, totals per day, top consumers; optionally one plan's people. */
export const usageReportProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    openapi: {
      method: 'GET',
      path: '/usage',
      tags: ['usage'],
      summary: 'Everyone’s usage in a month (totals, per day, top consumers)',
      description:
        '`period` is a calendar month in UTC (YYYY-MM, the current one when left out); `planId` keeps only the people on that plan.',
    },
  })
  .input(usageReportInput)
  .output(usageReportOutput)
  .query(({ ctx, input }) => usageReport(ctx.db, input));
