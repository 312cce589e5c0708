import { getRun } from '@pocket-smyth/core';
import { runOutput } from '../../../schemas/run';
import { adminProcedure } from '../../../trpc';
import { runIdInput } from '../../runs/inputs';

export const getAnyRunProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/runs/{id}',
      tags: ['runs'],
      summary: 'A run with its steps and output',
    },
  })
  .input(runIdInput)
  .output(runOutput)
  .query(({ ctx, input }) => getRun(ctx.db, input.id));
