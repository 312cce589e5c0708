import { startRollout } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { rolloutOutput, startRolloutInput } from '../../../schemas/rollout';
import { adminProcedure } from '../../../trpc';

export const startRolloutProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/rollouts',
      tags: ['rollouts'],
      summary:
        'Start a rollout: the image becomes the default and running agents move to it, batchSize at a time, each batch healthy before the next',
    },
  })
  .input(startRolloutInput)
  .output(rolloutOutput)
  .mutation(({ ctx, input }) => startRollout(ctx.db, changeDeps(ctx), input));
