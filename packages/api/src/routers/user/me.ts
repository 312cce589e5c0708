import { z } from 'zod';
import { personOutput } from '../../schemas/person';
import { sessionProcedure } from '../../trpc';

export const meOutput = personOutput.extend({ needsOnboarding: z.boolean() });

/** The caller as stored now, whatever their status: the pending and rejected screens read this. */
export const meProcedure = sessionProcedure
  .meta({
    scope: 'me:read',
    openapi: { method: 'GET', path: '/me', tags: ['me'], summary: 'Your profile and status' },
  })
  .input(z.void())
  .output(meOutput)
  .query(({ ctx }) => {
    const p = ctx.principal.person;
    return {
      ...p,
      needsOnboarding: p.username === null && (p.status === 'onboarding' || p.status === 'active'),
    };
  });
