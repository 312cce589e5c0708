import { requestAgentRestart } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../actor';
import { agentOutput } from '../../schemas/person';
import { activeProcedure } from '../../trpc';

export const restartAgentProcedure = activeProcedure
  .meta({
    scope: 'agent:write',
    openapi: {
      method: 'POST',
      path: '/me/agent/restart',
      tags: ['agent'],
      summary: 'Restart your agent; a stopped one is started (follow it in GET /me/runs)',
    },
  })
  .input(z.void())
  .output(agentOutput)
  .mutation(({ ctx }) => requestAgentRestart(ctx.db, changeDeps(ctx), ctx.principal.person.id));
