import { changeDeps } from '../../../actor';
import { restorePerson } from '../../../domain/people-lifecycle';
import { adminProcedure } from '../../../trpc';
import { personIdInput } from './get';

export const restoreUserProcedure = adminProcedure.input(personIdInput).mutation(async ({ ctx, input }) => {
  const person = await restorePerson(ctx.db, changeDeps(ctx), input.id);
  return { id: person.id, status: person.status };
});
