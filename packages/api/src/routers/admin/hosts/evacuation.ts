import { latestEvacuation } from '@pocket-smyth/core';
import { z } from 'zod';
import { evacuationOutput, hostIdInput } from '../../../schemas/host';
import { adminProcedure } from '../../../trpc';

export const hostEvacuationProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/hosts/{id}/evacuation',
      tags: ['hosts'],
      summary: "A host's latest evacuation and its progress (null when it never had one)",
    },
  })
  .input(hostIdInput)
  .output(z.object({ evacuation: evacuationOutput.nullable() }))
  .query(async ({ ctx, input }) => ({ evacuation: await latestEvacuation(ctx.db, input.id) }));
