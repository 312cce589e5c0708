import { setDefaultAgentImage } from '@pocket-smyth/core';
import { changeDeps } from '../../../../actor';
import { defaultImageOutput, setDefaultImageInput } from '../../../../schemas/rollout';
import { adminProcedure } from '../../../../trpc';

export const setDefaultImageProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'PUT',
      path: '/settings/agent-image',
      tags: ['settings'],
      summary:
        'Set (or, with null, clear) the default agent image: new agents and later starts take it; a rollout moves running agents',
    },
  })
  .input(setDefaultImageInput)
  .output(defaultImageOutput)
  .mutation(({ ctx, input }) => setDefaultAgentImage(ctx.db, changeDeps(ctx), input.image));
