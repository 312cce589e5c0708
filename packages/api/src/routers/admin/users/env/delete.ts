import { deleteAgentEnv } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../../actor';
import { agentEnvDeleteOutput, agentEnvNameInput } from '../../../../schemas/agent-env';
import { adminProcedure } from '../../../../trpc';

export const deleteUserAgentEnvProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'DELETE',
      path: '/users/{id}/agent/env/{name}',
      tags: ['users'],
      summary: 'Remove an environment variable of a person’s agent; a running agent restarts without it',
    },
  })
  .input(z.strictObject({ id: z.string().min(1).max(64), name: agentEnvNameInput }))
  .output(agentEnvDeleteOutput)
  .mutation(({ ctx, input }) =>
    deleteAgentEnv(ctx.db, changeDeps(ctx), { personId: input.id, own: false }, input.name),
  );
