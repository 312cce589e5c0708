import { resumeRollout } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { rolloutIdInput, rolloutOutput } from '../../../schemas/rollout';
import { adminProcedure } from '../../../trpc';

export const resumeRolloutProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/rollouts/{id}/resume',
      tags: ['rollouts'],
      summary: 'Resume a paused rollout',
    },
  })
  .input(rolloutIdInput)
  .output(rolloutOutput)
  .mutation(({ ctx, input }) => resumeRollout(ctx.db, changeDeps(ctx), input.id));
