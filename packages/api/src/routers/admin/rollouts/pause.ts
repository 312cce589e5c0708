import { pauseRollout } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { rolloutIdInput, rolloutOutput } from '../../../schemas/rollout';
import { adminProcedure } from '../../../trpc';

export const pauseRolloutProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/rollouts/{id}/pause',
      tags: ['rollouts'],
      summary: 'Pause a rollout: the batch in flight finishes, no other goes out',
    },
  })
  .input(rolloutIdInput)
  .output(rolloutOutput)
  .mutation(({ ctx, input }) => pauseRollout(ctx.db, changeDeps(ctx), input.id));
