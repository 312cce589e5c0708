import { listHosts } from '@pocket-smyth/core';
import { z } from 'zod';
import { hostOutput } from '../../../schemas/host';
import { adminProcedure } from '../../../trpc';

export const listHostsProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/hosts',
      tags: ['hosts'],
      summary: 'Every host with its capacity, the agents placed on it and its last stats',
    },
  })
  .input(z.strictObject({}).optional())
  .output(z.array(hostOutput))
  .query(({ ctx }) => listHosts(ctx.db));
