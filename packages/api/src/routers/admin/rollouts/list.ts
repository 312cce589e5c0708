import { listRollouts } from '@pocket-smyth/core';
import { z } from 'zod';
import { rolloutOutput } from '../../../schemas/rollout';
import { adminProcedure } from '../../../trpc';

export const listRolloutsProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/rollouts',
      tags: ['rollouts'],
      summary: 'The newest 50 rollouts, with their agents counted by status',
    },
  })
  .input(z.strictObject({}).optional())
  .output(z.array(rolloutOutput))
  .query(({ ctx }) => listRollouts(ctx.db));
