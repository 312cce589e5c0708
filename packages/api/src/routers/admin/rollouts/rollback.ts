import { rollbackRollout } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { rolloutIdInput, rolloutOutput } from '../../../schemas/rollout';
import { adminProcedure } from '../../../trpc';

export const rollbackRolloutProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/rollouts/{id}/rollback',
      tags: ['rollouts'],
      summary:
        'Roll a rollout back: every agent it changed goes back to its previous image (failed ones first), and the default image too',
    },
  })
  .input(rolloutIdInput)
  .output(rolloutOutput)
  .mutation(({ ctx, input }) => rollbackRollout(ctx.db, changeDeps(ctx), input.id));
