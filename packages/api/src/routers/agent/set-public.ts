import { setAgentPublic } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../actor';
import { agentOutput } from '../../schemas/person';
import { activeProcedure } from '../../trpc';

export const setAgentPublicProcedure = activeProcedure
  .meta({
    scope: 'agent:write',
    openapi: {
      method: 'PUT',
      path: '/me/agent/public',
      tags: ['agent'],
      summary: 'Turn the public URL (/agent/public/*) on or off',
    },
  })
  .input(z.strictObject({ enabled: z.boolean() }))
  .output(agentOutput)
  .mutation(({ ctx, input }) =>
    setAgentPublic(ctx.db, changeDeps(ctx), ctx.principal.person.id, input.enabled),
  );
