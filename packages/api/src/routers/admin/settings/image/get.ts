import { defaultAgentImage } from '@pocket-smyth/core';
import { z } from 'zod';
import { defaultImageOutput } from '../../../../schemas/rollout';
import { adminProcedure } from '../../../../trpc';

export const getDefaultImageProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/settings/agent-image',
      tags: ['settings'],
      summary: "The portal's default agent image (null: the worker's AGENT_IMAGE, else the host's default)",
    },
  })
  .input(z.strictObject({}).optional())
  .output(defaultImageOutput)
  .query(({ ctx }) => defaultAgentImage(ctx.db));
