import { listRunsForPerson } from '@pocket-smyth/core';
import { z } from 'zod';
import { runOutput } from '../../schemas/run';
import { activeProcedure } from '../../trpc';
import { runListInput } from './inputs';

/**
 * The runs of the caller's own agent, with their steps, newest first; why a step failed in words, not
 * the raw detail and script output admins get (`runAsOwnerSeesIt`).
 */
export const myRunsProcedure = activeProcedure
  .meta({
    scope: 'agent:read',
    openapi: { method: 'GET', path: '/me/runs', tags: ['agent'], summary: 'Your agent’s provisioning runs' },
  })
  .input(runListInput)
  .output(z.array(runOutput))
  .query(({ ctx, input }) => listRunsForPerson(ctx.db, ctx.principal.person.id, input));
