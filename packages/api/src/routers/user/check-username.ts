import { checkUsername } from '@pocket-smyth/core';
import { z } from 'zod';
import { authedProcedure } from '../../trpc';

export const checkUsernameInput = z.strictObject({ username: z.string().max(256) });

const usernameCheckOutput = z.object({
  username: z.string(),
  available: z.boolean(),
  problems: z.array(z.object({ rule: z.string(), message: z.string() })),
  suggestions: z.array(z.string()),
});

/** Live availability for the onboarding form: the broken rule in words, or free alternatives. */
export const checkUsernameProcedure = authedProcedure
  .meta({
    scope: 'me:read',
    openapi: {
      method: 'GET',
      path: '/usernames/{username}',
      tags: ['me'],
      summary: 'Check whether a username is valid and free',
    },
  })
  .input(checkUsernameInput)
  .output(usernameCheckOutput)
  .query(({ ctx, input }) => checkUsername(ctx.db, input.username, ctx.principal.person.id));
