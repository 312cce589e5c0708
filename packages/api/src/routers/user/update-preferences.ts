import { preferencesSchema } from '@pocket-smyth/db';
import { changeDeps } from '../../actor';
import { updatePreferences } from '../../domain/people-lifecycle';
import { authedProcedure } from '../../trpc';

export const updatePreferencesProcedure = authedProcedure
  .input(preferencesSchema)
  .mutation(async ({ ctx, input }) => {
    const person = await updatePreferences(ctx.db, changeDeps(ctx), ctx.principal.person.id, input);
    return { preferences: person.preferences };
  });
