import { removeHost } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { hostIdInput, removedHostOutput } from '../../../schemas/host';
import { adminProcedure } from '../../../trpc';

export const removeHostProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'DELETE',
      path: '/hosts/{id}',
      tags: ['hosts'],
      summary: 'Remove a host that has no agents left (409 otherwise)',
    },
  })
  .input(hostIdInput)
  .output(removedHostOutput)
  .mutation(({ ctx, input }) => removeHost(ctx.db, changeDeps(ctx), input.id));
