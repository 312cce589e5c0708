import { rejectPeople } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { bulkResultOutput, personStatusOutput } from '../../../schemas/person';
import { adminProcedure } from '../../../trpc';
import { personIdsInput, reasonInput, singleResult } from './inputs';

export const rejectUsersProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'POST',
      path: '/users/reject',
      tags: ['users'],
      summary: 'Reject many pending people',
    },
  })
  .input(z.strictObject({ ids: personIdsInput, reason: reasonInput }))
  .output(z.object({ results: z.array(bulkResultOutput) }))
  .mutation(async ({ ctx, input }) => ({
    results: await rejectPeople(ctx.db, changeDeps(ctx), input.ids, input.reason),
  }));

export const rejectUserProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'POST',
      path: '/users/{id}/reject',
      tags: ['users'],
      summary: 'Reject a pending person',
    },
  })
  .input(z.strictObject({ id: z.string().min(1).max(64), reason: reasonInput }))
  .output(personStatusOutput)
  .mutation(async ({ ctx, input }) =>
    singleResult(await rejectPeople(ctx.db, changeDeps(ctx), [input.id], input.reason)),
  );
