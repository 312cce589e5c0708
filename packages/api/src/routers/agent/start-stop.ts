import { commandAgent } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../actor';
import { agentOutput } from '../../schemas/person';
import { activeProcedure } from '../../trpc';

/** Start your stopped agent: its desired state becomes running and a run brings it up (GET /me/runs). */
export const startAgentProcedure = activeProcedure
  .meta({
    scope: 'agent:write',
    openapi: {
      method: 'POST',
      path: '/me/agent/start',
      tags: ['agent'],
      summary: 'Start your agent (follow it in GET /me/runs)',
    },
  })
  .input(z.void())
  .output(agentOutput)
  .mutation(
    async ({ ctx }) =>
      (await commandAgent(ctx.db, changeDeps(ctx), { personId: ctx.principal.person.id }, 'start')).agent,
  );

/** Stop your agent: the container stops, its data is kept; start it again whenever you like. */
export const stopAgentProcedure = activeProcedure
  .meta({
    scope: 'agent:write',
    openapi: {
      method: 'POST',
      path: '/me/agent/stop',
      tags: ['agent'],
      summary: 'Stop your agent (its data is kept)',
    },
  })
  .input(z.void())
  .output(agentOutput)
  .mutation(
    async ({ ctx }) =>
      (await commandAgent(ctx.db, changeDeps(ctx), { personId: ctx.principal.person.id }, 'stop')).agent,
  );
