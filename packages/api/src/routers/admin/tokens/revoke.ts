import { revokeApiToken } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { tokenOutput } from '../../../schemas/token';
import { adminProcedure } from '../../../trpc';
import { tokenIdInput } from '../../tokens/inputs';

export const revokeAnyTokenProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'DELETE',
      path: '/admin/tokens/{id}',
      tags: ['tokens'],
      summary: 'Revoke anyone’s token',
    },
  })
  .input(tokenIdInput)
  .output(tokenOutput)
  .mutation(({ ctx, input }) => revokeApiToken(ctx.db, changeDeps(ctx), input.id));
