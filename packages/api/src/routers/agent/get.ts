import { findAgentByPersonId } from '@pocket-smyth/core';
import { z } from 'zod';
import { agentOutput } from '../../schemas/person';
import { activeProcedure } from '../../trpc';

/** The caller's agent as stored (desired and observed state); null before it exists. */
export const getAgentProcedure = activeProcedure
  .meta({
    scope: 'agent:read',
    openapi: { method: 'GET', path: '/me/agent', tags: ['agent'], summary: 'Your agent' },
  })
  .input(z.void())
  .output(agentOutput.nullable())
  .query(async ({ ctx }) => (await findAgentByPersonId(ctx.db, ctx.principal.person.id)) ?? null);
