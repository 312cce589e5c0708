import { usageCsvLines, usageExportRange } from '@pocket-smyth/core';
import { z } from 'zod';
import type { CsvDownload } from '../../../rest/csv-download';
import { adminProcedure } from '../../../trpc';

/** Every person's usage, a row per person per day or hour, as a streamed CSV download. */
export const exportUsageProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    csv: {
      method: 'GET',
      path: '/usage/export',
      summary: 'Usage per person per day or hour, as CSV',
      description:
        'One row per person per period with usage, from `from` to `to` (days, UTC, inclusive; at most 400), `granularity` day (default) or hour (the last 14 days). Streamed `text/csv`; formula-safe cells.',
    },
  })
  .input(
    z.strictObject({
      from: z.string().max(10),
      to: z.string().max(10),
      granularity: z.enum(['day', 'hour']).default('day'),
    }),
  )
  .query(({ ctx, input }): CsvDownload => {
    usageExportRange(input);
    return {
      filename: `usage-${input.from}-to-${input.to}-${input.granularity}.csv`,
      lines: usageCsvLines(ctx.db, input),
    };
  });
