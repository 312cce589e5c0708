import { restorePerson } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { personStatusOutput } from '../../../schemas/person';
import { adminProcedure } from '../../../trpc';
import { personIdInput } from './get';

export const restoreUserProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'POST',
      path: '/users/{id}/restore',
      tags: ['users'],
      summary: 'Restore a revoked person',
    },
  })
  .input(personIdInput)
  .output(personStatusOutput)
  .mutation(async ({ ctx, input }) => {
    const person = await restorePerson(ctx.db, changeDeps(ctx), input.id);
    return { id: person.id, status: person.status };
  });
