import { listAgentEnv } from '@pocket-smyth/core';
import { z } from 'zod';
import { agentEnvVarOutput } from '../../../../schemas/agent-env';
import { adminProcedure } from '../../../../trpc';
import { personIdInput } from '../get';

export const listUserAgentEnvProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    openapi: {
      method: 'GET',
      path: '/users/{id}/agent/env',
      tags: ['users'],
      summary: 'A person’s agent environment variables: names and the last four characters, never values',
    },
  })
  .input(personIdInput)
  .output(z.array(agentEnvVarOutput))
  .query(({ ctx, input }) => listAgentEnv(ctx.db, { personId: input.id, own: false }));
