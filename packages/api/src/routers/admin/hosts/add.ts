import { addHost } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { addHostInput, hostOutput } from '../../../schemas/host';
import { adminProcedure } from '../../../trpc';

export const addHostProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/hosts',
      tags: ['hosts'],
      summary: 'Add a host: ssh (address, user, key path or key to encrypt, pinned host key) or local',
    },
  })
  .input(addHostInput)
  .output(hostOutput)
  .mutation(({ ctx, input }) => addHost(ctx.db, changeDeps(ctx), input, ctx.hostKeyEncryptionKey));
