import { listPeople, listPeopleInput } from '../../../domain/people-list';
import { adminProcedure } from '../../../trpc';

export const listUsersProcedure = adminProcedure
  .input(listPeopleInput)
  .query(({ ctx, input }) => listPeople(ctx.db, input));
