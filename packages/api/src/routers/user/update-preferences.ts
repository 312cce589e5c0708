import { updatePreferences } from '@pocket-smyth/core';
import { preferencesSchema } from '@pocket-smyth/db';
import { z } from 'zod';
import { changeDeps } from '../../actor';
import { authedProcedure } from '../../trpc';

export const updatePreferencesProcedure = authedProcedure
  .meta({
    scope: 'me:write',
    openapi: { method: 'PATCH', path: '/me/preferences', tags: ['me'], summary: 'Change your preferences' },
  })
  .input(preferencesSchema)
  .output(z.object({ preferences: preferencesSchema }))
  .mutation(async ({ ctx, input }) => {
    const person = await updatePreferences(ctx.db, changeDeps(ctx), ctx.principal.person.id, input);
    return { preferences: person.preferences };
  });
