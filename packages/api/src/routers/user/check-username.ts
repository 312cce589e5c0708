import { z } from 'zod';
import { checkUsername } from '../../domain/username-availability';
import { authedProcedure } from '../../trpc';

export const checkUsernameInput = z.object({ username: z.string().max(256) });

/** Live availability for the onboarding form: the broken rule in words, or free alternatives. */
export const checkUsernameProcedure = authedProcedure
  .input(checkUsernameInput)
  .query(({ ctx, input }) => checkUsername(ctx.db, input.username, ctx.principal.person.id));
