import { drainHost } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { hostIdInput, hostOutput } from '../../../schemas/host';
import { adminProcedure } from '../../../trpc';

export const drainHostProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/hosts/{id}/drain',
      tags: ['hosts'],
      summary: 'Drain a host: it keeps its agents and gets no new ones',
    },
  })
  .input(hostIdInput)
  .output(hostOutput)
  .mutation(({ ctx, input }) => drainHost(ctx.db, changeDeps(ctx), input.id));
