import { requestRunRetry } from '@pocket-smyth/core';
import { changeDeps } from '../../../actor';
import { runOutput } from '../../../schemas/run';
import { adminProcedure } from '../../../trpc';
import { runIdInput } from '../../runs/inputs';

/** Retries a failed run from its failed step (steps that succeeded stay as they were). */
export const retryRunProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: { method: 'POST', path: '/runs/{id}/retry', tags: ['runs'], summary: 'Retry a failed run' },
  })
  .input(runIdInput)
  .output(runOutput)
  .mutation(({ ctx, input }) => requestRunRetry(ctx.db, changeDeps(ctx), input.id));
