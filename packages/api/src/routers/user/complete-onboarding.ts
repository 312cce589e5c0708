import { preferencesSchema } from '@pocket-smyth/db';
import { z } from 'zod';
import { changeDeps } from '../../actor';
import { completeOnboarding } from '../../domain/people-lifecycle';
import { authedProcedure } from '../../trpc';

export const completeOnboardingInput = z.object({
  username: z.string().max(256),
  preferences: preferencesSchema.optional(),
});

export const completeOnboardingProcedure = authedProcedure
  .input(completeOnboardingInput)
  .mutation(async ({ ctx, input }) => {
    const person = await completeOnboarding(ctx.db, changeDeps(ctx), ctx.principal.person.id, input);
    return { status: person.status, username: person.username };
  });
