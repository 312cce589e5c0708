import { getRollout, rolloutAgentsOf } from '@pocket-smyth/core';
import { rolloutDetailOutput, rolloutIdInput } from '../../../schemas/rollout';
import { adminProcedure } from '../../../trpc';

export const getRolloutProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/rollouts/{id}',
      tags: ['rollouts'],
      summary: 'A rollout: its progress, and each agent in batch order with how it went and its run',
    },
  })
  .input(rolloutIdInput)
  .output(rolloutDetailOutput)
  .query(async ({ ctx, input }) => ({
    ...(await getRollout(ctx.db, input.id)),
    agents: await rolloutAgentsOf(ctx.db, input.id),
  }));
