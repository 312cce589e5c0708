import { deleteAgentEnv } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { agentEnvDeleteOutput, agentEnvNameInput } from '../../../schemas/agent-env';
import { activeProcedure } from '../../../trpc';

export const deleteAgentEnvProcedure = activeProcedure
  .meta({
    scope: 'agent:write',
    openapi: {
      method: 'DELETE',
      path: '/me/agent/env/{name}',
      tags: ['agent'],
      summary: 'Remove an environment variable of your agent; a running agent restarts without it',
    },
  })
  .input(z.strictObject({ name: agentEnvNameInput }))
  .output(agentEnvDeleteOutput)
  .mutation(({ ctx, input }) =>
    deleteAgentEnv(ctx.db, changeDeps(ctx), { personId: ctx.principal.person.id, own: true }, input.name),
  );
