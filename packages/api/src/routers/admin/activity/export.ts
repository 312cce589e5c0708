import { activityFilterInput, exportActivityCsv } from '../../../domain/activity';
import { adminProcedure } from '../../../trpc';

/** The filtered log as CSV (newest first, capped; `truncated` says when the cap was hit). */
export const exportActivityProcedure = adminProcedure
  .input(activityFilterInput)
  .query(({ ctx, input }) => exportActivityCsv(ctx.db, input));
