import { getRunForPerson } from '@pocket-smyth/core';
import { runOutput } from '../../schemas/run';
import { activeProcedure } from '../../trpc';
import { runIdInput } from './inputs';

/**
 * One of the caller's runs, in words (no raw error detail or script output: `runAsOwnerSeesIt`); anyone
 * else's is a 404, exactly like a missing one.
 */
export const myRunProcedure = activeProcedure
  .meta({
    scope: 'agent:read',
    openapi: {
      method: 'GET',
      path: '/me/runs/{id}',
      tags: ['agent'],
      summary: 'One of your runs, step by step',
    },
  })
  .input(runIdInput)
  .output(runOutput)
  .query(({ ctx, input }) => getRunForPerson(ctx.db, input.id, ctx.principal.person.id));
