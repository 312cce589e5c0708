import { approvePeople } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { bulkResultOutput, personStatusOutput } from '../../../schemas/person';
import { adminProcedure } from '../../../trpc';
import { personIdInput } from './get';
import { personIdsInput, singleResult } from './inputs';

/** Approves many at once; each id gets its own result, so one wrong state does not block the rest. */
export const approveUsersProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'POST',
      path: '/users/approve',
      tags: ['users'],
      summary: 'Approve many pending people',
    },
  })
  .input(z.strictObject({ ids: personIdsInput }))
  .output(z.object({ results: z.array(bulkResultOutput) }))
  .mutation(async ({ ctx, input }) => ({ results: await approvePeople(ctx.db, changeDeps(ctx), input.ids) }));

export const approveUserProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'POST',
      path: '/users/{id}/approve',
      tags: ['users'],
      summary: 'Approve a pending person',
    },
  })
  .input(personIdInput)
  .output(personStatusOutput)
  .mutation(async ({ ctx, input }) => singleResult(await approvePeople(ctx.db, changeDeps(ctx), [input.id])));
