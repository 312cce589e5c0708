import { listApiTokens } from '@pocket-smyth/core';
import { z } from 'zod';
import { tokenWithOwnerOutput } from '../../../schemas/token';
import { adminProcedure } from '../../../trpc';

export const listAllTokensProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    openapi: { method: 'GET', path: '/admin/tokens', tags: ['tokens'], summary: 'Everyone’s API tokens' },
  })
  .input(z.strictObject({ userId: z.string().max(64).optional() }))
  .output(z.array(tokenWithOwnerOutput))
  .query(({ ctx, input }) => listApiTokens(ctx.db, input.userId));
