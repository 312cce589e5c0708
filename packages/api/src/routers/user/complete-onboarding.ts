import { completeOnboarding } from '@pocket-smyth/core';
import { personStatuses, preferencesSchema } from '@pocket-smyth/db';
import { z } from 'zod';
import { changeDeps } from '../../actor';
import { authedProcedure } from '../../trpc';

export const completeOnboardingInput = z.strictObject({
  username: z.string().max(256),
  preferences: preferencesSchema.optional(),
});

export const completeOnboardingProcedure = authedProcedure
  .meta({
    scope: 'me:write',
    openapi: {
      method: 'POST',
      path: '/me/onboarding',
      tags: ['me'],
      summary: 'Pick your username and preferences, and ask for access',
    },
  })
  .input(completeOnboardingInput)
  .output(z.object({ status: z.enum(personStatuses), username: z.string().nullable() }))
  .mutation(async ({ ctx, input }) => {
    const person = await completeOnboarding(ctx.db, changeDeps(ctx), ctx.principal.person.id, input);
    return { status: person.status, username: person.username };
  });
