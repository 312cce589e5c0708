import { activateHost } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { hostIdInput, hostOutput } from '../../../schemas/host';
import { adminProcedure } from '../../../trpc';

export const activateHostProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/hosts/{id}/activate',
      tags: ['hosts'],
      summary: 'Undo a drain: the host gets new agents again',
    },
  })
  .input(hostIdInput)
  .output(hostOutput)
  .mutation(({ ctx, input }) => activateHost(ctx.db, changeDeps(ctx), input.id));
