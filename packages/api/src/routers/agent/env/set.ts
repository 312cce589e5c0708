import { setAgentEnv } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { agentEnvNameInput, agentEnvSetOutput, agentEnvValueInput } from '../../../schemas/agent-env';
import { activeProcedure } from '../../../trpc';

export const setAgentEnvProcedure = activeProcedure
  .meta({
    scope: 'agent:write',
    openapi: {
      method: 'PUT',
      path: '/me/agent/env/{name}',
      tags: ['agent'],
      summary: 'Add or replace an environment variable of your agent; a running agent restarts with it',
    },
  })
  .input(z.strictObject({ name: agentEnvNameInput, value: agentEnvValueInput }))
  .output(agentEnvSetOutput)
  .mutation(({ ctx, input }) =>
    setAgentEnv(
      ctx.db,
      changeDeps(ctx),
      { personId: ctx.principal.person.id, own: true },
      input,
      ctx.agentSecretsKey,
    ),
  );
