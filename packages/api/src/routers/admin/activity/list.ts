import { listActivity, listActivityInput } from '../../../domain/activity';
import { adminProcedure } from '../../../trpc';

export const listActivityProcedure = adminProcedure
  .input(listActivityInput)
  .query(({ ctx, input }) => listActivity(ctx.db, input));
