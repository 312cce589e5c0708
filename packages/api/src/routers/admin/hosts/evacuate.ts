import { evacuateHost } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { evacuateHostInput, evacuationOutput } from '../../../schemas/host';
import { adminProcedure } from '../../../trpc';

export const evacuateHostProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/hosts/{id}/evacuate',
      tags: ['hosts'],
      summary: 'Evacuate a draining host: move every agent on it elsewhere, batchSize at a time',
    },
  })
  .input(evacuateHostInput)
  .output(evacuationOutput)
  .mutation(({ ctx, input }) =>
    evacuateHost(ctx.db, changeDeps(ctx), input.id, { batchSize: input.batchSize }),
  );
