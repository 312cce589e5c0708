import { setAgentEnv } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../../actor';
import { agentEnvNameInput, agentEnvSetOutput, agentEnvValueInput } from '../../../../schemas/agent-env';
import { adminProcedure } from '../../../../trpc';

export const setUserAgentEnvProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'PUT',
      path: '/users/{id}/agent/env/{name}',
      tags: ['users'],
      summary: 'Add or replace an environment variable of a person’s agent; a running agent restarts with it',
    },
  })
  .input(
    z.strictObject({ id: z.string().min(1).max(64), name: agentEnvNameInput, value: agentEnvValueInput }),
  )
  .output(agentEnvSetOutput)
  .mutation(({ ctx, input }) =>
    setAgentEnv(
      ctx.db,
      changeDeps(ctx),
      { personId: input.id, own: false },
      { name: input.name, value: input.value },
      ctx.agentSecretsKey,
    ),
  );
