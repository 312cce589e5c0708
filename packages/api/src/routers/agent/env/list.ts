import { listAgentEnv } from '@pocket-smyth/core';
import { z } from 'zod';
import { agentEnvVarOutput } from '../../../schemas/agent-env';
import { activeProcedure } from '../../../trpc';

export const listAgentEnvProcedure = activeProcedure
  .meta({
    scope: 'agent:read',
    openapi: {
      method: 'GET',
      path: '/me/agent/env',
      tags: ['agent'],
      summary: 'Your agent’s environment variables: names and the last four characters, never values',
    },
  })
  .input(z.void())
  .output(z.array(agentEnvVarOutput))
  .query(({ ctx }) => listAgentEnv(ctx.db, { personId: ctx.principal.person.id, own: true }));
