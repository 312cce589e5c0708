import { activityCsvLines, activityFilterInput } from '@pocket-smyth/core';
import type { CsvDownload } from '../../../rest/csv-download';
import { adminProcedure } from '../../../trpc';

/** The filtered log as a streamed CSV download, newest first, every event the filters match. */
export const exportActivityProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    csv: {
      method: 'GET',
      path: '/activity/export',
      summary: 'The filtered activity log as CSV',
      description:
        'The same filters as `GET /activity`; every matching event, newest first. Streamed `text/csv`; formula-safe cells.',
    },
  })
  .input(activityFilterInput)
  .query(
    ({ ctx, input }): CsvDownload => ({
      filename: `activity-${new Date().toISOString().slice(0, 10)}.csv`,
      lines: activityCsvLines(ctx.db, input),
    }),
  );
