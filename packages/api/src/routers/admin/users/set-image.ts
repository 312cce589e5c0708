import { setPersonAgentImage } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { personImageOutput, setPersonImageInput } from '../../../schemas/rollout';
import { adminProcedure } from '../../../trpc';

export const setUserImageProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'PUT',
      path: '/users/{id}/agent/image',
      tags: ['users'],
      summary:
        "Give a person's agent its own image (null: follow the default again); a running agent is provisioned again with it",
    },
  })
  .input(setPersonImageInput)
  .output(personImageOutput)
  .mutation(({ ctx, input }) => setPersonAgentImage(ctx.db, changeDeps(ctx), input.id, input.image));
