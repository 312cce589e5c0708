import { revokeApiToken } from '@pocket-smyth/core';
import { changeDeps } from '../../actor';
import { tokenOutput } from '../../schemas/token';
import { activeProcedure } from '../../trpc';
import { tokenIdInput } from './inputs';

/** Someone else's token is a 404: the WHERE clause only finds the caller's own. */
export const revokeTokenProcedure = activeProcedure
  .meta({
    scope: 'tokens:write',
    openapi: {
      method: 'DELETE',
      path: '/tokens/{id}',
      tags: ['tokens'],
      summary: 'Revoke one of your tokens',
    },
  })
  .input(tokenIdInput)
  .output(tokenOutput)
  .mutation(({ ctx, input }) => revokeApiToken(ctx.db, changeDeps(ctx), input.id, ctx.principal.person.id));
