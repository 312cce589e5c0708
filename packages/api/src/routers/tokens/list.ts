import { listApiTokens } from '@pocket-smyth/core';
import { z } from 'zod';
import { tokenOutput } from '../../schemas/token';
import { activeProcedure } from '../../trpc';

export const listTokensProcedure = activeProcedure
  .meta({
    scope: 'tokens:read',
    openapi: { method: 'GET', path: '/tokens', tags: ['tokens'], summary: 'Your API tokens' },
  })
  .input(z.void())
  .output(z.array(tokenOutput))
  .query(({ ctx }) => listApiTokens(ctx.db, ctx.principal.person.id));
