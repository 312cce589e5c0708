import type { Scope } from '@pocket-smyth/core';
import { createApiToken } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../actor';
import { tokenOutput } from '../../schemas/token';
import { activeProcedure } from '../../trpc';
import { createTokenInput } from './inputs';

/** The secret is in this response and nowhere else, ever. */
export const createTokenProcedure = activeProcedure
  .meta({
    scope: 'tokens:write',
    openapi: {
      method: 'POST',
      path: '/tokens',
      tags: ['tokens'],
      summary: 'Create an API token (the secret is shown once)',
    },
  })
  .input(createTokenInput)
  .output(z.object({ token: tokenOutput, secret: z.string() }))
  .mutation(({ ctx, input }) =>
    createApiToken(
      ctx.db,
      changeDeps(ctx),
      ctx.principal.person,
      input as { name: string; scopes: Scope[]; expiresInDays: number },
      {
        maxDays: ctx.tokenMaxDays,
        // A token never mints a stronger or longer-lived token than itself (checked in core against
        // the stored token); the dashboard's session is limited by the configured maximum only.
        ...(ctx.principal.via === 'token' ? { creatorTokenId: ctx.principal.token.id } : {}),
      },
    ),
  );
